# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""The PyPI client `iamport-rest-client` (bare Authorization header) against the sandbox: what
the benchmark compares us with must work there."""

import pytest

iamport = pytest.importorskip('iamport', reason="pip install --no-deps iamport-rest-client==0.9.0")


def test_peer_client_finds_and_cancels(sandbox, control):
    """Test that the peer client authenticates with its bare token and reads a payment."""
    created = control.pay(merchant_uid='order-peer', sandbox=False, amount=3000)
    peer = iamport.Iamport(sandbox.config.api_key, sandbox.config.api_secret,
                           imp_url=sandbox.url + '/')
    assert peer.find(imp_uid=created['imp_uid'])['amount'] == 3000
    assert peer.find(merchant_uid='order-peer')['imp_uid'] == created['imp_uid']
    assert peer.cancel('test', imp_uid=created['imp_uid'], amount=1000)['cancel_amount'] == 1000
    with pytest.raises(peer.ResponseError) as caught:
        peer.cancel('test', imp_uid='imp_nothing')
    assert caught.value.code == 1
