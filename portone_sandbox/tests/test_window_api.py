# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""The endpoints behind the sandbox's payment window, called as iamport.js calls them."""

import time

import pytest

from payment_galaxia.api_objects import Payment
from payment_galaxia.banks import BANKS
from payment_galaxia.rules import PHONE_CARRIERS
from payment_galaxia.verdict import Order, Outcome, judge

CHANNEL = 'channel-key-galaxia-test'


def _outcome(payment, amount, **order):
    """:return: What the module makes of `payment` for the order of the window's params."""
    return judge(payment, Order('order-window', amount, 'KRW', live=False, **order)).outcome


def _param(**values):
    return {'channelKey': CHANNEL, 'pay_method': 'card', 'merchant_uid': 'order-window',
            'name': '주문명:결제테스트', 'amount': 1000, 'customer_id': 'p0123456789',
            'buyer_name': '홍길동', 'buyer_tel': '010-1234-5678',
            'm_redirect_url': 'https://shop.example/return', **values}


def _open(rest, param, **body):
    _, opened = rest.call('POST', '/v1/window/open',
                          {'imp_code': 'imp00000000', 'param': param, **body})
    return opened


def _finish(rest, imp_uid, action, **choices):
    return rest.call('POST', f'/v1/window/{imp_uid}/{action}', choices)[1]


def _payment(sandbox, imp_uid):
    return Payment.from_api(sandbox.state.payments[imp_uid])


@pytest.mark.parametrize(('body', 'param', 'error_code'), [
    ({'imp_code': 'imp99999999'}, {}, 'unknown_merchant_code'),
    ({}, {'channelKey': 'no-such-channel'}, 'unknown_channel'),
    ({}, {'customer_id': 'x' * 53}, 'customer_id_too_long'),
    ({'mobile': True}, {'m_redirect_url': None}, 'missing_m_redirect_url'),
])
def test_open_refusals(rest, body, param, error_code):
    """Test that the window refuses a bad merchant code, channel or parameter up front."""
    opened = _open(rest, _param(**param), **body)
    assert (opened['ok'], opened['error_code']) == (False, error_code)
    assert opened['error_msg']


def test_open_creates_a_ready_payment_and_describes_the_window(sandbox, rest):
    """Test that opening creates a 'ready' payment and says what to draw."""
    opened = _open(rest, _param(amount=60000, display={'card_quota': [3, 2]},
                                card={'direct': {'code': '366', 'quota': 3}}), mobile=True)
    assert opened['ok'] and opened['imp_uid'] == 'imp_000000000001'
    payment = sandbox.state.payments[opened['imp_uid']]
    assert (payment['status'], payment['channel'], payment['sandbox']) == ('ready', 'mobile', True)
    window = opened['window']
    assert (window['pay_method'], window['displayed_amount'], window['card_quota']) == (
        'card', 60000, 3)
    assert window['card_quota_options'] == [0, 2, 3]
    assert window['merchant_name'] == sandbox.config.merchant_name
    assert [bank['code'] for bank in window['banks']] == [code for code, _name in BANKS]
    assert window['carriers'] == list(PHONE_CARRIERS)


