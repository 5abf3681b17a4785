# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

import pytest

from payment_galaxia.api_objects import Payment
from payment_galaxia.client import PortOneClient
from payment_galaxia.errors import PortOneApiError, PortOneNotFound


def test_get_payment_returns_a_typed_payment(control, client):
    """Test that get_payment returns a paid card payment's fields, typed."""
    created = control.pay(merchant_uid='order-get', amount=55000, card_quota=3,
                          buyer_tel='010-1234-5678')
    payment = client.get_payment(created['imp_uid'], include_sandbox=True)
    assert isinstance(payment, Payment)
    assert (payment.imp_uid, payment.merchant_uid, payment.status) == (
        created['imp_uid'], 'order-get', 'paid')
    assert (payment.amount, payment.cancel_amount) == (55000, 0)
    assert (payment.pay_method, payment.pg_provider, payment.currency) == ('card', 'galaxia', 'KRW')
    assert payment.card_quota == 3 and payment.card_number.count('*') >= 6
    assert payment.paid_at > 0 and payment.receipt_url and payment.buyer_tel == '010-1234-5678'


def test_find_payment_returns_the_newest_of_the_order_id(control, client):
    """Test that find_payment returns the newest payment of an order id."""
    control.pay(merchant_uid='order-find', status='failed')
    paid = control.pay(merchant_uid='order-find')
    assert client.find_payment('order-find', include_sandbox=True).imp_uid == paid['imp_uid']
    with pytest.raises(PortOneNotFound):
        client.find_payment('order-never-paid', include_sandbox=True)


def test_prepare_registers_a_whole_amount_once(sandbox, client):
    """Test that prepare registers the amount, a float sent as an integer, and that PortOne
    refuses registering an order id twice."""
    client.prepare('order-prepare', 12000.0)
    assert sandbox.state.prepared['order-prepare']['amount'] == 12000
    with pytest.raises(PortOneApiError) as caught:
        client.prepare('order-prepare', 12000)
    assert caught.value.code == 1


def test_partial_then_full_cancel(control, client):
    """Test a partial cancel with checksum, then the rest, each recorded in the history."""
    created = control.pay(merchant_uid='order-cancel', amount=10000)
    payment = client.cancel(created['imp_uid'], amount=3000, checksum=10000, reason='partial')
    assert (payment.status, payment.cancel_amount) == ('paid', 3000)
    assert [entry.amount for entry in payment.cancel_history] == [3000]
    assert payment.cancel_history[0].cancellation_id
    payment = client.cancel(created['imp_uid'], checksum=7000, reason='rest')
    assert (payment.status, payment.cancel_amount) == ('cancelled', 10000)
    assert [entry.amount for entry in payment.cancel_history] == [3000, 7000]
    assert payment.cancelled_at > 0


def test_cancel_with_a_stale_checksum_is_refused(control, client):
    """Test that a checksum differing from the refundable balance refuses the cancel."""
    created = control.pay(merchant_uid='order-checksum', amount=10000)
    with pytest.raises(PortOneApiError) as caught:
        client.cancel(created['imp_uid'], amount=1000, checksum=9000)
    assert caught.value.code == 1
    assert client.get_payment(created['imp_uid'], include_sandbox=True).cancel_amount == 0


def test_virtual_account_refund_sends_the_refund_account(control, client):
    """Test that the refund_* fields reach PortOne for a virtual-account refund."""
    created = control.pay(merchant_uid='order-vbank-refund', pay_method='vbank', amount=20000)
    payment = client.cancel(created['imp_uid'], reason='refund', refund_holder='홍길동',
                            refund_bank='088', refund_account='110123456789',
                            refund_tel='01012345678')
    assert payment.status == 'cancelled'


def test_billing_key_is_charged_declined_and_deleted(sandbox, control, client):
    """Test charging a card billing key (paid, then declined) and deleting it."""
    control.pay(merchant_uid='order-key', amount=0, customer_uid='cu-lifecycle')
    paid = client.charge_billing_key(customer_uid='cu-lifecycle', merchant_uid='order-charge-1',
                                     amount=9900, name='Monthly plan', buyer_name='홍길동')
    assert (paid.status, paid.amount, paid.customer_uid_usage) == ('paid', 9900, 'payment')
    assert paid.customer_uid == 'cu-lifecycle'

    control.post('faults', {'decline': {'reason': '한도초과'}})
    declined = client.charge_billing_key(customer_uid='cu-lifecycle',
                                         merchant_uid='order-charge-2', amount=9900,
                                         name='Monthly plan')
    assert (declined.status, declined.fail_reason) == ('failed', '한도초과')

    client.delete_billing_key('cu-lifecycle')
    assert 'cu-lifecycle' not in sandbox.state.billing_keys
    with pytest.raises(PortOneNotFound):
        client.delete_billing_key('cu-lifecycle')


def test_charging_an_unknown_billing_key_is_refused(client):
    """Test that charging a customer_uid with no key raises PortOne's refusal."""
    with pytest.raises(PortOneApiError) as caught:
        client.charge_billing_key(customer_uid='cu-unknown', merchant_uid='order-x', amount=1000,
                                  name='x')
    assert (caught.value.code, caught.value.message) == (1, '등록되지 않은 구매자입니다.')


def test_base_url_with_a_trailing_slash(sandbox, control):
    """Test that a base URL written with a trailing slash works the same."""
    created = control.pay(merchant_uid='order-slash', sandbox=False)
    client = PortOneClient(sandbox.config.api_key, sandbox.config.api_secret, sandbox.url + '/')
    assert client.get_payment(created['imp_uid']).merchant_uid == 'order-slash'
