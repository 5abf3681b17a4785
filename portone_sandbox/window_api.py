# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""The ``iamport.js`` stand-in and the endpoints its payment window calls."""

import json
from pathlib import Path

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from payment_galaxia import rules as galaxia_rules
from payment_galaxia.banks import BANKS
from payment_galaxia.cards import CARD_COMPANIES
from payment_galaxia.rules import GalaxiaRuleError, validate_request_pay

from . import messages
from .http_io import json_response, read_body
from .payments import Refusal, approve, fail, open_payment

IAMPORT_JS = Path(__file__).parent / 'static' / 'iamport.js'
RULE_SPEC_PLACEHOLDER = '/*@RULE_SPEC@*/null'
# PG-side failure codes of the window (rule refusals use the rules' snake_case codes).
DECLINED_ERROR_CODE = 'DECLINED'
CLOSED_ERROR_CODE = 'USER_CANCELLED'
# Installment months a window offers when the merchant sets no display.card_quota.
DEFAULT_INSTALLMENT_MONTHS = tuple(range(2, 13))
# PortOne shows this amount in a card billing-key window asked with amount 0 (nothing charged).
KEY_ISSUE_DISPLAYED_AMOUNT = 1000
# The fields of an issued virtual account the window shows.
VBANK_FIELDS = ('vbank_num', 'vbank_name', 'vbank_holder', 'vbank_date')
# The payment fields the JS SDK's callback receives.
CALLBACK_FIELDS = (
    'imp_uid', 'merchant_uid', 'pay_method', 'status', 'name', 'currency', 'pg_provider',
    'pg_tid', 'buyer_name', 'buyer_email', 'buyer_tel', 'buyer_addr', 'buyer_postcode',
    'paid_at', 'receipt_url', 'apply_num', 'card_name', 'card_number', 'card_quota', 'vbank_num',
    'vbank_name', 'vbank_holder', 'vbank_date', 'customer_uid',
)


def rules():
    """:return: The routes of the SDK and its window. :rtype: list[Rule]"""
    return [
        Rule('/v1/iamport.js', methods=['GET'], endpoint=serve_iamport_js),
        Rule('/v1/window/open', methods=['POST'], endpoint=open_window),
        Rule('/v1/window/<imp_uid>/<any(approve, decline, close):action>', methods=['POST'],
             endpoint=finish_window),
    ]


def rule_spec():
    """Return the limits and messages of Galaxia's rules as a JSON-able dict, for the validator
    ``iamport.js`` reimplements.

    :return: The constants of `payment_galaxia.rules`, keyed in snake_case.
    :rtype: dict
    """
    return {
        'currency': galaxia_rules.CURRENCY,
        'max_merchant_uid_length': galaxia_rules.MAX_MERCHANT_UID_LENGTH,
        'max_name_length': galaxia_rules.MAX_NAME_LENGTH,
        'max_customer_id_length': galaxia_rules.MAX_CUSTOMER_ID_LENGTH,
        'max_item_code_bytes': galaxia_rules.MAX_ITEM_CODE_BYTES,
        'min_installment_amount': galaxia_rules.MIN_INSTALLMENT_AMOUNT,
        'phone_carriers': list(galaxia_rules.PHONE_CARRIERS),
        'card_companies': list(CARD_COMPANIES),
        'app_scheme_pattern': galaxia_rules.APP_SCHEME.pattern,
        'pay_methods': list(galaxia_rules.PAY_METHODS),
        'escrow_pay_methods': list(galaxia_rules.ESCROW_PAY_METHODS),
        'billing_key_pay_methods': list(galaxia_rules.BILLING_KEY_PAY_METHODS),
        'messages': {
            code: message % galaxia_rules.RULE_MESSAGE_VALUES
            for code, message in galaxia_rules.RULE_MESSAGES.items()
        },
    }


def serve_iamport_js(app, request):
    """GET /v1/iamport.js: the SDK stand-in, with the rules' limits and messages (`rule_spec`)."""
    script = IAMPORT_JS.read_text(encoding='utf-8').replace(
        RULE_SPEC_PLACEHOLDER, json.dumps(rule_spec(), ensure_ascii=False)
    )
    return Response(script, mimetype='application/javascript',
                    headers={'Cache-Control': 'no-store'})


