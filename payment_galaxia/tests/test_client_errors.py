# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

import time

import pytest

from payment_galaxia.client import PortOneClient
from payment_galaxia.errors import (
    PortOneApiError,
    PortOneError,
    PortOneNotFound,
    PortOneUnavailable,
)


def test_hang_raises_unavailable_at_the_calls_deadline(sandbox, control):
    """Test that a server that never answers raises PortOneUnavailable once the call's time
    (0.5 s here) is up."""
    client = PortOneClient(sandbox.config.api_key, sandbox.config.api_secret, sandbox.url,
                           timeout=0.5)
    client.get_token()
    control.post('faults', {'timeout': {'path_prefix': '/payments/', 'seconds': 2}})
    started = time.monotonic()
    with pytest.raises(PortOneUnavailable) as caught:
        client.get_payment('imp_000000000001')
    assert 0.45 < time.monotonic() - started < 1
    assert caught.value.http_status is None


def test_one_deadline_covers_the_token_the_call_and_its_retry(sandbox, control):
    """Test that a slow answer refusing the token and the slow fresh token share the call's
    time (1 s here), instead of each getting its own: given their own, the call would end in
    PortOneNotFound after 3 x 0.7 s."""
    client = PortOneClient(sandbox.config.api_key, sandbox.config.api_secret, sandbox.url,
                           timeout=1)
    client.get_token()  # cached, then expired at PortOne: the call gets a 401 and retries
    control.post('tokens/expire')
    control.post('faults', {'timeout': {'path_prefix': '/', 'seconds': 0.7, 'count': 3}})
    started = time.monotonic()
    with pytest.raises(PortOneUnavailable):
        client.get_payment('imp_000000000001')
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize('status', [500, 502, 503])
def test_server_errors_raise_unavailable(control, client, status):
    """Test that HTTP 5xx raises PortOneUnavailable with the envelope's code and message."""
    client.get_token()
    control.post('faults', {'fail': {'path_prefix': '/payments/', 'status': status}})
    with pytest.raises(PortOneUnavailable) as caught:
        client.get_payment('imp_000000000001')
    assert (caught.value.code, caught.value.http_status) == (-1, status)
    assert caught.value.message == 'sandbox fault injected'


def test_unreadable_server_error_raises_unavailable(fresh_sandbox):
    """Test that an HTML 503 (a proxy's page) raises PortOneUnavailable without a code."""
    sandbox = fresh_sandbox()
    client = PortOneClient(sandbox.config.api_key, sandbox.config.api_secret, sandbox.url)
    sandbox.state.faults.update({'fail': {'path_prefix': '/users/', 'status': 503,
                                          'body': 'html'}})
    with pytest.raises(PortOneUnavailable) as caught:
        client.get_token()
    assert (caught.value.code, caught.value.http_status) == (None, 503)


def test_unreadable_client_error_raises_api_error(control, client):
    """Test that an unreadable answer below 500 raises PortOneApiError."""
    client.get_token()
    control.post('faults', {'fail': {'path_prefix': '/payments/', 'status': 400, 'body': 'html'}})
    with pytest.raises(PortOneApiError) as caught:
        client.get_payment('imp_000000000001')
    assert (caught.value.code, caught.value.http_status) == (None, 400)


def test_unreachable_server_raises_unavailable(fresh_sandbox):
    """Test that a refused connection raises PortOneUnavailable."""
    sandbox = fresh_sandbox()
    sandbox.stop()
    client = PortOneClient(sandbox.config.api_key, sandbox.config.api_secret, sandbox.url)
    with pytest.raises(PortOneUnavailable):
        client.get_token()


def test_envelope_error_raises_api_error_with_code_and_message(client):
    """Test that a non-zero envelope code raises PortOneApiError carrying it."""
    with pytest.raises(PortOneApiError) as caught:
        client.cancel(imp_uid='imp_404404404404', reason='test')
    assert (caught.value.code, caught.value.http_status) == (1, 200)
    assert caught.value.message == '취소할 결제건이 존재하지 않습니다.'
    assert isinstance(caught.value, PortOneError)


def test_unknown_payment_raises_not_found(client):
    """Test that HTTP 404 raises PortOneNotFound with PortOne's message."""
    with pytest.raises(PortOneNotFound) as caught:
        client.get_payment('imp_404404404404', include_sandbox=True)
    assert (caught.value.code, caught.value.http_status) == (-1, 404)
    assert caught.value.message == '존재하지 않는 결제정보입니다.'


def test_sandbox_payments_need_include_sandbox(control, client):
    """Test that test-channel payments are found only with include_sandbox=True."""
    test_payment = control.pay(merchant_uid='order-test-channel')
    live_payment = control.pay(merchant_uid='order-live-channel', sandbox=False)
    with pytest.raises(PortOneNotFound):
        client.get_payment(test_payment['imp_uid'])
    with pytest.raises(PortOneNotFound):
        client.find_payment('order-test-channel')
    assert client.get_payment(test_payment['imp_uid'], include_sandbox=True).sandbox
    assert client.find_payment('order-test-channel', include_sandbox=True).sandbox
    assert not client.get_payment(live_payment['imp_uid']).sandbox
    assert not client.find_payment('order-live-channel').sandbox


def test_missing_identifiers_are_refused_locally(client):
    """Test that empty ids never reach PortOne (they would hit another endpoint)."""
    with pytest.raises(ValueError):
        client.get_payment('')
    with pytest.raises(ValueError):
        client.cancel(None, amount=100)
