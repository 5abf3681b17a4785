# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""pytest fixtures for tests run against the sandbox (the core's and the sandbox's own): a real
sandbox on 127.0.0.1, its control API, raw REST access and a webhook receiver. Nothing is
mocked. A conftest imports the fixtures (and the collection hook) it needs by name."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest
import urllib3

from .config import SandboxConfig
from .server import SandboxServer

API_KEY = 'sandbox_api_key'
API_SECRET = 'sandbox_api_secret'
TEST_CHANNEL = 'channel-key-galaxia-test'
LIVE_CHANNEL = 'channel-key-galaxia-live'

_http = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(connect=2, read=10))


class Http:
    """JSON over HTTP to one base URL, for the control API and raw REST calls."""

    def __init__(self, base_url):
        self.base_url = base_url

    def fetch(self, method, path, **kwargs):
        """:return: The raw answer, for what is not JSON. :rtype: urllib3.HTTPResponse"""
        return _http.request(method, self.base_url + path, **kwargs)

    def call(self, method, path, body=None, *, form=None, headers=None, expect=None):
        """Send a request and decode its JSON answer.

        :return: ``(http_status, decoded_body)``.
        """
        headers = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers['Content-Type'] = 'application/json'
        elif form is not None:
            data = '&'.join(f'{k}={v}' for k, v in form.items()).encode()
            headers['Content-Type'] = 'application/x-www-form-urlencoded'
        response = _http.request(method, self.base_url + path, body=data, headers=headers)
        decoded = json.loads(response.data) if response.data else None
        if expect is not None:
            assert response.status == expect, (response.status, decoded)
        return response.status, decoded


class Control(Http):
    """The sandbox's control API."""

    def __init__(self, sandbox):
        super().__init__(sandbox.url + '/__sandbox__/')

    def get(self, path, **kwargs):
        return self.call('GET', path, expect=200, **kwargs)[1]

    def post(self, path, body=None, expect=200):
        return self.call('POST', path, body if body is not None else {}, expect=expect)[1]

    def pay(self, **values):
        """Create a payment (default: paid card of 1,000 KRW on the test channel)."""
        values.setdefault('amount', 1000)
        return self.post('payments', values, expect=201)['payment']

    def requests(self, endpoint):
        return self.get('stats')['requests'].get(endpoint, 0)


class Rest(Http):
    """PortOne's REST API of the sandbox, called by hand (to test the sandbox itself)."""

    def token(self):
        status, answer = self.call(
            'POST', '/users/getToken', {'imp_key': API_KEY, 'imp_secret': API_SECRET}
        )
        assert status == 200, answer
        return answer['response']['access_token']

    def authed(self, method, path, body=None, expect=None):
        """:return: ``(http_status, envelope)`` of an authenticated call."""
        return self.call(method, path, body, headers={'Authorization': f'Bearer {self.token()}'},
                         expect=expect)


class WebhookReceiver:
    """A tiny HTTP server recording the webhooks it receives (JSON or form bodies)."""

    def __init__(self):
        self.received = []
        self.answer_status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers['Content-Length'] or 0)).decode()
                content_type = self.headers['Content-Type']
                body = json.loads(raw) if 'json' in content_type else dict(parse_qsl(raw))
                receiver.received.append({'path': self.path, 'content_type': content_type,
                                          'body': body, 'at': time.monotonic()})
                self.send_response(receiver.answer_status)
                self.send_header('Content-Length', '0')
                self.end_headers()

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.url = f'http://127.0.0.1:{self._server.server_port}/webhook'
        threading.Thread(target=self._server.serve_forever, kwargs={'poll_interval': 0.05},
                         daemon=True).start()

    def wait_for(self, count, timeout=5):
        """:return: The received webhooks once there are ``count`` of them."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.received

    def close(self):
        self._server.shutdown()
        self._server.server_close()


def pytest_collection_modifyitems(items):
    """Keep pytest from importing the ``__init__.py`` of the packages around the tests.

    The repository root is the Odoo addon, a package whose ``__init__.py`` imports ``odoo``.
    pytest imports every enclosing package's ``__init__.py`` by path to run its module setup,
    and a path import of ``payment_galaxia/__init__.py`` or ``portone_sandbox/__init__.py`` goes
    through the root's too. None has a module setup, and the tests import both packages by name
    from the repository root. No conftest hook runs early enough to collect these directories
    differently (the root's collector is built with the hooks of its parent directory).
    """
    for item in items:
        for node in item.listchain():
            if isinstance(node, pytest.Package):
                node.setup = _no_setup


def _no_setup():
    pass


@pytest.fixture(scope='session')
def sandbox_server():
    with SandboxServer(SandboxConfig(deterministic=True, webhook_delay=0.05)) as server:
        yield server


@pytest.fixture
def sandbox(sandbox_server):
    """The shared sandbox, emptied for this test (access tokens survive, as documented)."""
    sandbox_server.state.reset()
    return sandbox_server


@pytest.fixture
def control(sandbox):
    return Control(sandbox)


@pytest.fixture
def control_for():
    """Control API of any sandbox, e.g. one from `fresh_sandbox`."""
    return Control


@pytest.fixture
def rest(sandbox):
    return Rest(sandbox.url)


@pytest.fixture
def rest_for():
    """REST access to any sandbox URL, e.g. one from `fresh_sandbox`."""
    return Rest


@pytest.fixture
def receiver():
    webhook_receiver = WebhookReceiver()
    yield webhook_receiver
    webhook_receiver.close()


@pytest.fixture
def fresh_sandbox():
    """A sandbox of its own (own URL, hence own token cache entry and connection pool)."""
    servers = []

    def start(**config):
        server = SandboxServer(SandboxConfig(**{'deterministic': True, **config})).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
