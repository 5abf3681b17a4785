# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""What a PortOne payment status means for the order: one table, no guessing."""

import enum
from typing import NamedTuple


class Outcome(enum.Enum):
    DONE = 'done'  # paid
    PENDING = 'pending'  # virtual account issued, waiting for the deposit
    WAITING = 'waiting'  # window opened (status ready), nothing paid nor issued yet
    KEY_ISSUED = 'key_issued'  # card billing key issued, nothing charged
    ERROR = 'error'  # failed
    CANCELED = 'canceled'  # fully cancelled
    UNKNOWN = 'unknown'  # a status this table does not know: never guess


ANY = object()  # matches every value of a column


class _Row(NamedTuple):
    status: str
    pay_method: object
    customer_uid_usage: object
    account_issued: object  # whether the payment carries a virtual account number
    outcome: Outcome


# First matching row wins. A partially cancelled payment stays 'paid' at PortOne: still DONE.
STATUS_TABLE = (
    _Row('paid', ANY, 'issue', ANY, Outcome.KEY_ISSUED),
    _Row('paid', ANY, ANY, ANY, Outcome.DONE),
    _Row('ready', 'vbank', ANY, True, Outcome.PENDING),
    _Row('ready', ANY, ANY, ANY, Outcome.WAITING),
    _Row('failed', ANY, ANY, ANY, Outcome.ERROR),
    _Row('cancelled', ANY, ANY, ANY, Outcome.CANCELED),
)


def outcome_of(payment):
    """Map a payment to its outcome through `STATUS_TABLE`.

    :param Payment payment: The payment as read from PortOne.
    :return: The outcome, `Outcome.UNKNOWN` when no row matches.
    :rtype: Outcome
    """
    facts = (payment.status, payment.pay_method, payment.customer_uid_usage,
             bool(payment.vbank_num))
    for row in STATUS_TABLE:
        pairs = zip(row[:4], facts, strict=True)
        if all(expected is ANY or expected == actual for expected, actual in pairs):
            return row.outcome
    return Outcome.UNKNOWN
