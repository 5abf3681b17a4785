# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""What Galaxia MoneyTree accepts in ``IMP.request_pay``, and how we build that parameter.

The offline sandbox's ``iamport.js`` reimplements `validate_request_pay` in the browser, with
the numbers and messages below served to it, and a shared case file checks both sides agree.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass

from .amounts import as_krw
from .cards import CARD_COMPANIES

CURRENCY = 'KRW'
MAX_MERCHANT_UID_LENGTH = 40  # Galaxia's page says 64; PortOne's API caps merchant_uid at 40.
MAX_NAME_LENGTH = 40
MAX_CUSTOMER_ID_LENGTH = 20  # PortOne's generated fallback is 53 characters: Galaxia rejects it.
MAX_ITEM_CODE_BYTES = 10
MIN_INSTALLMENT_AMOUNT = 50000
# The carriers Galaxia's phone window knows, by PortOne's code.
PHONE_CARRIERS = {
    'SKT': "SK Telecom",
    'KTF': "KT",
    'LGT': "LG U+",
    'CJH': "CJ Hello Mobile",
    'KCT': "Tplus",
    'SKL': "SK 7Mobile",
}
PAY_METHODS = ('card', 'trans', 'phone', 'vbank')
ESCROW_PAY_METHODS = ('trans', 'vbank')
BILLING_KEY_PAY_METHODS = ('card', 'phone')  # card: key only; phone: key and payment at once

# Flows of the window: a plain payment, a card billing key issued without charging (the order
# is charged afterwards with the key), a phone billing key issued while paying.
FLOW_ONE_TIME = 'one_time'
FLOW_CARD_BILLING_KEY = 'card_billing_key'
FLOW_PHONE_BILLING_KEY = 'phone_billing_key'
BILLING_KEY_FLOW_PAY_METHODS = {FLOW_CARD_BILLING_KEY: 'card', FLOW_PHONE_BILLING_KEY: 'phone'}
FLOWS = (FLOW_ONE_TIME, *BILLING_KEY_FLOW_PAY_METHODS)



def _lt(message):
    """Mark a message as translatable. Odoo extracts the texts so marked into the module's
    terms and translates them where it shows them; the core itself never translates.

    :param str message: The English message.
    :return: The message, unchanged.
    :rtype: str
    """
    return message


# What the customer is told when Galaxia would refuse the window, by rule code; the
# `%(name)s` placeholders are filled from `RULE_MESSAGE_VALUES`. Most point at the shop.
RULE_MESSAGES = {
    # Checked by validate_request_pay (and by the sandbox's iamport.js).
    'missing_channel_key': _lt("The shop has not finished setting up Galaxia MoneyTree."),
    'unknown_pay_method': _lt("Galaxia MoneyTree does not offer this payment method."),
    'currency_not_krw': _lt("Galaxia MoneyTree only accepts payments in Korean won (KRW)."),
    'missing_merchant_uid': _lt("The order has no reference."),
    'merchant_uid_too_long': _lt("The order reference is too long for Galaxia MoneyTree."),
    'missing_name': _lt("The order has no name."),
    'name_too_long': _lt("The order name is too long for Galaxia MoneyTree."),
    'missing_customer_id': _lt("The customer could not be identified."),
    'customer_id_too_long': _lt("The customer id is too long for Galaxia MoneyTree."),
    'billing_key_not_allowed': _lt(
        "Payment details can only be saved for card and mobile phone payments."
    ),
    'invalid_amount': _lt("The amount must be a whole, positive number of won."),
    'missing_m_redirect_url': _lt("The shop's return address is missing."),
    'missing_vbank_due': _lt("The virtual account has no deposit deadline."),
    'invalid_vbank_due': _lt("The virtual account's deposit deadline is not a valid date."),
    'escrow_not_allowed': _lt("Escrow is only available for bank transfers and virtual accounts."),
    'installment_below_minimum': _lt(
        "Card installments need an amount of at least %(min_installment_amount)s."
    ),
    'invalid_item_code': _lt(
        "The shop's Galaxia product code is longer than %(max_item_code_bytes)s bytes."
    ),
    'missing_buyer_name': _lt("Please enter your name to pay by bank transfer."),
    'invalid_tax_free': _lt("The tax-free part of the amount is not valid."),
    'invalid_vat_amount': _lt("The VAT of the amount is not valid."),
    'unknown_carrier': _lt("The shop's default phone carrier is not one Galaxia accepts."),
    'invalid_card_direct': _lt(
        "The shop's card company for the card window is not one Galaxia accepts."
    ),
    'invalid_app_scheme': _lt(
        "The shop's iOS app address must be a URL scheme such as myshop:// alone."
    ),
    # Checked by build_request_pay only: they concern our order facts, not the parameter.
    'unknown_flow': _lt("This kind of payment is not supported."),
    'flow_pay_method_mismatch': _lt(
        "Payment details can only be saved for card and mobile phone payments."
    ),
    'missing_customer_uid': _lt("The saved payment details have no identifier."),
}
RULE_MESSAGE_VALUES = {
    'min_installment_amount': f'{MIN_INSTALLMENT_AMOUNT:,} {CURRENCY}',
    'max_item_code_bytes': MAX_ITEM_CODE_BYTES,
}

