# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""Typed, read-only views of the payments PortOne V1 returns, and the keys never to log."""

import pprint
from dataclasses import dataclass, field, fields

from .amounts import as_krw

# Keys whose values must never reach a log: credentials, tokens, card and account details, who
# pays and where to, the stored keys' ids, and the return URL (it carries an access token).
SENSITIVE_KEYS = frozenset({
    'imp_secret',
    'access_token',
    'token',
    'authorization',
    'card_number',
    'expiry',
    'birth',
    'pwd_2digit',
    'cvc',
    'buyer_name',
    'buyer_email',
    'buyer_tel',
    'buyer_addr',
    'buyer_postcode',
    'customer_name',
    'customer_email',
    'customer_tel',
    'customer_addr',
    'customer_postcode',
    'customer_uid',
    'vbank_num',
    'vbank_holder',
    'refund_holder',
    'refund_bank',
    'refund_account',
    'refund_tel',
    'm_redirect_url',
})

# What a payment's log line shows at INFO: ids, status, amounts and method, never who pays.
LOGGED_PAYMENT_FIELDS = (
    'imp_uid', 'merchant_uid', 'status', 'amount', 'cancel_amount', 'currency', 'pay_method',
    'pg_provider', 'sandbox', 'customer_uid_usage', 'card_quota', 'vbank_date', 'paid_at',
    'failed_at', 'cancelled_at', 'fail_reason',
)

_VISIBLE_TAIL = 4
_MIN_LENGTH_TO_SHOW_TAIL = 12


def mask(value):
    """Hide a secret value, keeping the last 4 characters of long values for recognition.

    :param value: The value to hide (any type, ``None`` stays ``None``).
    :return: The masked text, e.g. ``'****5f2c'``.
    :rtype: str|None
    """
    if value is None:
        return None
    text = str(value)
    if len(text) < _MIN_LENGTH_TO_SHOW_TAIL:
        return '****'
    return '****' + text[-_VISIBLE_TAIL:]


def mask_sensitive(data):
    """Return a copy of a JSON-like structure with the values of `SENSITIVE_KEYS` masked.

    :param data: A dict, list or scalar as decoded from JSON.
    :return: The same structure, masked.
    """
    if isinstance(data, dict):
        return {
            key: mask(value) if str(key).lower() in SENSITIVE_KEYS else mask_sensitive(value)
            for key, value in data.items()
        }
    if isinstance(data, list | tuple):
        return [mask_sensitive(item) for item in data]
    return data


class Logged:
    """A payload formatted, masked and pretty-printed, only when its log record is really
    emitted: the notification paths log at INFO, which production often leaves out."""

    def __init__(self, data):
        """:param data: A JSON-like structure."""
        self.data = data

    def __str__(self):
        return pprint.pformat(mask_sensitive(self.data))


def allowed(data, keys):
    """Return the entries of `data` that may be logged, by an allow-list.

    :param dict data: A payload.
    :param keys: The keys that may be logged.
    :return: The entries of `data` under `keys`, in their order.
    :rtype: dict
    """
    return {key: data[key] for key in keys if key in data}


def _krw(value):
    return 0 if value is None else as_krw(value)


def _timestamp(value):
    # PortOne sends 0 (and sometimes null) for "did not happen".
    return int(value or 0)


def _optional_int(value):
    return None if value is None else int(value)


def _flag(value):
    return bool(value)


def _converted(convert, default=None):
    return field(default=default, metadata={'convert': convert})


class _ApiObject:
    """Builds a frozen dataclass from a PortOne dict, keeping only the fields it declares."""

    @classmethod
    def from_api(cls, data):
        """Build the object from PortOne's ``response`` dict.

        Unknown keys are ignored and missing keys take their default, so that PortOne adding or
        omitting fields never breaks a lookup.

        :param dict data: The ``response`` part of PortOne's envelope.
        :return: The typed object.
        """
        values = {}
        for dataclass_field in fields(cls):
            if dataclass_field.name not in data:
                continue
            value = data[dataclass_field.name]
            convert = dataclass_field.metadata.get('convert')
            values[dataclass_field.name] = convert(value) if convert else value
        return cls(**values)


@dataclass(frozen=True)
class CancelHistory(_ApiObject):
    """One (partial) cancellation of a payment: what tells it from the others, and its amount."""

    cancellation_id: str | None = None
    pg_tid: str | None = None  # identifies a cancellation PortOne sent without its id
    amount: int | float = _converted(_krw, 0)
    cancelled_at: int = _converted(_timestamp, 0)


def _cancel_history(items):
    return tuple(CancelHistory.from_api(item) for item in items or ())


@dataclass(frozen=True)
class Payment(_ApiObject):
    """A PortOne payment (``GET /payments/{imp_uid}`` and every call returning a payment): the
    fields the verdict, the Odoo side and `LOGGED_PAYMENT_FIELDS` read."""

    imp_uid: str | None = None
    merchant_uid: str | None = None
    status: str | None = None
    amount: int | float = _converted(_krw, 0)
    cancel_amount: int | float = _converted(_krw, 0)
    currency: str | None = None
    pay_method: str | None = None
    pg_provider: str | None = None
    sandbox: bool = _converted(_flag, False)
    customer_uid: str | None = None
    customer_uid_usage: str | None = None
    card_number: str | None = None
    card_quota: int | None = _converted(_optional_int)
    vbank_num: str | None = None
    vbank_name: str | None = None
    vbank_holder: str | None = None
    vbank_date: int = _converted(_timestamp, 0)
    paid_at: int = _converted(_timestamp, 0)
    failed_at: int = _converted(_timestamp, 0)
    cancelled_at: int = _converted(_timestamp, 0)
    fail_reason: str | None = None
    cancel_reason: str | None = None
    receipt_url: str | None = None
    buyer_tel: str | None = None
    cancel_history: tuple[CancelHistory, ...] = _converted(_cancel_history, ())

    def for_log(self):
        """:return: What may be logged of the payment at INFO: `LOGGED_PAYMENT_FIELDS` and its
        cancellations' ids and amounts. :rtype: dict"""
        return {
            **{name: getattr(self, name) for name in LOGGED_PAYMENT_FIELDS},
            'cancellations': [
                (entry.cancellation_id, entry.amount) for entry in self.cancel_history
            ],
        }
