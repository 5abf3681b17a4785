# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""Errors raised by the PortOne V1 client.

Every error carries PortOne's envelope ``code`` and ``message`` when there was one, and the HTTP
status when an answer arrived.
"""


class PortOneError(Exception):
    """Base class of every error the PortOne client raises."""

    def __init__(self, code, message, http_status=None):
        """
        :param int|None code: PortOne's envelope ``code`` (``None`` when there was no envelope).
        :param str message: PortOne's ``message`` or a description of what went wrong.
        :param int|None http_status: The HTTP status of the answer, ``None`` when none arrived.
        """
        super().__init__(message)
        self.code = code
        self.message = message
        self.http_status = http_status

    def __str__(self):
        return f'{self.message} (code {self.code}, HTTP {self.http_status})'


class PortOneApiError(PortOneError):
    """PortOne refused the request: a non-zero envelope ``code`` or an unreadable answer."""


class PortOneNotFound(PortOneError):
    """PortOne answered HTTP 404: no such payment or billing key (or a test-channel
    payment looked up without ``include_sandbox``)."""


class PortOneAuthError(PortOneError):
    """The API key and secret were refused, or a fresh access token was refused again."""


class PortOneUnavailable(PortOneError):
    """PortOne could not be reached or failed on its side (connection error, timeout, HTTP 5xx).

    The request may or may not have been processed: re-read the object before acting again.
    """
