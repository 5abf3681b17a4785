# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""The sandbox's rate faults: a share of PortOne's REST requests failing (`fail_rate`) or slow
(`slow`), drawn request by request, reproducible with a seed, until cleared."""

import time

import pytest

# A route every call reaches with a valid token and answers 404 (nothing prepared): any other
# status comes from a fault.
PREPARED = '/payments/prepare/order-rate'


@pytest.fixture
def get_prepared(rest):
    """:return: A function sending one authenticated request to `PREPARED`, returning its
    status (one token for all, so that only the requests under test are drawn)."""
    headers = {'Authorization': f'Bearer {rest.token()}'}
    return lambda path=PREPARED: rest.call('GET', path, headers=headers)[0]


def test_fail_rate_fails_its_share_of_matching_requests(control, get_prepared):
    """Test that about 5% of 200 matching requests fail, as counted by the fault, and that the
    fault stays for the next ones."""
    control.post('faults', {'fail_rate': {'path_prefix': '/payments/', 'share': 0.05,
                                          'status': 503, 'seed': 7}})
    statuses = [get_prepared() for _ in range(200)]
    failed = statuses.count(503)
    assert set(statuses) == {404, 503}
    assert 5 <= failed <= 15, failed
    fault = control.get('faults')['fail_rate']
    assert fault == {'path_prefix': '/payments/', 'share': 0.05, 'status': 503, 'body': 'json',
                     'seed': 7, 'failed': failed}


def test_fail_rate_draws_repeat_with_the_seed(control, rest, get_prepared):
    """Test that the same seed fails the same matching requests, whatever non-matching
    requests come in between (they take no draw)."""
    fault = {'fail_rate': {'path_prefix': '/payments/', 'share': 0.3, 'seed': 11}}
    control.post('faults', fault)
    first = [get_prepared() for _ in range(40)]
    control.post('faults', fault)  # Setting it again starts the draws afresh.
    second = []
    for _ in range(40):
        rest.token()  # /users/getToken does not match: never fails, draws nothing.
        second.append(get_prepared())
    assert first == second
    assert 503 in first and 404 in first


def test_fail_rate_extremes_and_html_body(control, get_prepared, rest):
    """Test that share 1 fails every matching request (with the asked body) and no other, and
    that share 0 fails none."""
    control.post('faults', {'fail_rate': {'path_prefix': '/payments/prepare', 'share': 1,
                                          'status': 500, 'body': 'html'}})
    answer = rest.fetch('GET', PREPARED, headers={'Authorization': f'Bearer {rest.token()}'})
    assert answer.status == 500 and b'sandbox fault injected' in answer.data
    assert get_prepared('/payments/imp_none') == 404
    control.post('faults', {'fail_rate': {'share': 0}})
    assert {get_prepared() for _ in range(20)} == {404}


def test_slow_delays_its_share_of_matching_requests(control, get_prepared):
    """Test that about 20% of 100 matching requests wait the given time, as counted by the
    fault; every counted one took at least that long."""
    control.post('faults', {'slow': {'path_prefix': '/payments/', 'share': 0.2, 'ms': 20,
                                     'seed': 3}})
    durations = []
    for _ in range(100):
        started = time.monotonic()
        assert get_prepared() == 404
        durations.append(time.monotonic() - started)
    slowed = control.get('faults')['slow']['slowed']
    assert 10 <= slowed <= 30, slowed
    # A loaded machine may make other requests slow too, never a slowed one fast.
    assert sum(duration >= 0.02 for duration in durations) >= slowed


def test_slow_adds_to_latency(control, get_prepared):
    """Test that a slowed request waits `latency_ms` and `slow.ms` both."""
    control.post('faults', {'latency_ms': 30, 'slow': {'share': 1, 'ms': 50}})
    started = time.monotonic()
    get_prepared()
    assert time.monotonic() - started >= 0.08


@pytest.mark.parametrize('faults', [
    {'fail_rate': {'share': 1.5}},
    {'fail_rate': {'share': '0.1'}},
    {'fail_rate': {'status': 503}},
    {'fail_rate': {'share': 0.1, 'status': 200}},
    {'fail_rate': {'share': 0.1, 'seed': 'seven'}},
    {'fail_rate': {'share': 0.1, 'body': 'xml'}},
    {'fail_rate': 0.05},
    {'slow': {'share': -0.1}},
    {'slow': {'share': 0.1, 'ms': -1}},
])
def test_rate_faults_are_validated(control, faults):
    """Test that malformed rate faults are refused and change nothing."""
    refused = control.post('faults', faults, expect=400)
    assert refused['error_code'] == 'bad_fault'
    assert (control.get('faults')['fail_rate'], control.get('faults')['slow']) == (None, None)


def test_rate_faults_are_cleared(control, get_prepared):
    """Test that `null` clears one rate fault and `DELETE faults` clears both, after which no
    request fails."""
    control.post('faults', {'fail_rate': {'share': 1}, 'slow': {'share': 1, 'ms': 1}})
    assert control.post('faults', {'slow': None})['slow'] is None
    assert get_prepared() == 503
    cleared = control.call('DELETE', 'faults', expect=200)[1]
    assert (cleared['fail_rate'], cleared['slow']) == (None, None)
    assert {get_prepared() for _ in range(50)} == {404}
