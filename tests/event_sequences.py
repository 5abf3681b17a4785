# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""Sequences of events around one order, as Hypothesis strategies: what PortOne holds (windows
opened, paid, declined, issued, deposited, cancelled in the console) and what reaches Odoo (PC
and mobile returns, JSON and form webhooks, true or lying about the order, reconciliation runs,
post-processing, refunds from Odoo), in any order and with duplicates."""

from dataclasses import dataclass

from hypothesis import strategies as st

# Attempts are PortOne payments the sequence made; deliveries name one by its index, modulo.
ATTEMPT = st.integers(0, 5)

# Mostly what a customer's window does; sometimes what an attacker or a broken PG does.
opened = st.fixed_dictionaries({
    'order': st.sampled_from(['order'] * 6 + ['key'] * 2 + ['other']),
    'amount': st.sampled_from(['right'] * 4 + ['small', 'zero']),
    'currency': st.sampled_from(['KRW'] * 9 + ['USD']),
    'channel': st.sampled_from(['provider'] * 4 + ['other']),  # The provider's mode, or not.
    'pay_method': st.sampled_from(['own'] * 4 + ['card', 'vbank']),
    'customer_uid': st.sampled_from(['asked'] * 4 + [None, 'stranger']),
    'status': st.sampled_from(['paid'] * 5 + ['ready'] * 3 + ['failed'] * 2),
})

# Each kind of step and its arguments: an attempt's index, whether a delivery lies that the
# attempt is this order's, and so on.
STEP_ARGUMENTS = {
    # PortOne
    'open': (opened,),
    'approve': (ATTEMPT,),
    'decline': (ATTEMPT,),
    'deposit': (ATTEMPT,),
    'console_cancel': (ATTEMPT, st.booleans()),
    # Odoo's side
    'refund': (st.booleans(),),
    'reconcile': (),
    'post_process': (),
    # Deliveries
    'webhook': (ATTEMPT, st.sampled_from(['json', 'form']), st.booleans()),
    'return_pc': (ATTEMPT, st.booleans(), st.booleans()),
    'return_mobile': (ATTEMPT, st.booleans(), st.booleans()),
    'unknown_payment': (),
}
# Mostly windows opened and approved, and their notifications, so that most orders get somewhere.
STEP_WEIGHTS = {'open': 4, 'approve': 2, 'webhook': 2, 'return_pc': 2}

steps = st.sampled_from(
    [kind for kind in STEP_ARGUMENTS for _i in range(STEP_WEIGHTS.get(kind, 1))]
).flatmap(lambda kind: st.tuples(st.just(kind), *STEP_ARGUMENTS[kind]))


@dataclass
class Scenario:
    """One order and what happens to it.

    :param str payment_method: Odoo's payment method code of the transaction.
    :param bool live: Whether the provider is enabled (else in test mode).
    :param bool tokenize: Whether the customer asked to save the card or phone.
    :param bool prepared: Whether the window was prepared (the amount registered at PortOne).
    :param list steps: The events, in order.
    """

    payment_method: str
    live: bool
    tokenize: bool
    prepared: bool
    steps: list


@st.composite
def scenarios(draw, max_steps=25):
    """:return: A strategy of `Scenario`s whose steps end in a settled order."""
    payment_method = draw(st.sampled_from(['card', 'card', 'bank_transfer', 'mobile', 'vbank']))
    return Scenario(
        payment_method=payment_method,
        live=draw(st.booleans()),
        tokenize=payment_method in ('card', 'mobile') and draw(st.booleans()),
        prepared=draw(st.sampled_from([False] * 3 + [True])),
        steps=draw(st.lists(steps, min_size=4, max_size=max_steps)),
    )
