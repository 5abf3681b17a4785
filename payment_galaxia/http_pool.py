# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""Keep-alive connection pools, one per PortOne base URL, shared by all clients and threads."""

import threading

import urllib3

# Odoo serves requests from a bounded number of threads; past this many concurrent calls the
# extra connections are opened and closed per call instead of being kept.
POOL_SIZE = 16

_pools = {}
_lock = threading.Lock()


def pool_for(base_url):
    """Return the connection pool of ``base_url``, creating it on first use.

    Retries are disabled: the client decides itself what may be retried (a refused token), and
    a payment call must never be silently sent twice.

    :param str base_url: ``scheme://host[:port]`` of the API.
    :return: The shared pool.
    :rtype: urllib3.HTTPConnectionPool
    """
    pool = _pools.get(base_url)
    if pool is None:
        with _lock:
            pool = _pools.get(base_url)
            if pool is None:
                pool = urllib3.connection_from_url(
                    base_url, maxsize=POOL_SIZE, block=False, retries=False
                )
                _pools[base_url] = pool
    return pool
