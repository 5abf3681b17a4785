# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""PortOne V1 REST client: cached token, pooled keep-alive connections, typed results."""

import hashlib
import json
import logging
import re
import time
from urllib.parse import quote, urlencode, urlsplit

import urllib3

from .amounts import as_krw
from .api_objects import Logged, Payment, mask
from .errors import (
    PortOneApiError,
    PortOneAuthError,
    PortOneNotFound,
    PortOneUnavailable,
)
from .http_pool import pool_for
from .token_cache import TOKENS

_logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = 'https://api.iamport.kr'
TOKEN_PATH = '/users/getToken'
# Seconds one call may take in all: connecting, the answer, a fresh token and the retry after a
# refused one. PortOne waits 30 s for a webhook's answer (15 s on a resend): a notification
# makes at most two calls (a lookup, then the charge of a card key it reports).
DEFAULT_TIMEOUT = 7.0
CONNECT_TIMEOUT = 3.05


def _required(value):
    """:return: `value`, an id PortOne needs. :raise ValueError: If it is empty."""
    if not value:
        raise ValueError("PortOne identifiers (imp_uid, merchant_uid, customer_uid) are required.")
    return value


def _segment(value):
    """Quote one path segment; an empty one would silently hit another endpoint."""
    return quote(str(_required(value)), safe='')


def _loggable(text):
    """:return: `text` (a URL, or an error quoting one) without the `customer_uid` a billing key
    path names. :rtype: str"""
    return re.sub(r'(/subscribe/customers/)[^/?\s]+', r'\1****', text)


def _sandbox_query(include_sandbox):
    return {'include_sandbox': 'true'} if include_sandbox else None


def _without_none(values):
    return {key: value for key, value in values.items() if value is not None}


