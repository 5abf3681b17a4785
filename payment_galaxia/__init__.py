# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""Odoo-free core of the Galaxia MoneyTree provider: PortOne V1 client, Galaxia's request rules,
the payment verdict. The offline PortOne sandbox is beside it, in ``portone_sandbox``."""

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
from .verdict import Order, Outcome, Verdict, judge

__all__ = [
    'SENSITIVE_KEYS',
    'BillingKey',
    'CancelHistory',
    'GalaxiaRuleError',
    'Order',
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
    'Verdict',
    'build_request_pay',
    'derive_customer_id',
    'judge',
    'mask',
    'validate_request_pay',
]
