"""A paid order notified many times at once to a multi-worker Odoo: processed exactly once.

PortOne's webhook and the customer's return routinely arrive together, and webhooks come in
duplicates. This starts Odoo with `--workers=2` on the test database, commits a KRW order with
its Galaxia transaction, has the sandbox hold the paid payment, then fires webhooks and returns in
parallel, and runs the post-processing twice in parallel. Expected: every request answered
without a server error, the transaction confirmed once, the order confirmed, one accounting
payment. Prints `PASS`/`FAIL` lines and `concurrency: N passed, N failed`.

Usage: python tools/concurrency_check.py <odoo options, -d DB included>
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from odoo_checks import Checks

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))
from payment_galaxia.sandbox import SandboxConfig, SandboxServer  # noqa: E402

WEBHOOKS = 4
RETURNS = 2
PRICE = 55000

checks = Checks('concurrency', sys.argv[1:])


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def create_order(env, sandbox_url):
    """Commit a quotation in KRW with a draft Galaxia transaction, as the checkout leaves it."""
    # Importable once the registry has set the addons path up.
    from odoo import Command

    from odoo.addons.payment_galaxia.tests.shop_setup import (
        sandbox_provider_values,
        setup_krw_shop,
    )

    website = env['website'].search([], limit=1)
    pricelist = setup_krw_shop(env, website)
    provider = env['payment.provider'].search(
        [('code', '=', 'galaxia'), ('company_id', '=', website.company_id.id)], limit=1
    )
    provider.write(sandbox_provider_values(sandbox_url))
    partner = env['res.partner'].create({
        'name': "이영희", 'email': 'younghee@example.kr', 'country_id': env.ref('base.kr').id,
    })
    product = env['product.product'].create({'name': "Concurrent Lamp", 'taxes_id': []})
    order = env['sale.order'].create({
        'partner_id': partner.id,
        'pricelist_id': pricelist.id,
        'website_id': website.id,
        'order_line': [Command.create({
            'product_id': product.id, 'product_uom_qty': 1, 'price_unit': PRICE,
        })],
    })
    tx = env['payment.transaction'].create({
        'provider_id': provider.id,
        'payment_method_id': env.ref('payment.payment_method_card').id,
        'amount': order.amount_total,
        'currency_id': order.currency_id.id,
        'partner_id': partner.id,
        'operation': 'online_direct',
        'sale_order_ids': [Command.set(order.ids)],
    })
    return order.id, tx.id, tx.reference


def start_odoo(port, log_path):
    command = [
        sys.executable, os.path.join(os.environ['PAYMENT_GALAXIA_ODOO_SRC'], 'odoo-bin'),
        *sys.argv[1:], '--workers=2', '--max-cron-threads=0', f'--http-port={port}',
        f'--gevent-port={free_port()}', '--log-level=warn',
    ]
    # Its own process group: stopping it must stop its workers too, whatever happens here.
    server = subprocess.Popen(
        command, stdout=log_path.open('w'), stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            # The first request of each worker loads the registry: give it time.
            requests.get(f'http://127.0.0.1:{port}/web/health', timeout=60)
            return server
        except requests.RequestException:
            time.sleep(0.5)
    stop_odoo(server)
    raise RuntimeError(f"Odoo did not start on port {port}; see {log_path}")


def stop_odoo(server):
    """Stop the server and its workers: gracefully, then by force."""
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def fire_together(calls):
    """Run the calls at the same instant from as many threads; return their HTTP statuses."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call().status_code

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def post_process(tx_id):
    checks.in_env(lambda env: env['payment.transaction'].browse(tx_id)._cron_post_process())


def main():
    log_path = Path(os.environ.get('PAYMENT_GALAXIA_LOG_DIR', '/tmp')) / 'concurrency-odoo.log'
    with SandboxServer(SandboxConfig()) as sandbox:
        order_id, tx_id, reference = checks.in_env(lambda env: create_order(env, sandbox.url))
        paid = requests.post(f'{sandbox.url}/__sandbox__/payments', json={
            'merchant_uid': reference, 'amount': PRICE, 'status': 'paid', 'webhook': False,
        }, timeout=10).json()['payment']
        # Every lookup takes a while, so that the requests really overlap inside Odoo.
        requests.post(f'{sandbox.url}/__sandbox__/faults', json={'latency_ms': 300}, timeout=10)

        port = free_port()
        server = start_odoo(port, log_path)
        try:
            base = f'http://127.0.0.1:{port}'
            notification = {'imp_uid': paid['imp_uid'], 'merchant_uid': reference,
                            'status': 'paid'}
            calls = [
                lambda: requests.post(f'{base}/payment/galaxia/webhook', json=notification,
                                      timeout=60)
                for _i in range(WEBHOOKS)
            ] + [
                lambda: requests.post(f'{base}/payment/galaxia/return', data=notification,
                                      allow_redirects=False, timeout=60)
                for _i in range(RETURNS)
            ]
            statuses = fire_together(calls)
        finally:
            stop_odoo(server)

    checks.check("every webhook is acknowledged with HTTP 200",
                 statuses[:WEBHOOKS] == [200] * WEBHOOKS, statuses)
    checks.check("every return redirects to the status page",
                 statuses[WEBHOOKS:] == [303] * RETURNS, statuses)
    server_log = log_path.read_text(errors='replace')
    checks.check("the server logged no traceback", 'Traceback' not in server_log, log_path)

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(post_process, [tx_id, tx_id]))

    def verify(env):
        tx = env['payment.transaction'].browse(tx_id)
        order = env['sale.order'].browse(order_id)
        checks.check("the transaction is confirmed", tx.state == 'done', tx.state)
        confirmations = order.message_ids.filtered(
            lambda m: reference in (m.body or '') and 'has been confirmed' in (m.body or '')
        )
        checks.check("its confirmation was applied once", len(confirmations) == 1,
                     len(confirmations))
        checks.check("the order is confirmed", order.state == 'sale', order.state)
        payments = env['account.payment'].search([('payment_transaction_id', '=', tx_id)])
        checks.check("one accounting payment was booked", len(payments) == 1, len(payments))

    checks.in_env(verify)
    checks.summary()


main()