def open_window(app, request):
    """POST /v1/window/open ``{imp_code, param, mobile, user_agent}``: check the request as
    PortOne and Galaxia would, create the ``ready`` payment and describe the window to draw.

    :return: ``{ok: true, imp_uid, window}`` or ``{ok: false, error_code, error_msg}``.
    """
    body = read_body(request)
    param = body.get('param') if isinstance(body.get('param'), dict) else {}
    mobile = body.get('mobile') is True
    if body.get('imp_code') != app.state.config.merchant_code:
        return _refused('unknown_merchant_code', messages.UNKNOWN_MERCHANT_CODE)
    try:
        validate_request_pay(param, mobile=mobile)
        payment = open_payment(app.state, param, channel='mobile' if mobile else 'pc',
                               user_agent=body.get('user_agent'))
    except GalaxiaRuleError as error:
        return _refused(error.code, error.message)
    except Refusal as refusal:
        return _refused(refusal.reason, refusal.message)
    return json_response({'ok': True, 'imp_uid': payment['imp_uid'],
                          'window': _window(app.state.config, payment, param)})


def finish_window(app, request, imp_uid, action):
    """POST /v1/window/{imp_uid}/approve|decline|close ``{card_quota, bank, carrier, phone}``:
    finish the payment, schedule its webhook and return the callback's ``rsp``.

    :return: ``{ok: true, rsp, account}`` (``account``: the issued virtual account, or null) or
             ``{ok: false, error_code, error_msg}``.
    """
    body = read_body(request)
    state = app.state
    payment = state.payments.get(imp_uid)
    if payment is None or payment['channel'] == 'api':
        return _refused('payment_not_found', messages.PAYMENT_NOT_FOUND)
    try:
        if action == 'approve':
            approve(state, payment, card_quota=_int_or_none(body.get('card_quota')),
                    bank=body.get('bank'))
        else:
            fail(state, payment, messages.DECLINED if action == 'decline' else messages.USER_CLOSED)
    except Refusal as refusal:
        return _refused(refusal.reason, refusal.message)
    with state.lock:
        rsp = callback_response(
            payment, DECLINED_ERROR_CODE if action == 'decline' else CLOSED_ERROR_CODE
        )
        shape = state.faults.callback
        # The window shows an issued account whatever its callback is told.
        account = {key: payment[key] for key in VBANK_FIELDS} if payment['vbank_num'] else None
    if rsp['success']:
        app.webhooks.notify(payment, background=True)
    if shape == 'ids_only':
        rsp = {'imp_uid': rsp['imp_uid'], 'merchant_uid': rsp['merchant_uid']}
    elif shape == 'success_false':
        rsp.update(success=False, imp_success=False)
    return json_response({'ok': True, 'rsp': rsp, 'account': account})


def callback_response(payment, error_code):
    """Build the ``rsp`` the SDK hands to the merchant's callback.

    :param dict payment: The finished payment.
    :param str error_code: The code to report if the payment failed.
    :return: ``success``/``imp_success``, ``paid_amount``, ``error_code``/``error_msg`` and
             the payment's fields in `CALLBACK_FIELDS`.
    :rtype: dict
    """
    success = payment['status'] == 'paid' or bool(
        payment['status'] == 'ready' and payment['vbank_num']
    )
    rsp = {field: payment[field] for field in CALLBACK_FIELDS}
    rsp.update(
        success=success,
        imp_success=success,
        paid_amount=payment['amount'],
        error_code=None if success else error_code,
        error_msg=None if success else payment['fail_reason'],
    )
    return rsp


def _window(config, payment, param):
    """What the window shows and offers, so that the JS only draws it."""
    amount = payment['amount']
    issues_card_key = bool(payment['customer_uid']) and payment['pay_method'] == 'card'
    direct = _part(_part(param, 'card'), 'direct')
    return {
        'merchant_name': config.merchant_name,
        'name': payment['name'],
        'pay_method': payment['pay_method'],
        'amount': amount,
        'displayed_amount': amount or (KEY_ISSUE_DISPLAYED_AMOUNT if issues_card_key else 0),
        'issues_billing_key': bool(payment['customer_uid']),
        'card_quota_options': _card_quota_options(param, amount),
        'card_quota': _int_or_none(direct.get('quota')) or 0,
        'carriers': list(galaxia_rules.PHONE_CARRIERS),
        'carrier': _part(param, 'phone').get('carrier'),
        'buyer_tel': payment['buyer_tel'],
        'banks': [{'code': code, 'name': name} for code, name in BANKS],
    }


def _card_quota_options(param, amount):
    """Installment months to offer: 0 (lump sum) always, others only from 50,000 KRW."""
    if amount < galaxia_rules.MIN_INSTALLMENT_AMOUNT:
        return [0]
    months = _part(param, 'display').get('card_quota', DEFAULT_INSTALLMENT_MONTHS)
    if not isinstance(months, list | tuple):
        months = DEFAULT_INSTALLMENT_MONTHS
    return [0, *sorted({m for m in months if isinstance(m, int) and m > 1})]


def _part(mapping, key):
    value = mapping.get(key)
    return value if isinstance(value, dict) else {}


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _refused(error_code, error_msg):
    return json_response({'ok': False, 'error_code': error_code, 'error_msg': error_msg})
