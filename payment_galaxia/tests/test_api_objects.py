# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

import dataclasses

import pytest

from payment_galaxia.api_objects import CancelHistory, Payment


def test_payment_tolerates_unknown_and_missing_fields():
    """Test that unknown keys are ignored and missing ones defaulted."""
    payment = Payment.from_api({'imp_uid': 'imp_1', 'status': 'paid', 'amount': 1000,
                                'brand_new_field': 'x'})
    assert (payment.imp_uid, payment.status, payment.amount) == ('imp_1', 'paid', 1000)
    assert (payment.cancel_amount, payment.paid_at, payment.sandbox) == (0, 0, False)
    assert payment.cancel_history == ()
    assert payment.card_quota is None


def test_payment_normalizes_amounts_timestamps_and_history():
    """Test that integral amounts become int, nulls become 0 and cancels become objects."""
    payment = Payment.from_api({
        'amount': 5000.0, 'cancel_amount': None, 'paid_at': None, 'vbank_date': 1790000000,
        'card_quota': '3', 'sandbox': 1,
        'cancel_history': [{'amount': 1000.0, 'cancellation_id': 'c1', 'cancelled_at': 17}],
    })
    assert type(payment.amount) is int and payment.amount == 5000
    assert (payment.cancel_amount, payment.paid_at, payment.vbank_date) == (0, 0, 1790000000)
    assert (payment.card_quota, payment.sandbox) == (3, True)
    assert payment.cancel_history == (CancelHistory(amount=1000, cancellation_id='c1',
                                                    cancelled_at=17),)


def test_payments_are_frozen():
    """Test that a payment read from PortOne cannot be changed by mistake."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        Payment.from_api({'amount': 1}).amount = 2
