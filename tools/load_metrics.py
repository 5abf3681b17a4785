"""What the load check measures besides Odoo's records: latencies, phases, what the kernel
dropped, and what the jobs run in the check's own process log. Nothing here needs Odoo."""

import logging
import math
import time
from pathlib import Path

# What the loser of two post-processings of one transaction at once runs into once the winner
# committed: the database refusing its stale writes. It rolls back; the winner's work stands.
COLLISIONS = (
    'could not serialize access',
    'deadlock detected',
    'mail_followers_mail_followers_res_partner_res_model_id_uniq',
)


class ErrorLog(logging.Handler):
    """What this process logs at ERROR and above, by phase (the jobs run here, not in the
    server, whose log is read instead)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.phase = None
        self.records = []  # [(phase, the message's first line, the message and exception)]

    def emit(self, record):
        message = record.getMessage()
        error = str(record.exc_info[1]) if record.exc_info else ''
        self.records.append((self.phase, message.splitlines()[0], f'{message}\n{error}'))

    def of(self, phase, collisions):
        """:return: The first lines of the phase's records that are (or are not, or whatever
        they are with `None`) collisions."""
        return [first_line for record_phase, first_line, text in self.records
                if record_phase == phase
                and collisions in (None, any(c in text for c in COLLISIONS))]


def listen_overflows():
    """Return how many connections the kernel has dropped because a listen queue was full.

    Odoo's workers share one listening socket whose queue holds 8 connections per worker: more
    clients than that waiting make the kernel drop connection attempts, which the clients
    retry later and later (or get reset). Counted machine-wide.

    :return: The count since boot, `None` where the kernel does not say (not Linux).
    """
    try:
        lines = Path('/proc/net/netstat').read_text().splitlines()
    except OSError:
        return None
    for names, values in zip(lines[::2], lines[1::2], strict=False):
        if names.startswith('TcpExt:'):
            counters = dict(zip(names.split()[1:], values.split()[1:], strict=False))
            return int(counters['ListenOverflows']) if 'ListenOverflows' in counters else None
    return None


def percentile(values, share):
    """:return: The smallest value at least `share` of the values do not exceed (nearest
    rank), 0 for none."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * share) - 1)] if ordered else 0.0


class Laps:
    """Wall-clock seconds of each phase of the run."""

    def __init__(self):
        self.started = self._last = time.monotonic()
        self.seconds = {}

    def lap(self, phase):
        """End `phase`, started when the previous one ended."""
        now = time.monotonic()
        self.seconds[phase] = now - self._last
        self._last = now

    def __str__(self):
        phases = ', '.join(f'{phase} {seconds:.0f} s' for phase, seconds in self.seconds.items())
        return f'{phases}; {time.monotonic() - self.started:.0f} s in all'
