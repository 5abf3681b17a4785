# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

import pytest

from payment_galaxia import Outcome, Payment, outcome_of


@pytest.mark.parametrize(('fields', 'outcome'), [
    ({'status': 'paid', 'pay_method': 'card'}, Outcome.DONE),
    ({'status': 'paid', 'pay_method': 'vbank', 'vbank_num': '123'}, Outcome.DONE),
    ({'status': 'paid', 'pay_method': 'card', 'amount': 5, 'cancel_amount': 2}, Outcome.DONE),
    ({'status': 'paid', 'pay_method': 'phone', 'customer_uid_usage': 'payment'}, Outcome.DONE),
    ({'status': 'paid', 'pay_method': 'card', 'customer_uid_usage': 'payment.scheduled'},
     Outcome.DONE),
    ({'status': 'paid', 'pay_method': 'card', 'customer_uid_usage': 'issue'}, Outcome.KEY_ISSUED),
    ({'status': 'ready', 'pay_method': 'vbank', 'vbank_num': '123'}, Outcome.PENDING),
    ({'status': 'ready', 'pay_method': 'vbank'}, Outcome.WAITING),
    ({'status': 'ready', 'pay_method': 'card'}, Outcome.WAITING),
    ({'status': 'failed', 'pay_method': 'card'}, Outcome.ERROR),
    ({'status': 'cancelled', 'pay_method': 'trans'}, Outcome.CANCELED),
    ({'status': 'partial_cancelled', 'pay_method': 'card'}, Outcome.UNKNOWN),
    ({'pay_method': 'card'}, Outcome.UNKNOWN),
])
def test_outcome_of(fields, outcome):
    """Test that each status (and method, usage, account) maps to its outcome, unknown to
    UNKNOWN."""
    assert outcome_of(Payment.from_api(fields)) is outcome
