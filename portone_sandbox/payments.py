# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""What happens to payments in the sandbox: windows opened and finished, deposits, cancels,
billing keys and their charges. Callers hold no lock; every function takes the state's."""

import datetime

from payment_galaxia.amounts import as_krw
from payment_galaxia.banks import BANKS

from . import messages
from .state import now

PG_PROVIDER = 'galaxia'
# Korea has kept UTC+9 without daylight saving since 1988: no tz database needed.
KST = datetime.timezone(datetime.timedelta(hours=9), 'Asia/Seoul')
DEFAULT_VBANK_DAYS = 3
# The one card every sandbox card payment and card billing key uses.
SANDBOX_CARD = {
    'card_code': '366',
    'card_name': '신한카드',
    'card_number': '536510******1234',
    'card_type': 0,
}


class Refusal(Exception):
    """PortOne (or its window) refuses what was asked."""

    def __init__(self, reason, message, code=1, http_status=200):
        """
        :param str reason: snake_case identifier, the window's ``error_code``.
        :param str message: PortOne-style message.
        :param int code: The REST envelope's ``code`` (PortOne uses 1 for refused operations).
        :param int http_status: The REST answer's HTTP status.
        """
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.code = code
        self.http_status = http_status


def whole_amount(value, *, allow_zero=False):
    """Read an amount from JSON or a form field.

    :return: The amount as int.
    :raise Refusal: If it is not a whole number of won above zero (or zero, when allowed).
    """
    amount = as_krw(value)
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < (0 if allow_zero else 1):
        raise Refusal('invalid_amount', messages.INVALID_AMOUNT)
    return amount


def open_payment(state, param, *, channel, user_agent=None):
    """Create the ``ready`` payment of a window (or of an API charge).

    :param SandboxState state: The sandbox's state.
    :param dict param: The ``IMP.request_pay`` parameter (already validated by the caller).
    :param str channel: PortOne's ``channel``: ``pc``, ``mobile`` or ``api``.
    :param str user_agent: The buyer's browser.
    :return: The stored payment.
    :rtype: dict
    :raise Refusal: Unknown channel key, amount differing from the prepared one, or an order
                    id already paid.
    """
    channel_config = state.config.channels.get(param.get('channelKey'))
    if channel_config is None:
        raise Refusal('unknown_channel', messages.UNKNOWN_CHANNEL)
    amount = param.get('amount', 0)
    merchant_uid = param['merchant_uid']
    with state.lock:
        check_payable(state, merchant_uid, amount)
        imp_uid = 'imp_' + state.new_id('imp')
        payment = {
            'imp_uid': imp_uid,
            'merchant_uid': merchant_uid,
            'pay_method': param.get('pay_method', 'card'),
            'channel': channel,
            'pg_provider': PG_PROVIDER,
            'emb_pg_provider': None,
            'pg_tid': None,
            'pg_id': None,
            'sandbox': bool(channel_config.get('sandbox')),
            'escrow': param.get('escrow') is True,
            'apply_num': None,
            'bank_code': None,
            'bank_name': None,
            'card_code': None,
            'card_name': None,
            'card_quota': None,
            'card_number': None,
            'card_type': None,
            'vbank_code': None,
            'vbank_name': None,
            'vbank_num': None,
            'vbank_holder': None,
            'vbank_date': 0,
            'vbank_issued_at': 0,
            'name': param.get('name'),
            'amount': amount,
            'cancel_amount': 0,
            'currency': param.get('currency', 'KRW'),
            'buyer_name': param.get('buyer_name'),
            'buyer_email': param.get('buyer_email'),
            'buyer_tel': param.get('buyer_tel'),
            'buyer_addr': param.get('buyer_addr'),
            'buyer_postcode': param.get('buyer_postcode'),
            'custom_data': None,
            'user_agent': user_agent,
            'status': 'ready',
            'started_at': now(),
            'paid_at': 0,
            'failed_at': 0,
            'cancelled_at': 0,
            'fail_reason': None,
            'cancel_reason': None,
            'receipt_url': None,
            'cancel_history': [],
            'cancel_receipt_urls': [],
            'cash_receipt_issued': False,
            'customer_uid': param.get('customer_uid'),
            'customer_uid_usage': None,
            '_param': param,
            '_notice_url': param.get('notice_url'),
        }
        state.payments[imp_uid] = payment
        return payment