class PortOneClient:
    """Client of PortOne's V1 REST API (``https://api.iamport.kr``)."""

    def __init__(self, api_key, api_secret, base_url=DEFAULT_BASE_URL, *, timeout=DEFAULT_TIMEOUT):
        """
        :param str api_key: The REST API key (``imp_key``).
        :param str api_secret: The REST API secret (``imp_secret``).
        :param str base_url: The API root, e.g. the offline sandbox's URL in tests.
        :param float timeout: Seconds one call may take in all (connection, answer, token,
                              retry); every wait is bounded by what is left of it.
        """
        self.api_key = api_key
        self._api_secret = api_secret
        self.base_url = base_url.rstrip('/')
        self.timeout = timeout
        parsed = urlsplit(self.base_url)
        self._path_prefix = parsed.path.rstrip('/')
        self._pool = pool_for(f'{parsed.scheme}://{parsed.netloc}')
        # The secret is part of the key (as a digest): a token obtained with the right secret
        # must not vouch for a wrong one typed in later.
        secret_digest = hashlib.sha256(str(api_secret).encode()).hexdigest()
        self._token_key = (self.base_url, api_key, secret_digest)

    # === AUTHENTICATION === #

    def get_token(self, deadline=None):
        """Return a valid access token, from the shared cache when possible.

        :param float deadline: When the call asking for it must end (`time.monotonic()`),
                               default `timeout` from now.
        :return: The access token.
        :rtype: str
        :raise PortOneAuthError: If the API key and secret are refused.
        """
        deadline = deadline or time.monotonic() + self.timeout
        return TOKENS.get(self._token_key, lambda: self._fetch_token(deadline))

    def _fetch_token(self, deadline):
        _logger.info("Requesting a PortOne access token for API key %s", mask(self.api_key))
        status, envelope = self._send(
            'POST', TOKEN_PATH, deadline,
            body={'imp_key': self.api_key, 'imp_secret': self._api_secret},
        )
        if status == 401:
            raise PortOneAuthError(*self._code_and_message(envelope, status), status)
        response = self._unwrap(status, envelope)
        try:
            return response['access_token'], response['expired_at'] - response['now']
        except (KeyError, TypeError) as error:
            message = "PortOne sent a token answer without its fields."
            raise PortOneApiError(None, message, status) from error

    # === PAYMENTS === #

    def get_payment(self, imp_uid, *, include_sandbox=False):
        """Fetch a payment by PortOne's id.

        :param str imp_uid: PortOne's payment id.
        :param bool include_sandbox: Also find payments made on a test channel.
        :return: The payment.
        :rtype: Payment
        :raise PortOneNotFound: If there is no such (visible) payment.
        """
        path = f'/payments/{_segment(imp_uid)}'
        return Payment.from_api(self._request('GET', path, query=_sandbox_query(include_sandbox)))

    def find_payment(self, merchant_uid, *, include_sandbox=False):
        """Fetch the newest payment of an order id.

        :param str merchant_uid: The merchant's order id.
        :param bool include_sandbox: Also find payments made on a test channel.
        :return: The payment.
        :rtype: Payment
        :raise PortOneNotFound: If the order id has no (visible) payment.
        """
        path = f'/payments/find/{_segment(merchant_uid)}'
        return Payment.from_api(self._request('GET', path, query=_sandbox_query(include_sandbox)))

    def prepare(self, merchant_uid, amount):
        """Register the amount the payment window must charge for an order id.

        :param str merchant_uid: The merchant's order id.
        :param int amount: The amount in KRW.
        :return: None
        :raise PortOneApiError: If PortOne refuses it (e.g. an amount is registered already).
        """
        body = {'merchant_uid': merchant_uid, 'amount': as_krw(amount)}
        self._request('POST', '/payments/prepare', body=body)

    def cancel(
        self, imp_uid, *, amount=None, checksum=None, reason=None, tax_free=None,
        refund_holder=None, refund_bank=None, refund_account=None, refund_tel=None,
    ):
        """Cancel (refund) a payment fully or partially.

        :param str imp_uid: PortOne's payment id.
        :param int amount: The amount to cancel; ``None`` cancels the whole balance.
        :param int checksum: The refundable balance as we know it; PortOne refuses the cancel if
                             its own differs (protects against refunding twice).
        :param str reason: Why the payment is cancelled.
        :param int tax_free: The tax-free part of ``amount``.
        :param str refund_holder: Virtual accounts: the refund account's holder.
        :param str refund_bank: Virtual accounts: the refund account's bank code.
        :param str refund_account: Virtual accounts: the refund account's number.
        :param str refund_tel: Virtual accounts: the refund account holder's phone number.
        :return: The payment after the cancel.
        :rtype: Payment
        """
        body = _without_none({
            'imp_uid': _required(imp_uid),
            'amount': as_krw(amount),
            'checksum': as_krw(checksum),
            'reason': reason,
            'tax_free': as_krw(tax_free),
            'refund_holder': refund_holder,
            'refund_bank': refund_bank,
            'refund_account': refund_account,
            'refund_tel': refund_tel,
        })
        return Payment.from_api(self._request('POST', '/payments/cancel', body=body))

    # === BILLING KEYS === #

    def delete_billing_key(self, customer_uid):
        """Delete the billing key stored under a ``customer_uid``.

        :param str customer_uid: The merchant's id of the stored payment method.
        :return: None
        :raise PortOneNotFound: If no key is stored under this id.
        """
        self._request('DELETE', f'/subscribe/customers/{_segment(customer_uid)}')

    def charge_billing_key(
        self, *, customer_uid, merchant_uid, amount, name, tax_free=None, vat_amount=None,
        buyer_name=None, buyer_email=None, buyer_tel=None, buyer_addr=None, buyer_postcode=None,
        notice_url=None,
    ):
        """Charge a stored billing key (``POST /subscribe/payments/again``).

        A decline comes back as a payment whose ``status`` is not ``paid``: always read it.

        :param str customer_uid: The merchant's id of the stored payment method.
        :param str merchant_uid: The order id of this charge.
        :param int amount: The amount in KRW.
        :param str name: The order name.
        :param int tax_free: The tax-free part of ``amount``.
        :param int vat_amount: The VAT part of ``amount``.
        :param str buyer_name: The buyer's name.
        :param str buyer_email: The buyer's email.
        :param str buyer_tel: The buyer's phone number.
        :param str buyer_addr: The buyer's address.
        :param str buyer_postcode: The buyer's postcode.
        :param str notice_url: Where PortOne sends the webhook of this charge.
        :return: The payment of this charge.
        :rtype: Payment
        """
        body = _without_none({
            'customer_uid': customer_uid,
            'merchant_uid': merchant_uid,
            'amount': as_krw(amount),
            'name': name,
            'tax_free': as_krw(tax_free),
            'vat_amount': as_krw(vat_amount),
            'buyer_name': buyer_name,
            'buyer_email': buyer_email,
            'buyer_tel': buyer_tel,
            'buyer_addr': buyer_addr,
            'buyer_postcode': buyer_postcode,
            'notice_url': notice_url,
        })
        return Payment.from_api(self._request('POST', '/subscribe/payments/again', body=body))

    # === TRANSPORT === #

    def _request(self, method, path, *, query=None, body=None):
        """Send an authenticated request and return the envelope's ``response`` object.

        A 401 means the cached token died early (revoked, or the server's clock disagrees):
        drop it, get a fresh one and try exactly once more, all within the call's deadline.
        """
        deadline = time.monotonic() + self.timeout
        token = self.get_token(deadline)
        status, envelope = self._send(method, path, deadline, query=query, body=body, token=token)
        if status == 401:
            _logger.info("PortOne refused the access token on %s %s; retrying once.", method, path)
            TOKENS.invalidate(self._token_key, token)
            token = self.get_token(deadline)
            status, envelope = self._send(
                method, path, deadline, query=query, body=body, token=token
            )
            if status == 401:
                raise PortOneAuthError(*self._code_and_message(envelope, status), status)
        response = self._unwrap(status, envelope)
        if not isinstance(response, dict):
            raise PortOneApiError(0, "PortOne answered without a response object.", status)
        return response

    def _send(self, method, path, deadline, *, query=None, body=None, token=None):
        """Send one HTTP request and decode the envelope.

        :param float deadline: When the call must end (`time.monotonic()`); connecting and
                               waiting for the answer get what is left of it.
        :return: ``(http_status, envelope)``; ``envelope`` is ``None`` if the body is not JSON.
        :raise PortOneUnavailable: On connection errors, timeouts and HTTP 5xx.
        """
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise PortOneUnavailable(
                None, f"PortOne did not answer {method} {path} within {self.timeout:g} s."
            )
        # urllib3 rather than requests: its `total` bounds connecting and the answer together,
        # and Odoo's test harness rewrites every requests timeout under 10 s to 10 s.
        timeout = urllib3.Timeout(total=remaining, connect=min(CONNECT_TIMEOUT, remaining))
        url = self._path_prefix + path
        if query:
            url += '?' + urlencode(query)
        headers = {'Accept': 'application/json'}
        if token:
            headers['Authorization'] = f'Bearer {token}'
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers['Content-Type'] = 'application/json'
            _logger.debug("PortOne request %s %s:\n%s", method, _loggable(url), Logged(body))
        started = time.monotonic()
        try:
            response = self._pool.urlopen(
                method, url, body=data, headers=headers, timeout=timeout,
                retries=False, redirect=False,
            )
        except (urllib3.exceptions.HTTPError, OSError) as error:
            reason = _loggable(str(error))  # Some of urllib3's errors quote the URL.
            _logger.warning("PortOne %s %s failed: %s", method, _loggable(url), reason)
            raise PortOneUnavailable(None, f"PortOne could not be reached: {reason}") from error
        status = response.status
        try:
            envelope = json.loads(response.data)
        except ValueError:
            envelope = None
        if not isinstance(envelope, dict):
            envelope = None
        _logger.debug(
            "PortOne %s %s -> HTTP %s in %.1f ms:\n%s",
            method, _loggable(url), status, (time.monotonic() - started) * 1000, Logged(envelope),
        )
        if status >= 500:
            _logger.warning("PortOne %s %s answered HTTP %s", method, _loggable(url), status)
            raise PortOneUnavailable(*self._code_and_message(envelope, status), status)
        return status, envelope

    @staticmethod
    def _code_and_message(envelope, status):
        if envelope is None:
            return None, f"PortOne answered HTTP {status} without a readable body."
        return envelope.get('code'), envelope.get('message') or f"PortOne answered HTTP {status}."

    def _unwrap(self, status, envelope):
        """Return the envelope's ``response`` or raise the error it describes."""
        code, message = self._code_and_message(envelope, status)
        if status == 404:
            raise PortOneNotFound(code, message, status)
        if envelope is None or code != 0 or not 200 <= status < 300:
            raise PortOneApiError(code, message, status)
        return envelope.get('response')
