# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""Process-wide cache of PortOne access tokens, shared by every client instance and thread."""

import threading
import time
from typing import NamedTuple

# Refresh this long before PortOne's expiry, so a token never dies between our check and the
# server's (PortOne also extends a token asked for again in its last minute).
SAFETY_MARGIN = 60


class _Entry(NamedTuple):
    token: str
    deadline: float  # on the local monotonic clock


class TokenCache:
    """Access tokens keyed by API URL and credentials, valid until a local monotonic deadline.

    The deadline comes from the server's own ``expired_at - now``, so a skewed local wall clock
    cannot make us keep an expired token.
    """

    def __init__(self):
        self._entries = {}
        self._fetch_locks = {}
        self._lock = threading.Lock()

    def get(self, key, fetch):
        """Return the cached token for ``key``, fetching a new one when none is valid.

        Only one thread fetches per key; the others wait for its result instead of asking
        PortOne in parallel.

        :param tuple key: The API URL and credentials the token belongs to.
        :param fetch: Callable returning ``(token, life_in_seconds)``.
        :return: The access token.
        :rtype: str
        """
        entry = self._entries.get(key)
        if entry and entry.deadline > time.monotonic():
            return entry.token
        with self._fetch_lock(key):
            entry = self._entries.get(key)
            if entry and entry.deadline > time.monotonic():
                return entry.token
            # Start the clock before asking: the server's life is counted from its own `now`.
            asked_at = time.monotonic()
            token, life = fetch()
            self._entries[key] = _Entry(token, asked_at + life - SAFETY_MARGIN)
            return token

    def invalidate(self, key, token):
        """Forget ``token`` if it is still the cached one (another thread may have replaced it).

        :param tuple key: The API URL and credentials the token belongs to.
        :param str token: The token the server refused.
        """
        with self._lock:
            entry = self._entries.get(key)
            if entry and entry.token == token:
                del self._entries[key]

    def _fetch_lock(self, key):
        with self._lock:
            return self._fetch_locks.setdefault(key, threading.Lock())


TOKENS = TokenCache()