def check_payable(state, merchant_uid, amount):
    """Refuse an amount that differs from the prepared one, and an order id already paid.

    :raise Refusal: If the payment must not start.
    """
    prepared = state.prepared.get(merchant_uid)
    if prepared and prepared['amount'] != amount:
        raise Refusal('prepared_amount_mismatch', messages.PREPARED_MISMATCH)
    if state.has_paid(merchant_uid):
        raise Refusal('merchant_uid_already_paid', messages.MERCHANT_UID_PAID)


def approve(state, payment, *, card_quota=None, bank=None, paid_at=None):
    """Finish a window with the buyer's approval.

    Card, transfer and phone payments become ``paid``; a virtual account is issued and the
    payment stays ``ready`` until `deposit`. A ``customer_uid`` stores a billing key: on a card
    the window only issues it (usage ``issue``), on a phone it also pays (usage ``payment``).

    :param dict payment: A ``ready`` payment whose window is still open.
    :param int card_quota: The installment months chosen (card).
    :param str bank: The bank code chosen (transfer, virtual account).
    :param int paid_at: Unix time of the approval, default now.
    :raise Refusal: If the window was already finished.
    """
    with state.lock:
        _require_open_window(payment)
        _refuse_if_paid(state, payment)
        method = payment['pay_method']
        if method == 'vbank':
            _issue_virtual_account(state, payment, bank)
            return
        payment['pg_tid'] = _pg_tid(state)
        if method == 'card':
            payment.update(SANDBOX_CARD, card_quota=int(card_quota or 0))
            payment['apply_num'] = state.new_id('apply_num', 8)
        elif method == 'trans':
            payment['bank_code'], payment['bank_name'] = _bank(bank)
        _mark_paid(state, payment, paid_at)
        if payment['customer_uid']:
            payment['customer_uid_usage'] = 'issue' if method == 'card' else 'payment'
            _store_billing_key(state, payment)


def fail(state, payment, reason):
    """Finish a window (or a charge) without payment.

    :param dict payment: A ``ready`` payment whose window is still open.
    :param str reason: PortOne's ``fail_reason``.
    :raise Refusal: If the window was already finished.
    """
    with state.lock:
        _require_open_window(payment)
        payment.update(status='failed', failed_at=now(), fail_reason=reason)


def deposit(state, payment):
    """Record the buyer's deposit into an issued virtual account.

    :raise Refusal: If the payment is no virtual account waiting for its deposit.
    """
    with state.lock:
        awaits_deposit = payment['status'] == 'ready' and bool(payment['vbank_num'])
        if payment['pay_method'] != 'vbank' or not awaits_deposit:
            raise Refusal('not_awaiting_deposit', messages.NOT_AWAITING_DEPOSIT)
        _refuse_if_paid(state, payment)
        payment['pg_tid'] = _pg_tid(state)
        _mark_paid(state, payment, None)


