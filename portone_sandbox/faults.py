# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""Faults the sandbox can be told to inject, set through ``POST /__sandbox__/faults``."""

import random

WEBHOOK_MODES = ('normal', 'drop', 'duplicate', 'early')
WEBHOOK_FORMATS = ('json', 'form')
# What the window hands the callback (and the mobile redirect): PortOne's full answer, only the
# two ids (as many real windows do), or the full answer saying `success: false` whatever the
# outcome.
CALLBACK_SHAPES = ('full', 'ids_only', 'success_false')
FAIL_BODIES = ('json', 'html')


class Faults:
    """The current faults. Not thread-safe on its own: the state's lock guards it."""

    def __init__(self):
        self.latency_ms = 0
        self.fail = None  # {'path_prefix', 'status', 'count', 'body'}
        self.timeout = None  # {'path_prefix', 'seconds', 'count'}
        self.decline = None  # {'count', 'reason'}: declines of /subscribe/payments/again
        # A share of the matching requests, drawn one request at a time; they stay until cleared.
        self.fail_rate = None  # {'path_prefix', 'share', 'status', 'body', 'seed', 'failed'}
        self.slow = None  # {'path_prefix', 'share', 'ms', 'seed', 'slowed'}
        # The draws of `fail_rate` and `slow`, each its own generator: with a seed, the n-th
        # matching request fails (or waits) whatever the other fault draws.
        self._draws = {}
        self.webhook = 'normal'
        self.webhook_format = 'json'
        self.callback = 'full'

    def as_dict(self):
        """:return: The faults as JSON. :rtype: dict"""
        return {
            'latency_ms': self.latency_ms,
            'fail': self.fail,
            'timeout': self.timeout,
            'decline': self.decline,
            'fail_rate': self.fail_rate,
            'slow': self.slow,
            'webhook': self.webhook,
            'webhook_format': self.webhook_format,
            'callback': self.callback,
        }

    def update(self, data):
        """Set the faults present in ``data``, leaving the others as they are.

        :param dict data: Any of ``latency_ms``, ``fail``, ``timeout``, ``decline``,
                          ``fail_rate``, ``slow``, ``webhook``, ``webhook_format``,
                          ``callback`` (``null`` clears ``fail``, ``timeout``, ``decline``,
                          ``fail_rate``, ``slow``). Setting ``fail_rate`` or ``slow`` starts
                          its draws (and counter) afresh.
        :raise ValueError: On an unknown key or a malformed value; nothing is changed then.
        """
        unknown = set(data) - set(self.as_dict())
        if unknown:
            raise ValueError(f"unknown faults: {', '.join(sorted(unknown))}")
        updates = {}
        if 'latency_ms' in data:
            updates['latency_ms'] = _non_negative_number(data['latency_ms'], 'latency_ms')
        if 'fail' in data:
            updates['fail'] = None if not data['fail'] else {
                'path_prefix': _path_prefix(data['fail'], 'fail'),
                'status': int(data['fail'].get('status', 500)),
                'count': int(data['fail'].get('count', 1)),
                'body': _choice(data['fail'].get('body', 'json'), FAIL_BODIES, 'fail.body'),
            }
        if 'timeout' in data:
            updates['timeout'] = None if not data['timeout'] else {
                'path_prefix': _path_prefix(data['timeout'], 'timeout'),
                'seconds': _non_negative_number(data['timeout'].get('seconds', 30), 'seconds'),
                'count': int(data['timeout'].get('count', 1)),
            }
        if 'decline' in data:
            updates['decline'] = None if not data['decline'] else {
                'count': int(data['decline'].get('count', 1)),
                'reason': str(data['decline'].get('reason', '카드 한도초과 (sandbox)')),
            }
        if 'fail_rate' in data:
            fault = data['fail_rate']
            updates['fail_rate'] = None if not fault else {
                'path_prefix': _path_prefix(fault, 'fail_rate'),
                'share': _share(fault, 'fail_rate'),
                'status': _error_status(fault.get('status', 503)),
                'body': _choice(fault.get('body', 'json'), FAIL_BODIES, 'fail_rate.body'),
                'seed': _seed(fault, 'fail_rate'),
                'failed': 0,
            }
        if 'slow' in data:
            fault = data['slow']
            updates['slow'] = None if not fault else {
                'path_prefix': _path_prefix(fault, 'slow'),
                'share': _share(fault, 'slow'),
                'ms': _non_negative_number(fault.get('ms', 300), 'slow.ms'),
                'seed': _seed(fault, 'slow'),
                'slowed': 0,
            }
        if 'webhook' in data:
            updates['webhook'] = _choice(data['webhook'], WEBHOOK_MODES, 'webhook')
        if 'webhook_format' in data:
            updates['webhook_format'] = _choice(
                data['webhook_format'], WEBHOOK_FORMATS, 'webhook_format'
            )
        if 'callback' in data:
            updates['callback'] = _choice(data['callback'], CALLBACK_SHAPES, 'callback')
        for name, value in updates.items():
            setattr(self, name, value)
            if name in ('fail_rate', 'slow'):
                self._draws[name] = random.Random(value and value['seed'])

    def take_fail(self, path):
        """Consume one injected failure matching ``path``.

        :return: ``(http_status, body_kind)`` or ``None``.
        """
        if self.fail and _consume(self.fail, path):
            fail = self.fail
            if fail['count'] <= 0:
                self.fail = None
            return fail['status'], fail['body']
        return None

    def take_timeout(self, path):
        """Consume one injected hang matching ``path``.

        :return: The seconds to hang, or ``None``.
        """
        if self.timeout and _consume(self.timeout, path):
            seconds = self.timeout['seconds']
            if self.timeout['count'] <= 0:
                self.timeout = None
            return seconds
        return None

    def take_fail_rate(self, path):
        """Draw whether a request matching ``path`` is one of the share that fails.

        :return: ``(http_status, body_kind)`` or ``None``.
        """
        if not self._drawn('fail_rate', path):
            return None
        self.fail_rate['failed'] += 1
        return self.fail_rate['status'], self.fail_rate['body']

    def take_slow(self, path):
        """Draw whether a request matching ``path`` is one of the share that waits.

        :return: The milliseconds to wait (on top of ``latency_ms``), 0 for none.
        """
        if not self._drawn('slow', path):
            return 0
        self.slow['slowed'] += 1
        return self.slow['ms']

    def _drawn(self, name, path):
        """:return: Whether the fault ``name`` is set, matches ``path`` and its next draw falls
        within its share. Only matching requests draw, so that a seed gives the same outcome to
        the n-th matching request however many others come in between."""
        fault = getattr(self, name)
        if not fault or not path.startswith(fault['path_prefix']):
            return False
        return self._draws[name].random() < fault['share']

    def take_decline(self):
        """Consume one injected decline of a billing-key charge.

        :return: The decline reason, or ``None``.
        """
        if not self.decline:
            return None
        reason = self.decline['reason']
        self.decline['count'] -= 1
        if self.decline['count'] <= 0:
            self.decline = None
        return reason


def _consume(fault, path):
    if not path.startswith(fault['path_prefix']):
        return False
    fault['count'] -= 1
    return True


def _path_prefix(fault, name):
    if not isinstance(fault, dict):
        raise ValueError(f"{name} takes an object")
    return str(fault.get('path_prefix', '/'))


def _share(fault, name):
    share = fault.get('share')
    if not isinstance(share, int | float) or isinstance(share, bool) or not 0 <= share <= 1:
        raise ValueError(f"{name}.share must be a number from 0 to 1")
    return share


def _error_status(value):
    if not isinstance(value, int) or isinstance(value, bool) or not 400 <= value <= 599:
        raise ValueError("fail_rate.status must be an HTTP error status (400 to 599)")
    return value


def _seed(fault, name):
    seed = fault.get('seed')
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise ValueError(f"{name}.seed must be an integer or null")
    return seed


def _non_negative_number(value, name):
    if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} must be a number >= 0")
    return value


def _choice(value, choices, name):
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}")
    return value
