# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""Keep-alive HTTP sessions, one per PortOne host, shared by every client instance and thread."""

import threading
from http.cookiejar import CookiePolicy

import requests
from requests.adapters import HTTPAdapter

# Odoo serves requests from a bounded number of threads; past this many concurrent calls to one
# host the extra connections are opened and closed per call instead of being kept.
POOL_SIZE = 16

_sessions = {}
_lock = threading.Lock()


class _NoCookies(CookiePolicy):
    """Refuses every cookie: a session is shared by every merchant (database) of the process,
    and PortOne's API is authenticated by its token alone."""

    netscape = True
    rfc2965 = hide_cookie2 = False

    def set_ok(self, cookie, request):
        return False

    def return_ok(self, cookie, request):
        return False


def session_for(origin):
    """Return the session of ``origin``, creating it on first use.

    Nothing in a session changes once it is made (no cookies, authentication or hooks), which is
    what lets threads share it.

    :param str origin: ``scheme://host[:port]`` of the API.
    :return: The shared session.
    :rtype: requests.Session
    """
    session = _sessions.get(origin)
    if session is None:
        with _lock:
            session = _sessions.get(origin)
            if session is None:
                session = _sessions[origin] = _new_session()
    return session


def _new_session():
    session = requests.Session()
    # No retries: the client decides itself what may be sent again (a refused token), and a
    # payment call must never be silently sent twice.
    adapter = HTTPAdapter(pool_connections=1, pool_maxsize=POOL_SIZE, max_retries=0)
    session.mount('http://', adapter)
    session.mount('https://', adapter)
    session.cookies.set_policy(_NoCookies())
    # As the plain connection pool before it: no proxy or .netrc from the environment, which
    # could send PortOne's calls (or the sandbox's on 127.0.0.1) elsewhere.
    session.trust_env = False
    return session
