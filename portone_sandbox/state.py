# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""The sandbox's memory: payments, prepared amounts, billing keys, tokens, faults and counters."""

import collections
import secrets
import threading
import time

from .faults import Faults

# PortOne: asking for a token in its last minute extends it by 5 minutes.
TOKEN_EXTENSION_WINDOW = 60
TOKEN_EXTENSION = 300


def now():
    """:return: The current unix time in whole seconds, PortOne's unit. :rtype: int"""
    return int(time.time())


def public(record):
    """Return a stored record as PortOne shows it, without the sandbox's own ``_`` keys.

    :param dict record: A stored payment or billing key.
    :rtype: dict
    """
    return {key: value for key, value in record.items() if not key.startswith('_')}


class SandboxState:
    """Everything the sandbox remembers, behind one lock.

    Payments and billing keys are plain dicts shaped like PortOne's objects; keys starting with
    ``_`` are the sandbox's own (e.g. ``_notice_url``) and never leave through the REST API.
    """

    def __init__(self, config):
        """:param SandboxConfig config: The sandbox's configuration."""
        self.config = config
        self.base_url = ''  # set by the server once bound; used for receipt URLs
        self.lock = threading.RLock()
        self._tokens = {}  # access token -> expired_at
        self._current_token = None
        self.reset()

    def reset(self):
        """Forget payments, prepared amounts, billing keys, faults, counters and webhook records.

        Issued access tokens survive, like PortOne credentials survive a merchant's data.
        """
        with self.lock:
            self.payments = {}  # imp_uid -> payment, in creation order
            self.prepared = {}  # merchant_uid -> {'merchant_uid', 'amount', 'currency'}
            self.billing_keys = {}  # customer_uid -> billing key
            self.faults = Faults()
            self.stats = collections.Counter()
            self.webhooks = []
            self._sequences = collections.defaultdict(int)

    # === IDS === #

    def new_id(self, kind, width=12):
        """Return a fresh id of ``kind``: sequential in deterministic mode, random otherwise.

        :param str kind: What the id is for, e.g. ``'imp'``; each kind counts from 1.
        :param int width: How many digits.
        :return: The digits, e.g. ``'000000000001'``.
        :rtype: str
        """
        with self.lock:
            if self.config.deterministic:
                self._sequences[kind] += 1
                return str(self._sequences[kind]).zfill(width)
            return ''.join(secrets.choice('0123456789') for _ in range(width))

    # === ACCESS TOKENS === #

    def issue_token(self):
        """Return the current access token, renewing or extending it as PortOne does.

        :return: ``(access_token, expired_at, now)``.
        :rtype: tuple
        """
        with self.lock:
            current = now()
            token = self._current_token
            expired_at = self._tokens.get(token, 0)
            if expired_at <= current:
                token = secrets.token_hex(20)
                expired_at = current + self.config.token_life
                self._current_token = token
            elif expired_at - current < TOKEN_EXTENSION_WINDOW:
                expired_at += TOKEN_EXTENSION
            self._tokens[token] = expired_at
            return token, expired_at, current

    def token_is_valid(self, token):
        """:param str token: A token from a request. :return: Whether it is alive. :rtype: bool"""
        with self.lock:
            return self._tokens.get(token, 0) > now()

    def expire_tokens(self):
        """Expire every issued token at once (to provoke 401s)."""
        with self.lock:
            self._tokens.clear()
            self._current_token = None

    # === LOOKUPS === #

    def visible(self, payment, include_sandbox):
        """:return: Whether a lookup may see ``payment``. :rtype: bool"""
        return payment is not None and (include_sandbox or not payment['sandbox'])

    def newest_payment(self, merchant_uid, status=None, include_sandbox=True):
        """Return the most recently started payment of an order id.

        :param str merchant_uid: The order id.
        :param str status: Only consider payments in this status.
        :param bool include_sandbox: Also consider test-channel payments.
        :return: The payment, or ``None``.
        :rtype: dict|None
        """
        with self.lock:
            for payment in reversed(self.payments.values()):
                if (payment['merchant_uid'] == merchant_uid
                        and (status is None or payment['status'] == status)
                        and self.visible(payment, include_sandbox)):
                    return payment
            return None

    def has_paid(self, merchant_uid):
        """:return: Whether a paid payment already uses this order id. :rtype: bool"""
        return self.newest_payment(merchant_uid, status='paid') is not None
