# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from payment_galaxia.client import PortOneClient
from payment_galaxia.errors import PortOneAuthError
from payment_galaxia.token_cache import SAFETY_MARGIN

TOKEN = 'POST /users/getToken'
LOOKUP = 'GET /payments/{imp_uid}'


def _client(sandbox, **kwargs):
    return PortOneClient(sandbox.config.api_key, sandbox.config.api_secret, sandbox.url, **kwargs)


def test_token_is_shared_by_calls_and_client_instances(fresh_sandbox):
    """Test that several calls from several clients fetch a single access token."""
    sandbox = fresh_sandbox()
    first, second = _client(sandbox), _client(sandbox)
    for number, client in enumerate((first, second, first, second)):
        client.prepare(f'order-{number}', 1000)
    assert sandbox.state.stats[TOKEN] == 1


def test_cached_token_does_not_vouch_for_another_secret(fresh_sandbox):
    """Test that a wrong secret typed in after a right one is refused, not served the token
    the right secret obtained."""
    sandbox = fresh_sandbox()
    _client(sandbox).get_token()
    wrong = PortOneClient(sandbox.config.api_key, 'not-the-secret', sandbox.url)
    with pytest.raises(PortOneAuthError):
        wrong.get_token()


def test_concurrent_first_calls_fetch_one_token(fresh_sandbox):
    """Test that threads starting together wait for one token fetch instead of racing."""
    sandbox = fresh_sandbox(deterministic=False)
    barrier = threading.Barrier(8)

    def token():
        barrier.wait()
        return _client(sandbox).get_token()

    with ThreadPoolExecutor(8) as pool:
        tokens = set(pool.map(lambda _: token(), range(8)))
    assert len(tokens) == 1
    assert sandbox.state.stats[TOKEN] == 1


def test_token_is_fetched_again_when_its_cached_life_ends(fresh_sandbox):
    """Test that the cache lasts the server's life minus the safety margin (1 s here), then
    asks the server again (which still has the token: the same comes back)."""
    sandbox = fresh_sandbox(token_life=SAFETY_MARGIN + 1)
    client = _client(sandbox)
    asked_at = time.monotonic()
    token = client.get_token()
    while sandbox.state.stats[TOKEN] == 1 and time.monotonic() < asked_at + 5:
        assert client.get_token() == token
        time.sleep(0.01)
    assert sandbox.state.stats[TOKEN] == 2
    assert time.monotonic() - asked_at >= 1


def test_refused_token_is_replaced_and_the_call_retried_once(fresh_sandbox):
    """Test that a 401 drops the cached token, fetches a new one and retries the call once."""
    sandbox = fresh_sandbox()
    client = _client(sandbox)
    client.prepare('order-before', 1000)
    sandbox.state.expire_tokens()
    client.prepare('order-after', 1000)
    assert 'order-after' in sandbox.state.prepared
    assert sandbox.state.stats[TOKEN] == 2
    assert sandbox.state.stats['POST /payments/prepare'] == 3  # the refused one retried once


def test_second_401_raises_auth_error(fresh_sandbox):
    """Test that a call refused again with a fresh token raises PortOneAuthError."""
    sandbox = fresh_sandbox()
    client = _client(sandbox)
    sandbox.state.faults.update({'fail': {'path_prefix': '/payments/', 'status': 401,
                                          'count': 2}})
    with pytest.raises(PortOneAuthError) as caught:
        client.get_payment('imp_000000000001')
    assert caught.value.http_status == 401
    assert sandbox.state.stats[LOOKUP] == 2
    assert sandbox.state.stats[TOKEN] == 2


def test_bad_credentials_raise_auth_error(fresh_sandbox):
    """Test that a refused key and secret raise PortOneAuthError with PortOne's message."""
    sandbox = fresh_sandbox()
    client = PortOneClient(sandbox.config.api_key, 'not-the-secret', sandbox.url)
    with pytest.raises(PortOneAuthError) as caught:
        client.get_payment('imp_000000000001')
    assert (caught.value.code, caught.value.http_status) == (-1, 401)
    assert 'imp_secret' in caught.value.message