@pytest.mark.parametrize(('param', 'options'), [
    ({'amount': 49999, 'display': {'card_quota': []}}, [0]),
    ({'amount': 10000}, [0]),
    ({'amount': 50000}, [0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
    ({'amount': 50000, 'display': {'card_quota': []}}, [0]),
])
def test_installment_options(rest, param, options):
    """Test that lump sum is always offered and installments only from 50,000 KRW."""
    assert _open(rest, _param(**param))['window']['card_quota_options'] == options


def test_card_approval(sandbox, rest, receiver):
    """Test that approving a card window pays, answers the callback rsp and sends a webhook
    after the configured delay."""
    opened = _open(rest, _param(amount=55000, notice_url=receiver.url))
    approved_at = time.monotonic()
    answer = _finish(rest, opened['imp_uid'], 'approve', card_quota='3')
    rsp = answer['rsp']
    assert answer['ok'] and rsp['success'] is True and rsp['imp_success'] is True
    assert (rsp['status'], rsp['pay_method'], rsp['paid_amount'], rsp['card_quota']) == (
        'paid', 'card', 55000, 3)
    assert (rsp['pg_provider'], rsp['buyer_name'], rsp['error_code'], rsp['error_msg']) == (
        'galaxia', '홍길동', None, None)
    assert rsp['pg_tid'] and rsp['receipt_url'] and rsp['card_name'] and rsp['paid_at']
    hook = receiver.wait_for(1)[0]
    assert hook['body'] == {'imp_uid': opened['imp_uid'], 'merchant_uid': 'order-window',
                            'status': 'paid'}
    assert hook['at'] - approved_at >= sandbox.config.webhook_delay
    assert _outcome(_payment(sandbox, opened['imp_uid']), 55000) is Outcome.DONE


def test_transfer_approval_records_the_bank(sandbox, rest):
    """Test that a bank transfer keeps the bank chosen in the window."""
    opened = _open(rest, _param(pay_method='trans', escrow=True))
    rsp = _finish(rest, opened['imp_uid'], 'approve', bank='088')['rsp']
    payment = sandbox.state.payments[opened['imp_uid']]
    assert rsp['status'] == 'paid'
    assert (payment['bank_code'], payment['bank_name'], payment['escrow']) == (
        '088', '신한은행', True)


def test_virtual_account_issue_then_deposit(sandbox, rest, control, receiver):
    """Test that a virtual account is issued ('ready' + account, webhook ready), then paid by
    a deposit (webhook paid)."""
    opened = _open(rest, _param(pay_method='vbank', vbank_due='2030-01-31',
                                notice_url=receiver.url))
    rsp = _finish(rest, opened['imp_uid'], 'approve', bank='020')['rsp']
    assert (rsp['success'], rsp['status'], rsp['vbank_name']) == (True, 'ready', '우리은행')
    assert rsp['vbank_num'] == '00000000000001' and rsp['vbank_holder']
    assert rsp['vbank_date'] == 1896101999  # 2030-01-31 23:59:59 KST
    assert _outcome(_payment(sandbox, opened['imp_uid']), 1000) is Outcome.PENDING
    assert receiver.wait_for(1)[0]['body']['status'] == 'ready'

    deposited = control.post(f"payments/{opened['imp_uid']}/deposit")
    assert deposited['payment']['status'] == 'paid'
    assert [hook['http_status'] for hook in deposited['webhooks']] == [200]
    assert [hook['body']['status'] for hook in receiver.received] == ['ready', 'paid']


def test_card_billing_key_issue(sandbox, rest):
    """Test that a card key window with amount 0 stores the key and pays nothing."""
    opened = _open(rest, _param(amount=0, customer_uid='cu-window'))
    assert opened['window']['displayed_amount'] == 1000
    assert opened['window']['issues_billing_key'] is True
    rsp = _finish(rest, opened['imp_uid'], 'approve')['rsp']
    payment = _payment(sandbox, opened['imp_uid'])
    assert (rsp['success'], rsp['customer_uid'], rsp['paid_amount']) == (True, 'cu-window', 0)
    assert (payment.status, payment.customer_uid_usage) == ('paid', 'issue')
    assert _outcome(payment, 1000, key_merchant_uid='order-window',
                    customer_uid='cu-window') is Outcome.KEY_ISSUED
    assert sandbox.state.billing_keys['cu-window']['card_name'] == '신한카드'


def test_phone_billing_key_with_payment(sandbox, rest):
    """Test that a phone key window stores the key and pays the amount."""
    opened = _open(rest, _param(pay_method='phone', amount=3000, customer_uid='cu-phone-window',
                                phone={'carrier': 'KTF'}))
    assert opened['window']['carrier'] == 'KTF'
    _finish(rest, opened['imp_uid'], 'approve', carrier='KTF', phone='010-1111-2222')
    payment = _payment(sandbox, opened['imp_uid'])
    assert (payment.status, payment.amount, payment.customer_uid_usage) == (
        'paid', 3000, 'payment')
    assert _outcome(payment, 3000) is Outcome.DONE
    assert sandbox.state.billing_keys['cu-phone-window']['card_name'] is None


@pytest.mark.parametrize(('action', 'error_code', 'reason'), [
    ('decline', 'DECLINED', '결제 승인이 거절되었습니다. (sandbox)'),
    ('close', 'USER_CANCELLED', '사용자가 결제를 취소하셨습니다'),
])
def test_failed_windows_send_no_webhook(sandbox, rest, control, receiver, action, error_code,
                                        reason):
    """Test that declining or closing fails the payment, with no webhook: a payment approved
    after it sends one, which would come second."""
    opened = _open(rest, _param(notice_url=receiver.url))
    rsp = _finish(rest, opened['imp_uid'], action)['rsp']
    assert (rsp['success'], rsp['imp_success'], rsp['status']) == (False, False, 'failed')
    assert (rsp['error_code'], rsp['error_msg'], rsp['imp_uid']) == (
        error_code, reason, opened['imp_uid'])
    assert _payment(sandbox, opened['imp_uid']).fail_reason == reason
    control.pay(merchant_uid='order-after', notice_url=receiver.url, background=True)
    assert [hook['body']['merchant_uid'] for hook in receiver.wait_for(1)] == ['order-after']


def test_a_window_finishes_once(rest):
    """Test that a finished window cannot be approved again."""
    opened = _open(rest, _param())
    _finish(rest, opened['imp_uid'], 'close')
    answer = _finish(rest, opened['imp_uid'], 'approve')
    assert (answer['ok'], answer['error_code']) == (False, 'window_finished')


def test_early_webhook_lands_before_the_browser(rest, control, receiver):
    """Test that the 'early' fault delivers the webhook before the window answers."""
    control.post('faults', {'webhook': 'early'})
    opened = _open(rest, _param(notice_url=receiver.url))
    _finish(rest, opened['imp_uid'], 'approve')
    assert [hook['body']['status'] for hook in receiver.received] == ['paid']


@pytest.mark.parametrize(('shape', 'expected_rsp'), [
    ('ids_only', {'imp_uid': None, 'merchant_uid': 'order-window'}),
    ('success_false', {'success': False, 'imp_success': False, 'status': 'paid'}),
])
def test_callback_shapes(sandbox, rest, control, shape, expected_rsp):
    """Test that the `callback` fault reduces the callback to its ids, or makes it say
    `success: false`, while PortOne holds the payment as paid."""
    control.post('faults', {'callback': shape})
    opened = _open(rest, _param())
    rsp = _finish(rest, opened['imp_uid'], 'approve')['rsp']
    expected = {**expected_rsp, 'imp_uid': opened['imp_uid']} if 'imp_uid' in expected_rsp else (
        expected_rsp)
    assert {key: rsp.get(key) for key in expected} == expected
    if shape == 'ids_only':
        assert set(rsp) == {'imp_uid', 'merchant_uid'}
    assert _payment(sandbox, opened['imp_uid']).status == 'paid'


def test_window_shows_the_account_whatever_the_callback(rest, control):
    """Test that an issued virtual account is shown by the window even when its callback only
    carries the ids."""
    control.post('faults', {'callback': 'ids_only'})
    opened = _open(rest, _param(pay_method='vbank', vbank_due='2030-01-31'))
    answer = _finish(rest, opened['imp_uid'], 'approve')
    assert set(answer['rsp']) == {'imp_uid', 'merchant_uid'}
    assert answer['account']['vbank_num'] == '00000000000001'


def test_second_window_of_a_paid_order_cannot_be_approved(rest, control):
    """Test that a window left open cannot pay an order id another window paid meanwhile, nor
    can a virtual account of it be deposited into."""
    first, second = _open(rest, _param()), _open(rest, _param())
    account = _open(rest, _param(pay_method='vbank', vbank_due='2030-01-31'))
    _finish(rest, account['imp_uid'], 'approve')
    _finish(rest, first['imp_uid'], 'approve')
    refused = _finish(rest, second['imp_uid'], 'approve')
    assert (refused['ok'], refused['error_code']) == (False, 'merchant_uid_already_paid')
    status, answer = control.call('POST', f"payments/{account['imp_uid']}/deposit")
    assert (status, answer['error_code']) == (400, 'merchant_uid_already_paid')
