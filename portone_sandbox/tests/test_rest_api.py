# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""The sandbox's PortOne REST API, called by hand to pin its shapes, codes and rules."""

import datetime
import time

KST = datetime.timezone(datetime.timedelta(hours=9))


def _wait_for(condition, timeout=5):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"still not true after {timeout} s"
        time.sleep(0.01)


def _get_token(rest, **form):
    return rest.call('POST', '/users/getToken', form=form) if form else rest.call(
        'POST', '/users/getToken', {'imp_key': 'sandbox_api_key',
                                    'imp_secret': 'sandbox_api_secret'})


def test_get_token_accepts_json_and_form(rest):
    """Test that a token comes back for JSON and form bodies, with expired_at and now."""
    status, answer = _get_token(rest)
    assert status == 200 and answer['code'] == 0 and answer['message'] is None
    token = answer['response']
    assert token['expired_at'] - token['now'] > 0 and len(token['access_token']) == 40
    status, answer = _get_token(rest, imp_key='sandbox_api_key', imp_secret='sandbox_api_secret')
    assert status == 200 and answer['response']['access_token'] == token['access_token']


def test_get_token_refuses_bad_credentials(rest):
    """Test that a wrong secret gets HTTP 401 and code -1."""
    status, answer = rest.call('POST', '/users/getToken', {'imp_key': 'sandbox_api_key',
                                                           'imp_secret': 'wrong'})
    assert status == 401 and answer['code'] == -1 and answer['response'] is None


def test_token_is_reused_then_extended_then_renewed(fresh_sandbox, rest_for):
    """Test reuse before expiry, the 5-minute extension in the last minute, and renewal."""
    rest = rest_for(fresh_sandbox(token_life=30).url)
    first = _get_token(rest)[1]['response']
    second = _get_token(rest)[1]['response']
    assert second['access_token'] == first['access_token']
    assert second['expired_at'] == first['expired_at'] + 300

    sandbox = fresh_sandbox(token_life=1)
    rest = rest_for(sandbox.url)
    first = _get_token(rest)[1]['response']
    # Asking again would extend it: watch it expire (within the second) without asking.
    _wait_for(lambda: not sandbox.state.token_is_valid(first['access_token']))
    assert _get_token(rest)[1]['response']['access_token'] != first['access_token']

    rest = rest_for(fresh_sandbox().url)
    first = _get_token(rest)[1]['response']
    assert _get_token(rest)[1]['response']['expired_at'] == first['expired_at']


def test_token_is_checked_in_every_header_form(rest):
    """Test Bearer, bare and legacy X-ImpTokenHeader tokens, and 401 without one."""
    token = rest.token()
    for headers in ({'Authorization': f'Bearer {token}'}, {'Authorization': token},
                    {'X-ImpTokenHeader': token}):
        status, answer = rest.call('GET', '/payments/prepare/nothing', headers=headers)
        assert status == 404, headers
    status, answer = rest.call('GET', '/payments/prepare/nothing')
    assert (status, answer['code'], answer['message']) == (401, -1, 'Unauthorized')
    status, _ = rest.call('GET', '/payments/prepare/nothing', headers={'Authorization': 'x'})
    assert status == 401


def test_expired_tokens_are_refused(sandbox, rest):
    """Test that tokens stop working once expired."""
    token = rest.token()
    sandbox.state.expire_tokens()
    status, _ = rest.call('GET', '/payments/prepare/x', headers={'Authorization': token})
    assert status == 401
    assert rest.token() != token


def test_unknown_route_is_an_enveloped_404(rest):
    """Test that unknown paths answer like PortOne, not with an HTML page."""
    status, answer = rest.authed('GET', '/nothing/here')
    assert status == 404 and answer['code'] == -1


def test_payment_lookup_shapes(control, rest):
    """Test that a payment carries PortOne's fields and none of the sandbox's own."""
    created = control.pay(merchant_uid='order-shape', sandbox=False, notice_url='http://x/y')
    status, answer = rest.authed('GET', f"/payments/{created['imp_uid']}")
    payment = answer['response']
    assert status == 200 and answer['code'] == 0
    assert {'imp_uid', 'merchant_uid', 'status', 'amount', 'cancel_amount', 'currency',
            'pay_method', 'pg_provider', 'pg_tid', 'sandbox', 'escrow', 'name', 'customer_uid',
            'customer_uid_usage', 'card_name', 'card_number', 'card_quota', 'vbank_num',
            'vbank_date', 'paid_at', 'failed_at', 'cancelled_at', 'fail_reason', 'receipt_url',
            'cancel_history', 'started_at', 'channel'} <= set(payment)
    assert not [key for key in payment if key.startswith('_') or key == 'notice_url']


