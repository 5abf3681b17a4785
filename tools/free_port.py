"""A TCP port of 127.0.0.1 for a server started later: `python tools/free_port.py` prints one.

Taken below the kernel's ephemeral range: ports of that range go to outgoing connections (the
checks' own senders open thousands), so one picked there can be taken before the server binds it.
"""

import random
import socket
from pathlib import Path

EPHEMERAL_RANGE = Path('/proc/sys/net/ipv4/ip_local_port_range')


def free_port():
    """:return: A port of 127.0.0.1 free at the time of asking, outside the ephemeral range."""
    low = int(EPHEMERAL_RANGE.read_text().split()[0]) if EPHEMERAL_RANGE.exists() else 32768
    for port in random.sample(range(max(1024, low - 10000), low), 100):
        with socket.socket() as sock:
            try:
                sock.bind(('127.0.0.1', port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below the ephemeral range")


if __name__ == '__main__':
    print(free_port())
