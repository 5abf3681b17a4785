# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""The verdict on a payment: a table of cases, then properties over generated payments."""

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payment_galaxia import verdict as v
from payment_galaxia.api_objects import Payment
from payment_galaxia.verdict import Order, Outcome, judge

REF = 'S00001-ABC123'
KEY_REF = f'{REF}-K'
ORDER = Order(REF, 55000, 'KRW', live=False)
KEY_ORDER = dataclasses.replace(ORDER, key_merchant_uid=KEY_REF, customer_uid='cu-1')


def _payment(**fields):
    return Payment.from_api({
        'imp_uid': 'imp_1', 'merchant_uid': REF, 'status': 'paid', 'amount': 55000,
        'currency': 'KRW', 'pay_method': 'card', 'sandbox': True, **fields,
    })


@pytest.mark.parametrize(('fields', 'order', 'verdict'), [
    ({}, ORDER, (Outcome.DONE, None)),
    ({'cancel_amount': 5000}, ORDER, (Outcome.DONE, None)),
    ({'customer_uid': 'cu-1', 'customer_uid_usage': 'issue'}, KEY_ORDER, (Outcome.DONE, None)),
    ({'status': 'ready', 'pay_method': 'vbank', 'vbank_num': '123'}, ORDER,
     (Outcome.PENDING, None)),
    ({'status': 'ready', 'pay_method': 'vbank'}, ORDER, (Outcome.WAITING, None)),
    ({'status': 'failed', 'amount': 1}, ORDER, (Outcome.ERROR, None)),
    ({'status': 'cancelled'}, ORDER, (Outcome.CANCELED, None)),
    ({'status': 'partial_cancelled'}, ORDER, (Outcome.UNKNOWN, v.UNKNOWN_STATUS)),
    ({'status': None}, ORDER, (Outcome.UNKNOWN, v.UNKNOWN_STATUS)),
    ({'amount': 100}, ORDER, (Outcome.REFUSED, v.AMOUNT_MISMATCH)),
    ({'amount': None}, ORDER, (Outcome.REFUSED, v.AMOUNT_MISMATCH)),
    ({'currency': 'USD'}, ORDER, (Outcome.REFUSED, v.CURRENCY_MISMATCH)),
    ({'currency': None}, ORDER, (Outcome.REFUSED, v.CURRENCY_MISMATCH)),
    ({}, dataclasses.replace(ORDER, live=True), (Outcome.REFUSED, v.SANDBOX_PAYMENT)),
    ({'sandbox': False}, dataclasses.replace(ORDER, live=True), (Outcome.DONE, None)),
    ({'status': 'cancelled', 'amount': 100}, ORDER, (Outcome.REFUSED, v.AMOUNT_MISMATCH)),
    ({'status': 'ready', 'vbank_num': '1', 'amount': 100}, ORDER,
     (Outcome.REFUSED, v.AMOUNT_MISMATCH)),
    ({'merchant_uid': 'S00002-DEF456'}, ORDER, (Outcome.IGNORED, v.OTHER_ORDER)),
    ({'merchant_uid': KEY_REF}, ORDER, (Outcome.IGNORED, v.OTHER_ORDER)),
    # The card key window's payments.
    ({'merchant_uid': KEY_REF, 'amount': 0, 'customer_uid': 'cu-1',
      'customer_uid_usage': 'issue'}, KEY_ORDER, (Outcome.KEY_ISSUED, None)),
    ({'merchant_uid': KEY_REF, 'amount': 100}, KEY_ORDER,
     (Outcome.IGNORED, v.NOT_A_KEY_ISSUE)),
    ({'merchant_uid': KEY_REF, 'amount': 100, 'customer_uid': 'cu-1',
      'customer_uid_usage': 'issue'}, KEY_ORDER, (Outcome.IGNORED, v.NOT_A_KEY_ISSUE)),
    ({'merchant_uid': KEY_REF, 'amount': 0, 'customer_uid': 'cu-2',
      'customer_uid_usage': 'issue'}, KEY_ORDER, (Outcome.IGNORED, v.NOT_A_KEY_ISSUE)),
    ({'merchant_uid': KEY_REF, 'amount': 0, 'customer_uid': 'cu-1',
      'customer_uid_usage': 'payment'}, KEY_ORDER, (Outcome.IGNORED, v.NOT_A_KEY_ISSUE)),
    ({'merchant_uid': KEY_REF, 'amount': 0, 'customer_uid': 'cu-1',
      'customer_uid_usage': 'issue'}, dataclasses.replace(KEY_ORDER, live=True),
     (Outcome.IGNORED, v.NOT_A_KEY_ISSUE)),
    ({'merchant_uid': KEY_REF, 'status': 'ready', 'amount': 0}, KEY_ORDER,
     (Outcome.WAITING, None)),
    ({'merchant_uid': KEY_REF, 'status': 'failed', 'amount': 0}, KEY_ORDER,
     (Outcome.ERROR, None)),
    # Once settled on a payment.
    ({'imp_uid': 'imp_0', 'status': 'failed'},
     dataclasses.replace(ORDER, settled_imp_uid='imp_1', done=True),
     (Outcome.IGNORED, v.SUPERSEDED)),
    ({'imp_uid': 'imp_0'}, dataclasses.replace(ORDER, settled_imp_uid='imp_1', done=True),
     (Outcome.IGNORED, v.SUPERSEDED)),
    ({'imp_uid': 'imp_2'}, dataclasses.replace(ORDER, settled_imp_uid='imp_1'),
     (Outcome.DONE, None)),
    ({'imp_uid': 'imp_2', 'amount': 1}, dataclasses.replace(ORDER, settled_imp_uid='imp_1'),
     (Outcome.IGNORED, v.SUPERSEDED)),
    ({'status': 'cancelled'}, dataclasses.replace(ORDER, settled_imp_uid='imp_1', done=True),
     (Outcome.CANCELED, None)),
])
def test_judge(fields, order, verdict):
    """Test each kind of payment against what the order expects."""
    assert judge(_payment(**fields), order) == verdict