def test_include_sandbox_is_needed_for_test_channel_payments(control, rest):
    """Test that a test-channel payment is a 404 unless include_sandbox=true."""
    created = control.pay(merchant_uid='order-hidden')
    assert rest.authed('GET', f"/payments/{created['imp_uid']}")[0] == 404
    assert rest.authed('GET', '/payments/find/order-hidden')[0] == 404
    status, answer = rest.authed('GET', f"/payments/{created['imp_uid']}?include_sandbox=true")
    assert status == 200 and answer['response']['sandbox'] is True
    status, answer = rest.authed('GET', '/payments/find/order-hidden/paid?include_sandbox=true')
    assert status == 200 and answer['response']['imp_uid'] == created['imp_uid']


def test_prepared_amount_is_enforced_everywhere(control, rest):
    """Test that a prepared order id refuses another amount in a window, a created payment and
    a billing-key charge, and accepts the prepared one."""
    rest.authed('POST', '/payments/prepare', {'merchant_uid': 'order-prep', 'amount': 5000},
                expect=200)
    param = {'channelKey': 'channel-key-galaxia-test', 'pay_method': 'card',
             'merchant_uid': 'order-prep', 'name': 'n', 'amount': 4000, 'customer_id': 'c'}
    _, opened = rest.call('POST', '/v1/window/open', {'imp_code': 'imp00000000', 'param': param})
    assert (opened['ok'], opened['error_code']) == (False, 'prepared_amount_mismatch')
    refused = control.post('payments', {'merchant_uid': 'order-prep', 'amount': 4000}, expect=400)
    assert refused['error_code'] == 'prepared_amount_mismatch'

    control.pay(merchant_uid='order-key-prep', amount=0, customer_uid='cu-prep')
    rest.authed('POST', '/payments/prepare', {'merchant_uid': 'order-again-prep', 'amount': 900})
    status, answer = rest.authed('POST', '/subscribe/payments/again', {
        'customer_uid': 'cu-prep', 'merchant_uid': 'order-again-prep', 'amount': 1000,
        'name': 'n'})
    assert (status, answer['code']) == (200, 1)

    rest.authed('PUT', '/payments/prepare', {'merchant_uid': 'order-prep', 'amount': 4000},
                expect=200)
    _, opened = rest.call('POST', '/v1/window/open', {'imp_code': 'imp00000000', 'param': param})
    assert opened['ok']


def test_paid_merchant_uid_cannot_be_paid_again(control, rest):
    """Test that an order id already paid is refused by the window, the API and the control."""
    control.pay(merchant_uid='order-once', amount=0, customer_uid='cu-once')
    param = {'channelKey': 'channel-key-galaxia-test', 'pay_method': 'card',
             'merchant_uid': 'order-once', 'name': 'n', 'amount': 1000, 'customer_id': 'c'}
    _, opened = rest.call('POST', '/v1/window/open', {'imp_code': 'imp00000000', 'param': param})
    assert opened['error_code'] == 'merchant_uid_already_paid'
    _, answer = rest.authed('POST', '/subscribe/payments/again', {
        'customer_uid': 'cu-once', 'merchant_uid': 'order-once', 'amount': 1000, 'name': 'n'})
    assert answer['code'] == 1
    control.post('payments', {'merchant_uid': 'order-once', 'amount': 1000}, expect=400)
    control.pay(merchant_uid='order-failed-first', status='failed')
    control.pay(merchant_uid='order-failed-first')  # a failed attempt does not block


