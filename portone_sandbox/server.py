# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""A threaded HTTP/1.1 keep-alive server running the sandbox in a background thread."""

import contextlib
import logging
import socket
import threading

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from .app import SandboxApp
from .config import SandboxConfig
from .state import SandboxState

_logger = logging.getLogger(__name__)


class _RequestHandler(WSGIRequestHandler):
    protocol_version = 'HTTP/1.1'  # keep-alive: what makes a pooled client fast
    # Headers and body leave in separate writes; with Nagle the second may wait for the
    # client's delayed ACK (up to 40 ms on Linux).
    disable_nagle_algorithm = True

    def log(self, type, message, *args):
        # Werkzeug logs every request at INFO; the sandbox's requests are noise but for debugging.
        level = 'debug' if type == 'info' else type
        getattr(_logger, level)('%s ' + message, self.address_string(), *args)


class _Server(ThreadedWSGIServer):
    """Remembers its open connections so that stopping also closes idle keep-alive ones."""

    def __init__(self, host, port, app):
        self._connections = set()
        self._connections_lock = threading.Lock()
        super().__init__(host, port, app, handler=_RequestHandler)

    def process_request(self, request, client_address):
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self):
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by the peer
                connection.shutdown(socket.SHUT_RDWR)


class SandboxServer:
    """The offline PortOne sandbox, listening as soon as it is created.

    Use it as a context manager (``with SandboxServer() as sandbox: sandbox.url``) or call
    `start` and `stop`.
    """

    def __init__(self, config=None, host='127.0.0.1', port=0):
        """
        :param SandboxConfig config: What the sandbox accepts, default `SandboxConfig()`.
        :param str host: The interface to listen on.
        :param int port: The port, 0 for a free one.
        """
        self.config = config or SandboxConfig()
        self.state = SandboxState(self.config)
        self._server = _Server(host, port, SandboxApp(self.state))
        self.url = f'http://{host}:{self._server.port}'
        self.state.base_url = self.url
        self._thread = None

    def start(self):
        """Serve from a daemon thread.

        :return: This server.
        :rtype: SandboxServer
        """
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={'poll_interval': 0.1},
            name=f'portone-sandbox-{self._server.port}', daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self):
        """Serve from the calling thread until interrupted."""
        self._server.serve_forever(poll_interval=0.5)

    def stop(self):
        """Stop serving and close every connection."""
        if self._thread:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.close_connections()
        self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