# === PROPERTIES === #

IMP_UIDS = st.sampled_from(['imp_1', 'imp_2', 'imp_3'])
payments = st.builds(
    lambda **fields: Payment.from_api(fields),
    imp_uid=IMP_UIDS,
    merchant_uid=st.sampled_from([REF, KEY_REF, 'S00002-DEF456']),
    status=st.sampled_from(['ready', 'paid', 'failed', 'cancelled', 'partial_cancelled']),
    amount=st.sampled_from([0, 100, 55000, 55000.5]),
    cancel_amount=st.sampled_from([0, 5000]),
    currency=st.sampled_from(['KRW', 'USD', None]),
    sandbox=st.booleans(),
    pay_method=st.sampled_from(['card', 'trans', 'phone', 'vbank']),
    vbank_num=st.sampled_from([None, '00000000000001']),
    customer_uid=st.sampled_from([None, 'cu-1', 'cu-2']),
    customer_uid_usage=st.sampled_from([None, 'issue', 'payment']),
)
orders = st.builds(
    Order,
    merchant_uid=st.just(REF),
    amount=st.sampled_from([0, 55000]),
    currency=st.just('KRW'),
    live=st.booleans(),
    key_merchant_uid=st.sampled_from([None, KEY_REF]),
    customer_uid=st.sampled_from([None, 'cu-1']),
    settled_imp_uid=st.sampled_from([None, 'imp_1']),
    done=st.booleans(),
)


@settings(max_examples=500, derandomize=True)
@given(payments, orders)
def test_only_a_matching_paid_payment_is_done(payment, order):
    """Test that DONE means: paid, under the order's id, with its amount and currency, and not
    a sandbox payment of a live provider."""
    if judge(payment, order).outcome is Outcome.DONE:
        assert payment.status == 'paid'
        assert payment.merchant_uid == order.merchant_uid
        assert (payment.amount, payment.currency) == (order.amount, order.currency)
        assert not (payment.sandbox and order.live)


@settings(max_examples=500, derandomize=True)
@given(payments, orders)
def test_only_the_bare_key_asked_for_is_issued(payment, order):
    """Test that KEY_ISSUED means: the card key window's id, nothing charged, the customer_uid
    the order asked for."""
    if judge(payment, order).outcome is Outcome.KEY_ISSUED:
        assert payment.merchant_uid == order.key_merchant_uid
        assert (payment.amount, payment.customer_uid, payment.customer_uid_usage) == (
            0, order.customer_uid, 'issue')
        assert not (payment.sandbox and order.live)


@settings(max_examples=500, derandomize=True)
@given(payments, orders, st.sampled_from(['ready', 'paid', 'failed', 'cancelled']))
def test_a_refusal_is_final_whatever_the_payment_becomes(payment, order, later_status):
    """Test that a refused payment is never accepted later, whatever status PortOne moves it
    to: only its status changes, and it can at most be ignored or fail."""
    if judge(payment, order).outcome is not Outcome.REFUSED:
        return
    later = dataclasses.replace(payment, status=later_status)
    assert judge(later, order).outcome in (
        Outcome.REFUSED, Outcome.IGNORED, Outcome.ERROR, Outcome.WAITING
    )


@settings(max_examples=500, derandomize=True)
@given(payments, orders)
def test_a_settled_order_only_takes_a_new_payment_that_pays_it(payment, order):
    """Test that once the order settled on a payment, another one is either the payment that
    pays an unpaid order or ignored."""
    if order.settled_imp_uid is None or payment.imp_uid == order.settled_imp_uid:
        return
    outcome = judge(payment, order).outcome
    assert outcome in (Outcome.IGNORED, Outcome.DONE)
    if outcome is Outcome.DONE:
        assert not order.done
