#!/usr/bin/env python3
# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""Compare payment lookups through our PortOne client and through the PyPI peer client.

Both clients look the same paid payment up in one offline sandbox, in alternating blocks
(ours, peer, peer, ours, ...) after a warm-up; the sandbox's counters give the HTTP requests
each lookup cost. Run from the repository root:

    python tools/bench_lookup.py [--n 500]

The peer is ``iamport-rest-client`` 0.9.0; install it without its pinned dependencies:

    python -m pip install --no-deps iamport-rest-client==0.9.0
"""

import argparse
import json
import sys
import time
from pathlib import Path

import urllib3

# Run as a script from anywhere: the core and the sandbox live at the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from payment_galaxia.client import PortOneClient
from portone_sandbox import SandboxConfig, SandboxServer

PEER_INSTALL = 'python -m pip install --no-deps iamport-rest-client==0.9.0'
BLOCK_SIZE = 50


class _Control:
    """The sandbox's control API."""

    def __init__(self, sandbox):
        self._url = sandbox.url + '/__sandbox__/'
        self._http = urllib3.PoolManager()

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        response = self._http.request(method, self._url + path, body=data,
                                      headers={'Content-Type': 'application/json'})
        return json.loads(response.data)


def main(argv=None):
    """Run the benchmark and print its two result lines.

    :param list argv: The arguments, default ``sys.argv[1:]``.
    :return: The exit status.
    :rtype: int
    """
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--n', type=int, default=500, help="lookups per client (%(default)s)")
    parser.add_argument('--warmup', type=int, default=20,
                        help="untimed lookups per client first (%(default)s)")
    args = parser.parse_args(argv)
    try:
        from iamport import Iamport  # optional: only this script needs it
    except ImportError:
        print(f"The peer client is not installed. Install it with:\n  {PEER_INSTALL}",
              file=sys.stderr)
        return 2

    config = SandboxConfig(deterministic=True)
    with SandboxServer(config) as sandbox:
        control = _Control(sandbox)
        # A live-channel payment: the peer cannot ask for include_sandbox.
        payment = control.call('POST', 'payments', {'merchant_uid': 'bench-order',
                                                    'amount': 1000, 'sandbox': False})['payment']
        imp_uid = payment['imp_uid']
        ours = PortOneClient(config.api_key, config.api_secret, sandbox.url)
        peer = Iamport(config.api_key, config.api_secret, imp_url=sandbox.url + '/')
        lookups = {
            'ours': lambda: ours.get_payment(imp_uid).amount,
            'peer': lambda: peer.find(imp_uid=imp_uid)['amount'],
        }
        for name, lookup in lookups.items():
            for _ in range(args.warmup):
                if lookup() != payment['amount']:
                    raise SystemExit(f"{name} read another amount than the payment's")
        elapsed = dict.fromkeys(lookups, 0.0)
        requests = dict.fromkeys(lookups, 0)
        done = 0
        while done < args.n:
            size = min(BLOCK_SIZE, args.n - done)
            order = ('ours', 'peer') if (done // BLOCK_SIZE) % 2 == 0 else ('peer', 'ours')
            for name in order:
                control.call('DELETE', 'stats')
                started = time.perf_counter()
                for _ in range(size):
                    lookups[name]()
                elapsed[name] += time.perf_counter() - started
                requests[name] += control.call('GET', 'stats')['total']
            done += size
    print(f"requests per lookup: ours {requests['ours'] / args.n:g}, "
          f"peer {requests['peer'] / args.n:g}")
    print(f"time ratio ours/peer: {elapsed['ours'] / elapsed['peer']:.2f}")
    return 0


if __name__ == '__main__':
    sys.exit(main())
