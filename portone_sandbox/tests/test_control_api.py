# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""The sandbox's control API: creating payments, deposits, console cancels, webhooks, faults,
counters and reset."""

import time

import pytest


def test_created_payment_sends_its_webhook_before_answering(control, receiver):
    """Test that a created paid payment is answered with its synchronous webhook delivery."""
    created = control.post('payments', {'merchant_uid': 'order-c1', 'amount': 2000,
                                        'notice_url': receiver.url}, expect=201)
    assert created['payment']['status'] == 'paid'
    assert created['payment']['notice_url'] == receiver.url
    assert [(hook['url'], hook['http_status']) for hook in created['webhooks']] == [
        (receiver.url, 200)]
    assert receiver.received[0]['body'] == {'imp_uid': created['payment']['imp_uid'],
                                            'merchant_uid': 'order-c1', 'status': 'paid'}
    assert receiver.received[0]['content_type'] == 'application/json'


@pytest.mark.parametrize(('values', 'status', 'webhooks'), [
    ({'status': 'failed', 'fail_reason': '한도초과'}, 'failed', 0),
    ({'status': 'ready'}, 'ready', 0),
    ({'status': 'ready', 'pay_method': 'vbank', 'vbank_due': '20300131'}, 'ready', 1),
    ({'pay_method': 'vbank'}, 'paid', 1),
    ({'webhook': False}, 'paid', 0),
])
def test_created_payment_statuses(control, receiver, values, status, webhooks):
    """Test each status a created payment can have, and which ones send a webhook."""
    created = control.post('payments', {'merchant_uid': 'order-c2', 'amount': 2000,
                                        'notice_url': receiver.url, **values}, expect=201)
    assert created['payment']['status'] == status
    assert len(created['webhooks']) == webhooks


def test_created_payment_overrides(control):
    """Test that fields such as paid_at and the card can be set directly."""
    payment = control.pay(merchant_uid='order-c3', paid_at=1700000000, card_name='KB국민카드',
                          channel='mobile', sandbox=False, buyer_email='a@example.com')
    assert (payment['paid_at'], payment['card_name'], payment['channel']) == (
        1700000000, 'KB국민카드', 'mobile')
    assert (payment['sandbox'], payment['buyer_email']) == (False, 'a@example.com')


def test_created_payment_refusals(control):
    """Test that bad statuses, methods and missing ids are refused with 400."""
    for body in ({'merchant_uid': 'o', 'amount': 1, 'status': 'cancelled'},
                 {'merchant_uid': 'o', 'amount': 1, 'pay_method': 'kakaopay'},
                 {'amount': 1}, {'merchant_uid': 'o', 'amount': -1}):
        assert control.post('payments', body, expect=400)['error_code']


def test_list_payments_filters_on_merchant_uid(control):
    """Test the payment list, all of it or one order's."""
    control.pay(merchant_uid='order-l1')
    control.pay(merchant_uid='order-l2', status='failed')
    control.pay(merchant_uid='order-l2')
    assert len(control.get('payments')['payments']) == 3
    listed = control.get('payments?merchant_uid=order-l2')['payments']
    assert [payment['status'] for payment in listed] == ['failed', 'paid']


def test_deposit_needs_an_issued_account(control):
    """Test that only an issued virtual account can receive a deposit."""
    card = control.pay(merchant_uid='order-d1')
    refused = control.post(f"payments/{card['imp_uid']}/deposit", expect=400)
    assert refused['error_code'] == 'not_awaiting_deposit'
    assert control.post('payments/imp_nothing/deposit', expect=404)


