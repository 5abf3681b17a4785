# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""Webhook deliveries, shaped like PortOne V1's: ``{imp_uid, merchant_uid, status}`` and, for
cancels, ``cancellation_id``; JSON or form-encoded; never signed."""

import json
import logging
import threading
from urllib.parse import urlencode

import urllib3

from .state import now

_logger = logging.getLogger(__name__)

# PortOne's own limits for a first delivery.
CONNECT_TIMEOUT = 10
READ_TIMEOUT = 30


class WebhookSender:
    """Sends webhooks for payments of a `SandboxState` and records every delivery."""

    def __init__(self, state):
        """:param SandboxState state: The sandbox's state (faults, records, payments)."""
        self.state = state
        self._http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT), retries=False
        )

    def notify(self, payment, status=None, cancellation_id=None, *, background=False, url=None):
        """Send the webhook of ``payment`` to its ``notice_url`` (or the console's URL).

        The ``webhook`` fault applies: ``drop`` records the delivery without sending it,
        ``duplicate`` sends it twice, ``early`` ignores ``background`` so it lands before the
        browser's callback.

        :param dict payment: The payment.
        :param str status: The status to announce, default the payment's.
        :param str cancellation_id: The cancel this webhook announces.
        :param bool background: Send from a thread after the configured delay, like PortOne
                                whose webhook and browser redirect race each other.
        :param str url: Send there instead of the payment's target.
        :return: The delivery records (empty when sent in the background).
        :rtype: list[dict]
        """
        with self.state.lock:
            urls = [url] if url else self._targets(payment)
            body = {
                'imp_uid': payment['imp_uid'],
                'merchant_uid': payment['merchant_uid'],
                'status': status or payment['status'],
            }
            if cancellation_id:
                body['cancellation_id'] = cancellation_id
            mode = self.state.faults.webhook
            body_format = self.state.faults.webhook_format
        if not urls:
            return []
        if mode == 'drop':
            return [self._record(target, body, body_format, dropped=True) for target in urls]
        copies = 2 if mode == 'duplicate' else 1
        jobs = [(target, body, body_format) for target in urls for _ in range(copies)]
        if background and mode != 'early':
            timer = threading.Timer(self.state.config.webhook_delay, self._deliver_all, [jobs])
            timer.daemon = True
            timer.start()
            return []
        return self._deliver_all(jobs)

    def _targets(self, payment):
        notice_url = payment.get('_notice_url') or self.state.config.webhook_url
        if not notice_url:
            return []
        return list(notice_url) if isinstance(notice_url, list | tuple) else [notice_url]

    def _deliver_all(self, jobs):
        return [self._deliver(*job) for job in jobs]

    def _deliver(self, url, body, body_format):
        if body_format == 'form':
            data, content_type = urlencode(body), 'application/x-www-form-urlencoded'
        else:
            data, content_type = json.dumps(body), 'application/json'
        try:
            response = self._http.request(
                'POST', url, body=data.encode(), headers={'Content-Type': content_type}
            )
        except (urllib3.exceptions.HTTPError, OSError, ValueError) as error:
            _logger.warning("Sandbox webhook to %s failed: %s", url, error)
            return self._record(url, body, body_format, error=str(error))
        _logger.debug("Sandbox webhook to %s -> HTTP %s", url, response.status)
        return self._record(url, body, body_format, http_status=response.status)

    def _record(self, url, body, body_format, *, http_status=None, error=None, dropped=False):
        record = {
            'url': url,
            'body': body,
            'format': body_format,
            'http_status': http_status,
            'error': error,
            'dropped': dropped,
            'at': now(),
        }
        with self.state.lock:
            self.state.webhooks.append(record)
        return record