# What iOS apps are called back with after a card or bank app (PortOne's example: portone://).
APP_SCHEME = re.compile(r'[A-Za-z][A-Za-z0-9+.-]*://')

_COMPACT_DATE = re.compile(r'([0-9]{4})([0-9]{2})([0-9]{2})')
_DASHED_DATE = re.compile(r'([0-9]{4})-([0-9]{2})-([0-9]{2})')


class GalaxiaRuleError(ValueError):
    """A payment request Galaxia MoneyTree would refuse."""

    def __init__(self, code, field):
        """
        :param str code: Stable snake_case identifier, a key of `RULE_MESSAGES`.
        :param str field: The offending parameter, dotted for nested ones.
        """
        self.code = code
        self.template = RULE_MESSAGES[code]
        self.message = self.template % RULE_MESSAGE_VALUES
        self.field = field
        super().__init__(self.message)


@dataclass(frozen=True)
class PaymentRequest:
    """The facts of one payment window request, in our words."""

    merchant_uid: str
    amount: int
    currency: str
    name: str
    pay_method: str
    customer_id: str
    channel_key: str
    flow: str = FLOW_ONE_TIME
    customer_uid: str | None = None
    m_redirect_url: str | None = None
    notice_url: str | None = None
    buyer_name: str | None = None
    buyer_email: str | None = None
    buyer_tel: str | None = None
    buyer_addr: str | None = None
    buyer_postcode: str | None = None
    card_quota: list[int] | None = None  # installment months offered, [] = lump sum only
    card_direct: dict | None = None  # {'code': card company code, 'quota': months}
    phone_carrier: str | None = None
    escrow: bool = False  # use escrow where Galaxia allows it (trans, vbank)
    vbank_due: datetime.date | str | None = None
    app_scheme: str | None = None
    item_code: str | None = None
    tax_free: int | None = None
    vat_amount: int | None = None


def derive_customer_id(partner_id, namespace):
    """Derive Galaxia's ``customer_id`` of a partner: stable, short, unique per database.

    :param int partner_id: The partner's database id.
    :param str namespace: What makes ids of different databases differ (the database uuid).
    :return: A 20-character id, ``'p'`` and 19 hexadecimal digits.
    :rtype: str
    """
    if not namespace:
        raise ValueError("derive_customer_id needs a namespace (the database uuid).")
    digest = hashlib.sha256(f'{namespace}:{int(partner_id)}'.encode()).hexdigest()
    return 'p' + digest[:MAX_CUSTOMER_ID_LENGTH - 1]


