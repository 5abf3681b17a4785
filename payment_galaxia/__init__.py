# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""Odoo-free core of the Galaxia MoneyTree provider: PortOne V1 client, Galaxia's request rules,
the status table, and (in `sandbox`, imported on demand) an offline PortOne sandbox."""

from .api_objects import SENSITIVE_KEYS, BillingKey, CancelHistory, Payment, Prepared, mask
from .client import PortOneClient
from .errors import (
    PortOneApiError,
    PortOneAuthError,
    PortOneError,
    PortOneNotFound,
    PortOneUnavailable,
)
from .rules import (
    GalaxiaRuleError,
    PaymentRequest,
    build_request_pay,
    derive_customer_id,
    validate_request_pay,
)
from .status import Outcome, outcome_of

__all__ = [
    'SENSITIVE_KEYS',
    'BillingKey',
    'CancelHistory',
    'GalaxiaRuleError',
    'Outcome',
    'Payment',
    'PaymentRequest',
    'PortOneApiError',
    'PortOneAuthError',
    'PortOneClient',
    'PortOneError',
    'PortOneNotFound',
    'PortOneUnavailable',
    'Prepared',
    'build_request_pay',
    'derive_customer_id',
    'mask',
    'outcome_of',
    'validate_request_pay',
]
