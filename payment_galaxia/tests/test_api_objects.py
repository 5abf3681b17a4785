# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

import dataclasses

import pytest

from payment_galaxia import BillingKey, CancelHistory, Payment, Prepared


def test_payment_tolerates_unknown_and_missing_fields():
    """Test that unknown keys are ignored, missing ones defaulted, and the dict kept as raw."""
    data = {'imp_uid': 'imp_1', 'status': 'paid', 'amount': 1000, 'brand_new_field': 'x'}
    payment = Payment.from_api(data)
    assert (payment.imp_uid, payment.status, payment.amount) == ('imp_1', 'paid', 1000)
    assert (payment.cancel_amount, payment.paid_at, payment.sandbox) == (0, 0, False)
    assert payment.cancel_history == ()
    assert payment.card_quota is None
    assert payment.raw == data


def test_payment_normalizes_amounts_timestamps_and_history():
    """Test that integral amounts become int, nulls become 0 and cancels become objects."""
    payment = Payment.from_api({
        'amount': 5000.0, 'cancel_amount': None, 'paid_at': None, 'vbank_date': 1790000000,
        'card_quota': '3', 'escrow': 1,
        'cancel_history': [{'amount': 1000.0, 'cancellation_id': 'c1', 'cancelled_at': 17}],
    })
    assert type(payment.amount) is int and payment.amount == 5000
    assert (payment.cancel_amount, payment.paid_at, payment.vbank_date) == (0, 0, 1790000000)
    assert (payment.card_quota, payment.escrow) == (3, True)
    assert payment.cancel_history == (CancelHistory(amount=1000, cancellation_id='c1',
                                                    cancelled_at=17),)


def test_refundable_amount():
    """Test that the refundable amount is what is left after cancels."""
    assert Payment.from_api({'amount': 10000, 'cancel_amount': 2500}).refundable_amount == 7500


def test_api_objects_are_frozen():
    """Test that results cannot be changed by mistake."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        Prepared.from_api({'merchant_uid': 'o', 'amount': 1}).amount = 2


def test_billing_key_fields():
    """Test that a billing key keeps its documented fields."""
    key = BillingKey.from_api({'customer_uid': 'cu', 'card_type': 1, 'inserted': 5,
                               'card_number': '5365****', 'pg_id': 'M1'})
    assert (key.customer_uid, key.card_type, key.inserted, key.updated) == ('cu', 1, 5, 0)
    assert key.raw['pg_id'] == 'M1'
