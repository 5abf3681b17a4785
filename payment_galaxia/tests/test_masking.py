# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

import logging

import pytest

from payment_galaxia.api_objects import SENSITIVE_KEYS, mask, mask_sensitive
from payment_galaxia.client import PortOneClient
from payment_galaxia.errors import PortOneUnavailable


def test_mask_keeps_only_the_tail_of_long_values():
    """Test that long values keep their last 4 characters and short ones nothing."""
    assert mask('4092023012341234') == '****1234'
    assert mask('secret') == '****'
    assert mask(None) is None


def test_mask_sensitive_masks_nested_sensitive_keys():
    """Test that sensitive keys are masked at any depth, case-insensitively, others kept."""
    data = {'imp_key': 'key', 'imp_secret': 'a-very-long-secret-value',
            'response': {'access_token': 'tok-0123456789abcdef', 'amount': 1000},
            'list': [{'Card_Number': '536510******1234'}]}
    assert mask_sensitive(data) == {
        'imp_key': 'key', 'imp_secret': '****alue',
        'response': {'access_token': '****cdef', 'amount': 1000},
        'list': [{'Card_Number': '****1234'}],
    }
    assert {'imp_secret', 'access_token', 'card_number', 'refund_account'} <= SENSITIVE_KEYS


def test_secrets_never_reach_the_logs(caplog, fresh_sandbox, control_for):
    """Test that a whole session of calls logs no secret, token or refund account."""
    sandbox = fresh_sandbox()
    config = sandbox.config
    client = PortOneClient(config.api_key, config.api_secret, sandbox.url)
    created = control_for(sandbox).pay(merchant_uid='order-logs', pay_method='vbank', amount=20000)
    caplog.set_level(logging.DEBUG, logger='payment_galaxia')
    client.cancel(created['imp_uid'], refund_holder='홍길동', refund_bank='088',
                  refund_account='110123456789', reason='refund')
    text = caplog.text
    assert 'order-logs' in text and 'imp_secret' in text  # the payloads were logged...
    assert config.api_secret not in text  # ...without the secret,
    assert client.get_token() not in text  # the token,
    assert '110123456789' not in text  # or the refund account.


def test_unreachable_portone_error_names_no_customer_uid(caplog, fresh_sandbox):
    """Test that a key deleted while PortOne cannot be reached gives an error, and a log, that
    do not quote the key's customer_uid (some transport errors quote the URL)."""
    sandbox = fresh_sandbox()
    client = PortOneClient(sandbox.config.api_key, sandbox.config.api_secret, sandbox.url)
    client.get_token()
    sandbox.stop()
    caplog.set_level(logging.DEBUG, logger='payment_galaxia')
    with pytest.raises(PortOneUnavailable) as caught:
        client.delete_billing_key('cu-secret-0123')
    assert 'cu-secret-0123' not in str(caught.value) + caplog.text