def test_partial_cancels_build_the_history(control, rest):
    """Test partial cancels, the balance, and the final cancel turning the status."""
    created = control.pay(merchant_uid='order-partial', amount=10000)
    imp_uid = created['imp_uid']
    _, first = rest.authed('POST', '/payments/cancel',
                           {'imp_uid': imp_uid, 'amount': 4000, 'checksum': 10000, 'reason': 'a'})
    payment = first['response']
    assert (payment['status'], payment['cancel_amount']) == ('paid', 4000)
    assert payment['cancel_history'][0]['cancellation_id'] == 'cancel_000000000001'
    assert set(payment['cancel_history'][0]) == {'pg_tid', 'amount', 'cancelled_at', 'reason',
                                                 'cancellation_id', 'receipt_url'}
    _, over = rest.authed('POST', '/payments/cancel', {'imp_uid': imp_uid, 'amount': 6001})
    assert over['code'] == 1
    _, stale = rest.authed('POST', '/payments/cancel',
                           {'imp_uid': imp_uid, 'amount': 1000, 'checksum': 10000})
    assert stale['code'] == 1 and stale['message'] == '취소가능잔액(checksum)이 일치하지 않습니다.'
    _, rest_of_it = rest.authed('POST', '/payments/cancel', {'imp_uid': imp_uid, 'amount': 0,
                                                             'checksum': 6000})
    payment = rest_of_it['response']
    assert (payment['status'], payment['cancel_amount']) == ('cancelled', 10000)
    assert [entry['amount'] for entry in payment['cancel_history']] == [4000, 6000]
    _, again = rest.authed('POST', '/payments/cancel', {'imp_uid': imp_uid})
    assert again['message'] == '이미 전액취소된 주문입니다.'


def test_cancel_accepts_form_bodies(control, rest):
    """Test a form-encoded cancel, whose numbers arrive as text."""
    created = control.pay(merchant_uid='order-form', amount=3000)
    status, answer = rest.call('POST', '/payments/cancel',
                               form={'imp_uid': created['imp_uid'], 'amount': '1000',
                                     'checksum': '3000'},
                               headers={'Authorization': rest.token()})
    assert status == 200 and answer['response']['cancel_amount'] == 1000


def test_only_paid_payments_can_be_cancelled(control, rest):
    """Test that a window left open or a failed payment cannot be cancelled."""
    for status in ('ready', 'failed'):
        created = control.pay(merchant_uid=f'order-{status}', status=status)
        _, answer = rest.authed('POST', '/payments/cancel', {'imp_uid': created['imp_uid']})
        assert answer['code'] == 1, status


def test_virtual_account_refund_needs_the_refund_account(control, rest):
    """Test that a paid virtual account is refunded only with refund_holder/bank/account."""
    created = control.pay(merchant_uid='order-vbank', pay_method='vbank', amount=20000)
    _, refused = rest.authed('POST', '/payments/cancel', {'imp_uid': created['imp_uid'],
                                                         'refund_holder': '홍길동'})
    assert refused['code'] == 1 and 'refund_account' in refused['message']
    _, answer = rest.authed('POST', '/payments/cancel', {
        'imp_uid': created['imp_uid'], 'refund_holder': '홍길동', 'refund_bank': '088',
        'refund_account': '110123456789'})
    assert answer['response']['status'] == 'cancelled'


def test_phone_payments_cancel_whole_and_within_their_month(control, rest):
    """Test that phone payments refuse partial cancels and cancels after their month."""
    created = control.pay(merchant_uid='order-phone', pay_method='phone', amount=5000)
    _, partial = rest.authed('POST', '/payments/cancel', {'imp_uid': created['imp_uid'],
                                                         'amount': 1000})
    assert partial['message'] == '휴대폰 결제는 부분취소가 불가능합니다.'
    _, whole = rest.authed('POST', '/payments/cancel', {'imp_uid': created['imp_uid']})
    assert whole['response']['status'] == 'cancelled'

    first_of_month = datetime.datetime.now(KST).replace(day=1, hour=0, minute=0, second=0)
    last_month = int(first_of_month.timestamp()) - 3600
    old = control.pay(merchant_uid='order-phone-old', pay_method='phone', amount=5000,
                      paid_at=last_month)
    _, late = rest.authed('POST', '/payments/cancel', {'imp_uid': old['imp_uid']})
    assert late['message'] == '휴대폰 결제는 결제한 달이 지나면 취소할 수 없습니다.'