def build_request_pay(req):
    """Build the ``IMP.request_pay`` parameter of a payment request, and validate it.

    The server cannot know whether the buyer's browser is mobile, so the parameter is validated
    as for mobile (it must carry ``m_redirect_url``); the browser validates again with the truth.

    :param PaymentRequest req: The order facts.
    :return: The parameter object, without empty keys.
    :rtype: dict
    :raise GalaxiaRuleError: If Galaxia would refuse the request.
    """
    if req.flow not in FLOWS:
        _refuse('unknown_flow', 'flow')
    key_pay_method = BILLING_KEY_FLOW_PAY_METHODS.get(req.flow)
    if key_pay_method and req.pay_method != key_pay_method:
        _refuse('flow_pay_method_mismatch', 'pay_method')
    if key_pay_method and not req.customer_uid:
        _refuse('missing_customer_uid', 'customer_uid')
    # Issuing a card key charges nothing: amount-related options belong to the later charge.
    charges = req.flow != FLOW_CARD_BILLING_KEY
    amount = as_krw(req.amount) if charges else 0
    card_options = req.pay_method == 'card' and charges
    param = {
        'channelKey': req.channel_key,
        'pay_method': req.pay_method,
        'merchant_uid': req.merchant_uid,
        'name': req.name,
        'amount': amount,
        'currency': req.currency,
        'customer_id': req.customer_id,
        'customer_uid': req.customer_uid if key_pay_method else None,
        'buyer_name': req.buyer_name,
        'buyer_email': req.buyer_email,
        'buyer_tel': req.buyer_tel,
        'buyer_addr': req.buyer_addr,
        'buyer_postcode': req.buyer_postcode,
        'm_redirect_url': req.m_redirect_url,
        'notice_url': req.notice_url,
        'tax_free': as_krw(req.tax_free) if charges else None,
        'vat_amount': as_krw(req.vat_amount) if charges else None,
        'escrow': True if req.escrow and req.pay_method in ESCROW_PAY_METHODS else None,
        'vbank_due': _format_vbank_due(req.vbank_due) if req.pay_method == 'vbank' else None,
        'display': _display(req.card_quota, amount) if card_options else None,
        'card': {'direct': dict(req.card_direct)} if card_options and req.card_direct else None,
        'phone': _phone(req),
        'app_scheme': req.app_scheme,
        'bypass': {'galaxia': {'ITEM_CODE': req.item_code}} if req.item_code else None,
    }
    param = {key: value for key, value in param.items() if value is not None and value != ''}
    validate_request_pay(param, mobile=True)
    return param


def _phone(req):
    if req.pay_method == 'phone' and req.phone_carrier:
        return {'carrier': req.phone_carrier}
    return None


def _display(card_quota, amount):
    if card_quota is None:
        return None
    # Installments offered by the provider simply do not apply to small orders.
    allowed = _is_number(amount) and amount >= MIN_INSTALLMENT_AMOUNT
    months = list(card_quota) if allowed else []
    return {'card_quota': months}


def _format_vbank_due(vbank_due):
    if isinstance(vbank_due, datetime.date):
        return vbank_due.strftime('%Y%m%d')
    if isinstance(vbank_due, str) and _DASHED_DATE.fullmatch(vbank_due):
        return vbank_due.replace('-', '')
    return vbank_due  # left as it is for validation to refuse