def test_console_cancels_send_cancel_webhooks(control, receiver):
    """Test partial and full console cancels, each announced with its cancellation_id."""
    created = control.pay(merchant_uid='order-cc', amount=9000, notice_url=receiver.url)
    imp_uid = created['imp_uid']
    partial = control.post(f'payments/{imp_uid}/console-cancel', {'amount': 4000,
                                                                   'reason': '부분취소'})
    assert (partial['payment']['status'], partial['payment']['cancel_amount']) == ('paid', 4000)
    full = control.post(f'payments/{imp_uid}/console-cancel', {'reason': '전액취소'})
    assert full['payment']['status'] == 'cancelled'
    bodies = [hook['body'] for hook in receiver.received]
    assert bodies[1:] == [
        {'imp_uid': imp_uid, 'merchant_uid': 'order-cc', 'status': 'cancelled',
         'cancellation_id': partial['cancellation']['cancellation_id']},
        {'imp_uid': imp_uid, 'merchant_uid': 'order-cc', 'status': 'cancelled',
         'cancellation_id': full['cancellation']['cancellation_id']},
    ]


def test_console_cancel_of_a_virtual_account_needs_no_refund_account(control):
    """Test that a console cancel skips the refund account the API asks for."""
    created = control.pay(merchant_uid='order-cv', pay_method='vbank', amount=5000)
    cancelled = control.post(f"payments/{created['imp_uid']}/console-cancel", {})
    assert cancelled['payment']['status'] == 'cancelled'


def test_webhook_resend_and_records(control, receiver):
    """Test resending a webhook (to the payment's URL or another) and the delivery records."""
    created = control.pay(merchant_uid='order-wh', notice_url=receiver.url, webhook=False)
    imp_uid = created['imp_uid']
    control.post(f'payments/{imp_uid}/console-cancel', {})
    resent = control.post(f'payments/{imp_uid}/webhook', {})['webhooks']
    assert resent[0]['body']['status'] == 'cancelled'
    assert resent[0]['body']['cancellation_id'] == 'cancel_000000000001'
    control.post(f'payments/{imp_uid}/webhook', {'status': 'paid', 'url': receiver.url + '/2'})
    assert [hook['path'] for hook in receiver.received] == ['/webhook'] * 2 + ['/webhook/2']
    records = control.get('webhooks')['webhooks']
    assert [record['http_status'] for record in records] == [200, 200, 200]
    assert set(records[0]) == {'url', 'body', 'format', 'http_status', 'error', 'dropped', 'at'}


def test_webhook_to_a_failing_receiver_is_recorded(control, receiver):
    """Test that a receiver answering 500 is recorded as such."""
    receiver.answer_status = 500
    created = control.post('payments', {'merchant_uid': 'order-500', 'amount': 1,
                                        'notice_url': receiver.url}, expect=201)
    assert created['webhooks'][0]['http_status'] == 500


def test_webhook_to_nowhere_is_recorded_as_an_error(control):
    """Test that an unreachable webhook URL is recorded with its error."""
    created = control.post('payments', {'merchant_uid': 'order-nowhere', 'amount': 1,
                                        'notice_url': 'http://127.0.0.1:9/webhook'}, expect=201)
    assert created['webhooks'][0]['http_status'] is None
    assert created['webhooks'][0]['error']


@pytest.mark.parametrize(('mode', 'received', 'dropped'), [
    ('drop', 0, [True]),
    ('duplicate', 2, [False, False]),
])
def test_webhook_modes(control, receiver, mode, received, dropped):
    """Test that webhooks can be dropped (and still recorded) or duplicated."""
    control.post('faults', {'webhook': mode})
    created = control.post('payments', {'merchant_uid': 'order-mode', 'amount': 1,
                                        'notice_url': receiver.url}, expect=201)
    assert len(receiver.received) == received
    assert [hook['dropped'] for hook in created['webhooks']] == dropped


def test_form_webhooks(control, receiver):
    """Test webhooks sent form-encoded, as PortOne's console can be set to."""
    control.post('faults', {'webhook_format': 'form'})
    control.pay(merchant_uid='order-form-hook', notice_url=receiver.url)
    hook = receiver.received[0]
    assert hook['content_type'] == 'application/x-www-form-urlencoded'
    assert hook['body']['merchant_uid'] == 'order-form-hook'


def test_background_webhooks_on_request(control, receiver):
    """Test that the control API can leave delivery to the background too."""
    created = control.post('payments', {'merchant_uid': 'order-bg', 'amount': 1,
                                        'notice_url': receiver.url, 'background': True},
                           expect=201)
    assert created['webhooks'] == []
    assert receiver.wait_for(1)[0]['body']['merchant_uid'] == 'order-bg'