def test_cancel_webhook_only_when_enabled(control, rest, receiver):
    """Test that an API cancel sends its webhook only with enable_webhook=true: the first
    cancel's, had it been sent, would have arrived first."""
    first = control.pay(merchant_uid='order-hook-1', amount=3000, notice_url=receiver.url,
                        webhook=False)
    second = control.pay(merchant_uid='order-hook-2', amount=3000, notice_url=receiver.url,
                         webhook=False)
    rest.authed('POST', '/payments/cancel', {'imp_uid': first['imp_uid']})
    _, answer = rest.authed('POST', '/payments/cancel', {'imp_uid': second['imp_uid'],
                                                        'amount': 1000, 'enable_webhook': True})
    assert [hook['body'] for hook in receiver.wait_for(1)] == [{
        'imp_uid': second['imp_uid'], 'merchant_uid': 'order-hook-2', 'status': 'cancelled',
        'cancellation_id': answer['response']['cancel_history'][0]['cancellation_id'],
    }]


def test_billing_keys_are_read_and_deleted(control, rest):
    """Test GET and DELETE of a billing key, and 404 with PortOne's message afterwards."""
    control.pay(merchant_uid='order-key', amount=0, customer_uid='cu-rest', buyer_name='김철수')
    _, answer = rest.authed('GET', '/subscribe/customers/cu-rest', expect=200)
    key = answer['response']
    assert (key['customer_uid'], key['pg_provider'], key['customer_name'], key['sandbox']) == (
        'cu-rest', 'galaxia', '김철수', True)
    assert not [name for name in key if name.startswith('_')]
    rest.authed('DELETE', '/subscribe/customers/cu-rest?reason=bye', expect=200)
    status, answer = rest.authed('GET', '/subscribe/customers/cu-rest')
    assert status == 404
    assert answer['message'] == '요청하신 customer_uid(cu-rest)로 등록된 정보를 찾을 수 없습니다.'


def test_again_charges_card_and_phone_keys(control, rest, receiver):
    """Test charges of a card key and of a phone key, with their webhook."""
    control.pay(merchant_uid='order-card-key', amount=0, customer_uid='cu-card')
    control.pay(merchant_uid='order-phone-key', pay_method='phone', amount=3000,
                customer_uid='cu-phone')
    _, card = rest.authed('POST', '/subscribe/payments/again', {
        'customer_uid': 'cu-card', 'merchant_uid': 'order-again-card', 'amount': 9900,
        'name': 'Plan', 'notice_url': receiver.url})
    _, phone = rest.authed('POST', '/subscribe/payments/again', {
        'customer_uid': 'cu-phone', 'merchant_uid': 'order-again-phone', 'amount': 3000,
        'name': 'Plan'})
    assert (card['response']['pay_method'], card['response']['status'],
            card['response']['channel']) == ('card', 'paid', 'api')
    assert (phone['response']['pay_method'], phone['response']['customer_uid_usage']) == (
        'phone', 'payment')
    assert receiver.wait_for(1)[0]['body']['merchant_uid'] == 'order-again-card'


def test_again_decline_is_code_zero_with_a_failed_payment(control, rest):
    """Test that a declined charge answers code 0 with status failed, like PortOne."""
    control.pay(merchant_uid='order-declined-key', amount=0, customer_uid='cu-decline')
    control.post('faults', {'decline': {'count': 1, 'reason': '잔액부족'}})
    _, answer = rest.authed('POST', '/subscribe/payments/again', {
        'customer_uid': 'cu-decline', 'merchant_uid': 'order-declined', 'amount': 1000,
        'name': 'n'})
    assert answer['code'] == 0
    assert (answer['response']['status'], answer['response']['fail_reason']) == (
        'failed', '잔액부족')
    _, retry = rest.authed('POST', '/subscribe/payments/again', {
        'customer_uid': 'cu-decline', 'merchant_uid': 'order-declined', 'amount': 1000,
        'name': 'n'})
    assert retry['response']['status'] == 'paid'


def test_again_needs_its_parameters(rest):
    """Test that a charge without amount is refused before anything happens."""
    _, answer = rest.authed('POST', '/subscribe/payments/again',
                            {'customer_uid': 'cu', 'merchant_uid': 'o', 'name': 'n'})
    assert answer['code'] == -1 and 'amount' in answer['message']


def test_cors_headers_and_preflight(rest):
    """Test that browsers on other origins may call the sandbox."""
    preflight = rest.fetch('OPTIONS', '/v1/window/open')
    assert preflight.status == 204
    assert preflight.headers['Access-Control-Allow-Origin'] == '*'
    assert 'Authorization' in preflight.headers['Access-Control-Allow-Headers']
    answer = rest.fetch('GET', '/v1/iamport.js')
    assert answer.headers['Access-Control-Allow-Origin'] == '*'