def cancel(state, payment, request, *, console=False):
    """Cancel a payment fully or partially, the way ``POST /payments/cancel`` does.

    Partial cancels append to ``cancel_history`` and raise ``cancel_amount``; the status turns
    ``cancelled`` only once nothing is left (PortOne's behaviour here is unconfirmed).

    :param dict payment: The payment, or ``None`` if the lookup found nothing.
    :param dict request: ``amount`` (absent or 0 = the whole balance), ``checksum``,
                         ``reason``, ``refund_holder``, ``refund_bank``, ``refund_account``.
    :param bool console: A cancel made in the console: no checksum and no refund account
                         needed (the operator types those into the console).
    :return: The new cancel_history entry.
    :rtype: dict
    :raise Refusal: On any of PortOne's refusals.
    """
    with state.lock:
        if payment is None:
            raise Refusal('payment_not_found', messages.NOTHING_TO_CANCEL)
        if payment['status'] == 'cancelled':
            raise Refusal('already_cancelled', messages.ALREADY_CANCELLED)
        if payment['status'] != 'paid':
            raise Refusal('not_paid', messages.NOT_PAID)
        balance = payment['amount'] - payment['cancel_amount']
        if balance <= 0:
            raise Refusal('no_balance', messages.NO_BALANCE)
        requested = request.get('amount')
        amount = whole_amount(requested) if requested not in (None, 0, '0', '') else balance
        checksum = request.get('checksum')
        if not console and checksum not in (None, '') and as_krw(checksum) != balance:
            raise Refusal('checksum_mismatch', messages.CHECKSUM_MISMATCH)
        if amount > balance:
            raise Refusal('exceeds_balance', messages.EXCEEDS_BALANCE)
        if payment['pay_method'] == 'phone':
            _check_phone_cancel(payment, amount)
        if payment['pay_method'] == 'vbank' and not console and not all(
            request.get(key) for key in ('refund_holder', 'refund_bank', 'refund_account')
        ):
            raise Refusal('refund_account_required', messages.REFUND_ACCOUNT_REQUIRED)
        cancelled_at = now()
        entry = {
            'pg_tid': _pg_tid(state),
            'amount': amount,
            'cancelled_at': cancelled_at,
            'reason': request.get('reason') or '',
            'cancellation_id': 'cancel_' + state.new_id('cancellation'),
            'receipt_url': payment['receipt_url'],
        }
        payment['cancel_history'].append(entry)
        payment['cancel_amount'] += amount
        payment['cancel_reason'] = entry['reason']
        payment['cancelled_at'] = cancelled_at
        if payment['receipt_url']:
            payment['cancel_receipt_urls'].append(payment['receipt_url'])
        if payment['cancel_amount'] >= payment['amount']:
            payment['status'] = 'cancelled'
        return entry


def charge_billing_key(state, request):
    """Charge a stored billing key, the way ``POST /subscribe/payments/again`` does.

    The ``decline`` fault makes the charge fail: PortOne then still answers code 0, with a
    payment whose status is ``failed``.

    :param dict request: The API request (``customer_uid``, ``merchant_uid``, ``amount``,
                         ``name``, ``buyer_*``, ``notice_url``, ``tax_free``, ``vat_amount``).
    :return: The payment of the charge.
    :rtype: dict
    :raise Refusal: Missing parameters, unknown customer, amount refused, order id paid.
    """
    for key in ('customer_uid', 'merchant_uid', 'amount', 'name'):
        if request.get(key) in (None, ''):
            raise Refusal('missing_parameter', messages.MISSING_PARAMETER.format(key), code=-1)
    amount = whole_amount(request['amount'])
    with state.lock:
        key = state.billing_keys.get(request['customer_uid'])
        if key is None:
            raise Refusal('customer_unknown', messages.CUSTOMER_UNKNOWN)
        channel_key = next(
            (ck for ck, channel in state.config.channels.items()
             if bool(channel.get('sandbox')) == key['sandbox']),
            None,
        )
        param = {
            'channelKey': channel_key,
            'pay_method': key['_pay_method'],
            'merchant_uid': str(request['merchant_uid']),
            'name': request['name'],
            'amount': amount,
            'customer_uid': key['customer_uid'],
            'customer_id': key['customer_id'],
            'notice_url': request.get('notice_url'),
            **{k: request.get(k) for k in (
                'buyer_name', 'buyer_email', 'buyer_tel', 'buyer_addr', 'buyer_postcode'
            )},
        }
        payment = open_payment(state, param, channel='api')
        payment['customer_uid_usage'] = 'payment'
        decline_reason = state.faults.take_decline()
        if decline_reason:
            fail(state, payment, decline_reason)
            return payment
        payment['pg_tid'] = _pg_tid(state)
        if key['_pay_method'] == 'card':
            payment.update(SANDBOX_CARD, card_quota=0)
            payment['apply_num'] = state.new_id('apply_num', 8)
        _mark_paid(state, payment, None)
        return payment