def test_console_webhook_url_serves_payments_without_notice_url(fresh_sandbox, control_for,
                                                                 receiver):
    """Test that the configured console URL receives webhooks of payments without notice_url."""
    control = control_for(fresh_sandbox(webhook_url=receiver.url))
    control.pay(merchant_uid='order-console-url')
    assert receiver.received[0]['body']['merchant_uid'] == 'order-console-url'


def test_faults_are_read_set_and_cleared(control):
    """Test the fault endpoints, merging, validation and clearing."""
    assert control.get('faults')['webhook'] == 'normal'
    control.post('faults', {'latency_ms': 5})
    faults = control.post('faults', {'fail': {'path_prefix': '/payments/', 'status': 503}})
    assert faults['latency_ms'] == 5
    assert faults['fail'] == {'path_prefix': '/payments/', 'status': 503, 'count': 1,
                              'body': 'json'}
    refused = control.post('faults', {'webhook': 'sometimes'}, expect=400)
    assert refused['error_code'] == 'bad_fault'
    assert control.post('faults', {'nonsense': 1}, expect=400)
    cleared = control.call('DELETE', 'faults', expect=200)[1]
    assert (cleared['latency_ms'], cleared['fail']) == (0, None)


def test_failure_fault_is_consumed(control, rest):
    """Test that a failure fault hits `count` matching requests, then stops."""
    control.post('faults', {'fail': {'path_prefix': '/payments/prepare', 'status': 500,
                                     'count': 2}})
    statuses = [rest.authed('GET', '/payments/prepare/x')[0] for _ in range(3)]
    assert statuses == [500, 500, 404]
    assert control.get('faults')['fail'] is None


def test_stats_count_rest_requests_per_endpoint(control, rest):
    """Test the request counters and their reset."""
    control.call('DELETE', 'stats', expect=200)
    rest.token()
    rest.call('GET', '/payments/imp_1', headers={'Authorization': 'bad'})
    stats = control.get('stats')
    assert stats['requests'] == {'POST /users/getToken': 1, 'GET /payments/{imp_uid}': 1}
    assert stats['total'] == 2
    assert control.call('DELETE', 'stats', expect=200)[1]['total'] == 0


def test_reset_forgets_data_but_keeps_tokens(sandbox, control, rest):
    """Test that reset empties the sandbox while issued tokens keep working."""
    token = rest.token()
    control.pay(merchant_uid='order-reset')
    control.post('faults', {'latency_ms': 10})
    control.post('reset')
    assert control.get('payments')['payments'] == []
    assert control.get('faults')['latency_ms'] == 0
    status, _ = rest.call('GET', '/payments/prepare/x', headers={'Authorization': token})
    assert status == 404
    control.post('tokens/expire')
    status, _ = rest.call('GET', '/payments/prepare/x', headers={'Authorization': token})
    assert status == 401


def test_receipt_page(control, rest):
    """Test that a payment's receipt_url leads to a page."""
    payment = control.pay(merchant_uid='order-receipt')
    page = rest.fetch('GET', payment['receipt_url'].removeprefix(rest.base_url))
    assert page.status == 200 and b'order-receipt' in page.data


def test_window_webhook_waits_for_the_configured_delay(fresh_sandbox, rest_for, receiver):
    """Test that window webhooks leave after webhook_delay, so the browser usually wins."""
    sandbox = fresh_sandbox(webhook_delay=0.2)
    rest = rest_for(sandbox.url)
    _, opened = rest.call('POST', '/v1/window/open', {'imp_code': 'imp00000000', 'param': {
        'channelKey': 'channel-key-galaxia-test', 'pay_method': 'card', 'merchant_uid': 'o',
        'name': 'n', 'amount': 1000, 'customer_id': 'c', 'notice_url': receiver.url}})
    started = time.monotonic()
    rest.call('POST', f"/v1/window/{opened['imp_uid']}/approve", {})
    assert receiver.wait_for(1)[0]['at'] - started >= 0.2
