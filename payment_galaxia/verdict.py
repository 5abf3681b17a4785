# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""What a PortOne payment means for an order: the one place where a payment is accepted,
refused or ignored.

The verdict depends only on the payment's facts, which PortOne never changes (id, order id,
amount, currency, sandbox flag, key usage), its status, and what the order expects; asked again
about the same payment it answers the same, which is what makes a refusal final.
"""

import enum
from dataclasses import dataclass
from typing import NamedTuple


class Outcome(enum.Enum):
    DONE = 'done'  # paid
    PENDING = 'pending'  # virtual account issued, waiting for the deposit
    WAITING = 'waiting'  # window opened (status ready), nothing paid nor issued yet
    KEY_ISSUED = 'key_issued'  # the card key window issued the key the order asked for
    ERROR = 'error'  # failed
    CANCELED = 'canceled'  # fully cancelled
    REFUSED = 'refused'  # the order's payment, but not what the order expects: never accepted
    IGNORED = 'ignored'  # not this order's payment, or superseded by the one it settled on
    UNKNOWN = 'unknown'  # a status this module does not know: never guess


# PortOne's status -> outcome. A partially cancelled payment stays 'paid' at PortOne: still DONE,
# its cancellations are refunds. A 'ready' virtual account that has its number is PENDING.
STATUS_OUTCOMES = {
    'paid': Outcome.DONE,
    'ready': Outcome.WAITING,
    'failed': Outcome.ERROR,
    'cancelled': Outcome.CANCELED,
}

# Outcomes that take money or promise it: only a payment matching the order may have them.
BINDING_OUTCOMES = frozenset({Outcome.DONE, Outcome.PENDING, Outcome.CANCELED})

# Why a payment is refused or ignored (the Odoo side words them for people).
AMOUNT_MISMATCH = 'amount_mismatch'
CURRENCY_MISMATCH = 'currency_mismatch'
SANDBOX_PAYMENT = 'sandbox_payment'
OTHER_ORDER = 'other_order'
NOT_A_KEY_ISSUE = 'not_a_key_issue'
SUPERSEDED = 'superseded'
UNKNOWN_STATUS = 'unknown_status'


@dataclass(frozen=True)
class Order:
    """What an order expects of its payment, as the merchant knows it.

    :param str merchant_uid: The order's id at PortOne (the transaction's reference).
    :param amount: The amount to pay, in whole KRW.
    :param str currency: The currency, ISO 4217.
    :param bool live: Whether the provider takes real payments (sandbox payments are refused).
    :param str key_merchant_uid: The card key window's id, when the order asked for a card key.
    :param str customer_uid: The billing key the order asked the window to issue.
    :param str settled_imp_uid: The payment the order settled on (pending or done), if any.
    :param bool done: Whether the order is paid already.
    """

    merchant_uid: str
    amount: int | float
    currency: str
    live: bool
    key_merchant_uid: str | None = None
    customer_uid: str | None = None
    settled_imp_uid: str | None = None
    done: bool = False


class Verdict(NamedTuple):
    """The outcome of a payment for an order, and why when it is refused or ignored."""

    outcome: Outcome
    reason: str | None = None


def judge(payment, order):
    """Decide what `payment` means for `order`.

    - A payment of another order is ignored.
    - Under the card key window's id only the bare key the order asked for is accepted (nothing
      charged, the order's `customer_uid`, usage `issue`); a paid payment there is ignored.
    - Under the order's id, a paid, issued or cancelled payment must have the order's amount and
      currency, and no sandbox flag for a live provider; otherwise it is refused.
    - Once the order settled on a payment, another one counts only if it paid an order not paid
      yet (a virtual account waiting, then a card); anything else about it is ignored.

    :param Payment payment: The payment as read from PortOne.
    :param Order order: What the order expects.
    :return: The verdict.
    :rtype: Verdict
    """
    verdict = _judge_alone(payment, order)
    superseded = order.settled_imp_uid and payment.imp_uid != order.settled_imp_uid
    if superseded and not (verdict.outcome is Outcome.DONE and not order.done):
        return Verdict(Outcome.IGNORED, SUPERSEDED)
    return verdict


def _judge_alone(payment, order):
    """The verdict on `payment` as if the order had settled on none."""
    if order.key_merchant_uid and payment.merchant_uid == order.key_merchant_uid:
        return _judge_key_issue(payment, order)
    if payment.merchant_uid != order.merchant_uid:
        return Verdict(Outcome.IGNORED, OTHER_ORDER)
    outcome = STATUS_OUTCOMES.get(payment.status)
    if outcome is None:
        return Verdict(Outcome.UNKNOWN, UNKNOWN_STATUS)
    if outcome is Outcome.WAITING and payment.vbank_num:
        outcome = Outcome.PENDING
    if outcome in BINDING_OUTCOMES:
        mismatch = _mismatch(payment, order, order.amount)
        if mismatch:
            return Verdict(Outcome.REFUSED, mismatch)
    return Verdict(outcome)


def _judge_key_issue(payment, order):
    """The verdict on a payment of the card key window, which may only issue the key."""
    if payment.status == 'ready':
        return Verdict(Outcome.WAITING)
    if payment.status == 'failed':
        return Verdict(Outcome.ERROR)
    is_bare_key = (
        payment.status == 'paid'
        and payment.customer_uid_usage == 'issue'
        and payment.customer_uid == order.customer_uid
        and not _mismatch(payment, order, 0)
    )
    return Verdict(Outcome.KEY_ISSUED) if is_bare_key else Verdict(Outcome.IGNORED, NOT_A_KEY_ISSUE)


def _mismatch(payment, order, amount):
    """:return: Why `payment` does not pay `amount` for `order`, or `None`. :rtype: str|None"""
    if payment.sandbox and order.live:
        return SANDBOX_PAYMENT
    if payment.amount != amount:
        return AMOUNT_MISMATCH
    if payment.currency != order.currency:
        return CURRENCY_MISMATCH
    return None