def validate_request_pay(param, *, mobile):
    """Refuse an ``IMP.request_pay`` parameter that Galaxia MoneyTree would refuse.

    Checks run in a fixed order (the same as in ``iamport.js``); the first failure is raised.

    :param dict param: The parameter object as the browser would send it.
    :param bool mobile: Whether the window opens on a mobile browser.
    :raise GalaxiaRuleError: On the first rule the parameter breaks.
    """
    pay_method = param.get('pay_method')
    customer_uid = param.get('customer_uid')
    amount = param.get('amount', 0)  # PortOne treats an absent amount as 0
    if not _is_text(param.get('channelKey')):
        _refuse('missing_channel_key', 'channelKey')
    if pay_method not in PAY_METHODS:
        _refuse('unknown_pay_method', 'pay_method')
    if param.get('currency', CURRENCY) != CURRENCY:
        _refuse('currency_not_krw', 'currency')
    _check_text(param, 'merchant_uid', MAX_MERCHANT_UID_LENGTH)
    _check_text(param, 'name', MAX_NAME_LENGTH)
    _check_text(param, 'customer_id', MAX_CUSTOMER_ID_LENGTH)
    if customer_uid is not None and pay_method not in BILLING_KEY_PAY_METHODS:
        _refuse('billing_key_not_allowed', 'customer_uid')
    issues_card_key = customer_uid is not None and pay_method == 'card'
    if not _is_whole_number(amount) or amount < 0 or (amount == 0 and not issues_card_key):
        _refuse('invalid_amount', 'amount')
    if mobile and not _is_text(param.get('m_redirect_url')):
        _refuse('missing_m_redirect_url', 'm_redirect_url')
    if pay_method == 'vbank':
        vbank_due = param.get('vbank_due')
        if vbank_due is None or vbank_due == '':
            _refuse('missing_vbank_due', 'vbank_due')
        if not _is_date(vbank_due):
            _refuse('invalid_vbank_due', 'vbank_due')
    if param.get('escrow') is True and pay_method not in ESCROW_PAY_METHODS:
        _refuse('escrow_not_allowed', 'escrow')
    if amount < MIN_INSTALLMENT_AMOUNT:
        card_quota = _nested(param, 'display', 'card_quota')
        if isinstance(card_quota, list) and any(_is_number(m) and m > 1 for m in card_quota):
            _refuse('installment_below_minimum', 'display.card_quota')
        direct_quota = _nested(param, 'card', 'direct', 'quota')
        if _is_number(direct_quota) and direct_quota > 1:
            _refuse('installment_below_minimum', 'card.direct.quota')
    item_code = _nested(param, 'bypass', 'galaxia', 'ITEM_CODE')
    if item_code is not None and (
        not isinstance(item_code, str) or len(item_code.encode()) > MAX_ITEM_CODE_BYTES
    ):
        _refuse('invalid_item_code', 'bypass.galaxia.ITEM_CODE')
    if pay_method == 'trans' and not _is_text(param.get('buyer_name')):
        _refuse('missing_buyer_name', 'buyer_name')
    for key in ('tax_free', 'vat_amount'):
        value = param.get(key)
        if value is not None and not (_is_whole_number(value) and 0 <= value <= amount):
            _refuse(f'invalid_{key}', key)
    carrier = _nested(param, 'phone', 'carrier')
    if carrier is not None and carrier not in PHONE_CARRIERS:
        _refuse('unknown_carrier', 'phone.carrier')
    direct = _nested(param, 'card', 'direct')
    if direct is not None and not (
        isinstance(direct, dict) and direct.get('code') in CARD_COMPANIES
        and _is_whole_number(direct.get('quota', 0)) and direct.get('quota', 0) >= 0
    ):
        _refuse('invalid_card_direct', 'card.direct')
    app_scheme = param.get('app_scheme')
    if app_scheme is not None and not (
        isinstance(app_scheme, str) and APP_SCHEME.fullmatch(app_scheme)
    ):
        _refuse('invalid_app_scheme', 'app_scheme')


def _refuse(code, field):
    raise GalaxiaRuleError(code, field)


def _check_text(param, key, max_length):
    value = param.get(key)
    if not _is_text(value):
        _refuse(f'missing_{key}', key)
    if len(value) > max_length:
        _refuse(f'{key}_too_long', key)


def _is_text(value):
    return isinstance(value, str) and value.strip() != ''


def _is_number(value):
    # JSON booleans are not numbers, although Python's bool is an int.
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_whole_number(value):
    return _is_number(value) and (isinstance(value, int) or value.is_integer())


def _is_date(value):
    if not isinstance(value, str):
        return False
    for pattern in (_COMPACT_DATE, _DASHED_DATE):
        match = pattern.fullmatch(value)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                datetime.date(year, month, day)
            except ValueError:
                return False
            return True
    return False


def _nested(param, *keys):
    value = param
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value
