# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""The sandbox's WSGI application: routing, PortOne's authentication, faults and counters."""

import logging
import time

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map
from werkzeug.wrappers import Request, Response

from . import control_api, messages, rest_api, window_api
from .http_io import CORS_HEADERS, BadBody, envelope, json_response
from .payments import Refusal
from .webhooks import WebhookSender

_logger = logging.getLogger(__name__)

FAULT_MESSAGE = 'sandbox fault injected'
FAULT_HTML = '<html><body><h1>{status}</h1>sandbox fault injected</body></html>'


class SandboxApp:
    """WSGI application of the sandbox: PortOne's REST API, the SDK and the control API."""

    def __init__(self, state):
        """:param SandboxState state: The state the handlers read and change."""
        self.state = state
        self.webhooks = WebhookSender(state)
        rest_rules = rest_api.rules()
        self._rest_endpoints = {rule.endpoint for rule in rest_rules}
        self.url_map = Map(rest_rules + window_api.rules() + control_api.rules())

    def __call__(self, environ, start_response):
        request = Request(environ)
        # An unread body would be parsed as the next request of a keep-alive connection.
        request.get_data()
        response = self._dispatch(request)
        response.headers.update(CORS_HEADERS)
        return response(environ, start_response)

    def _dispatch(self, request):
        if request.method == 'OPTIONS':
            return Response(status=204)
        adapter = self.url_map.bind_to_environ(request.environ)
        try:
            rule, values = adapter.match(return_rule=True)
        except NotFound:
            return envelope(code=-1, message=messages.NO_SUCH_ROUTE, status=404)
        except MethodNotAllowed:
            return envelope(code=-1, message=messages.METHOD_NOT_ALLOWED, status=405)
        is_rest = rule.endpoint in self._rest_endpoints
        if is_rest:
            refused = self._before_rest(request, rule)
            if refused:
                return refused
        try:
            return rule.endpoint(self, request, **values)
        except BadBody as error:
            _logger.info("Sandbox refused an unreadable body on %s: %s", request.path, error)
            if is_rest:
                return envelope(code=-1, message=messages.BAD_BODY, status=400)
            return json_response({'error_code': 'bad_body', 'error': str(error)}, 400)
        except Refusal as refusal:
            if is_rest:
                return envelope(code=refusal.code, message=refusal.message,
                                status=refusal.http_status)
            status = refusal.http_status if refusal.http_status != 200 else 400
            return json_response({'error_code': refusal.reason, 'error': refusal.message}, status)

    def _before_rest(self, request, rule):
        """Count the request, apply the faults, then check the access token.

        :return: The answer replacing the handler's, or ``None`` to go on.
        """
        state = self.state
        with state.lock:
            state.stats[f'{request.method} {_portone_path(rule.rule)}'] += 1
            delay_ms = state.faults.latency_ms + state.faults.take_slow(request.path)
            hang = state.faults.take_timeout(request.path)
            # A counted failure first: a request it answers takes no draw of the failure rate.
            failure = (state.faults.take_fail(request.path)
                       or state.faults.take_fail_rate(request.path))
        if delay_ms:
            time.sleep(delay_ms / 1000)
        if hang:
            # The client gave up long ago; answering late must not disturb anything.
            time.sleep(hang)
        if failure:
            status, body_kind = failure
            if body_kind == 'html':
                return Response(FAULT_HTML.format(status=status), status=status,
                                mimetype='text/html')
            return envelope(code=-1, message=FAULT_MESSAGE, status=status)
        if rule.endpoint is not rest_api.get_token and not state.token_is_valid(_token(request)):
            return envelope(code=-1, message=messages.UNAUTHORIZED, status=401)
        return None


def _portone_path(rule):
    """``/payments/<imp_uid>`` -> ``/payments/{imp_uid}``, as PortOne's docs write paths."""
    return rule.replace('<', '{').replace('>', '}')


def _token(request):
    """The access token of a request: ``Authorization: Bearer <token>``, a bare
    ``Authorization: <token>`` (older clients, e.g. the PyPI iamport client) or the legacy
    ``X-ImpTokenHeader``."""
    authorization = request.headers.get('Authorization', '')
    scheme, _, credentials = authorization.partition(' ')
    if scheme.lower() == 'bearer' and credentials:
        return credentials.strip()
    return authorization.strip() or request.headers.get('X-ImpTokenHeader', '').strip()