def _refuse_if_paid(state, payment):
    """A `merchant_uid` names one paid payment: another attempt of the same order id (a second
    window, an issued account) cannot be paid once one is."""
    if state.has_paid(payment['merchant_uid']):
        raise Refusal('merchant_uid_already_paid', messages.MERCHANT_UID_PAID)


def _require_open_window(payment):
    if payment['status'] != 'ready' or payment['vbank_num']:
        raise Refusal('window_finished', messages.WINDOW_FINISHED)


def _mark_paid(state, payment, paid_at):
    payment.update(status='paid', paid_at=int(paid_at or now()))
    if payment['pay_method'] != 'vbank':
        payment['receipt_url'] = f"{state.base_url}/__sandbox__/receipts/{payment['imp_uid']}"


def _issue_virtual_account(state, payment, bank):
    due = payment['_param'].get('vbank_due')
    if due:
        due_date = datetime.date.fromisoformat(_dashed(str(due)))
    else:
        due_date = datetime.datetime.now(KST).date() + datetime.timedelta(days=DEFAULT_VBANK_DAYS)
    payment['vbank_code'], payment['vbank_name'] = _bank(bank)
    payment.update(
        vbank_num=state.new_id('vbank_num', 14),
        # Galaxia may send no holder; the sandbox shows the merchant, as most PGs do.
        vbank_holder=state.config.merchant_name,
        vbank_date=int(datetime.datetime.combine(
            due_date, datetime.time(23, 59, 59), tzinfo=KST
        ).timestamp()),
        vbank_issued_at=now(),
        pg_tid=_pg_tid(state),
    )


def _dashed(due):
    return due if '-' in due else f'{due[:4]}-{due[4:6]}-{due[6:8]}'


def _check_phone_cancel(payment, amount):
    if amount != payment['amount'] or payment['cancel_amount']:
        raise Refusal('phone_partial_cancel', messages.PHONE_PARTIAL_CANCEL)
    paid = datetime.datetime.fromtimestamp(payment['paid_at'], KST)
    today = datetime.datetime.now(KST)
    if (paid.year, paid.month) != (today.year, today.month):
        raise Refusal('phone_month_changed', messages.PHONE_MONTH_CHANGED)


def _store_billing_key(state, payment):
    param = payment['_param']
    previous = state.billing_keys.get(payment['customer_uid'], {})
    state.billing_keys[payment['customer_uid']] = {
        'customer_uid': payment['customer_uid'],
        'pg_provider': PG_PROVIDER,
        'pg_id': None,
        'customer_id': param.get('customer_id'),
        'card_name': payment['card_name'],
        'card_code': payment['card_code'],
        'card_number': payment['card_number'],
        'card_type': payment['card_type'],
        'customer_name': payment['buyer_name'],
        'customer_tel': payment['buyer_tel'],
        'customer_email': payment['buyer_email'],
        'customer_addr': payment['buyer_addr'],
        'customer_postcode': payment['buyer_postcode'],
        'inserted': previous.get('inserted', payment['paid_at']),
        'updated': payment['paid_at'],
        'sandbox': payment['sandbox'],
        '_pay_method': payment['pay_method'],
    }


def _bank(code):
    return next(((c, name) for c, name in BANKS if c == code), BANKS[0])


def _pg_tid(state):
    return 'GX' + state.new_id('pg_tid', 18)
