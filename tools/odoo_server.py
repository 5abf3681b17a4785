"""An Odoo server of the checks, the benchmarks and the screenshots: started on a port of its own
from `PAYMENT_GALAXIA_ODOO_SRC`, waited for until it answers, stopped with all its processes.

Free of Odoo imports, so that scripts which only drive a server over HTTP can use it.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time

import requests
from free_port import free_port


def start_odoo(odoo_argv, port, log_path, workers=2, cron_threads=0):
    """Start Odoo, as production runs it by default (two HTTP workers), and wait until it answers.

    :param list odoo_argv: Odoo's command-line options, `-d DB` included.
    :param int port: The HTTP port.
    :param pathlib.Path log_path: Where the server logs (warnings and up).
    :param int workers: HTTP worker processes; 0 for the threaded server of `make demo`.
    :param int cron_threads: How many cron workers run beside.
    :return: The server's process.
    :rtype: subprocess.Popen
    """
    command = [
        sys.executable, os.path.join(os.environ['PAYMENT_GALAXIA_ODOO_SRC'], 'odoo-bin'),
        *odoo_argv, f'--workers={workers}', f'--max-cron-threads={cron_threads}',
        f'--http-port={port}', '--log-level=warn',
        *([f'--gevent-port={free_port()}'] if workers else []),
    ]
    # Its own process group: stopping it must stop its workers too, whatever happens here.
    server = subprocess.Popen(
        command, stdout=log_path.open('w'), stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and server.poll() is None:
        try:
            # The first request of each worker loads the registry: give it time.
            requests.get(f'http://127.0.0.1:{port}/web/health', timeout=60)
            return server
        except requests.RequestException:
            time.sleep(0.5)
    stop_process(server)
    raise RuntimeError(f"Odoo did not start on port {port}; see {log_path}")


def stop_process(process):
    """Stop a process started in a session of its own, with its children: gracefully, then by
    force."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
