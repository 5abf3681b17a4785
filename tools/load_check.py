"""Notifications under load and faults: many orders, many duplicated webhooks and customer
returns from many clients at once, against a multi-worker Odoo while PortOne is slow for some
calls and fails others. Every order must end in PortOne's state, confirmed once, with one
accounting payment, and no request may answer a server error.

1. Commits `--orders` KRW quotations with draft Galaxia transactions (every fifth one a virtual
   account) and makes the sandbox hold each one's payment: paid, or the account issued and left
   unpaid. No webhook: the load delivers them.
2. Starts Odoo with `--workers=2` and no cron, then makes PortOne's payment lookups slow for
   `SLOW_SHARE` of them and failing (HTTP 503) for `FAIL_SHARE`, drawn from the seed.
3. Sends `--pairs` webhook + customer return pairs, each for an order drawn at random (so some
   orders get many, some none; every seventh order gets none, as when its webhooks are lost),
   from `--clients` threads, timing every request. Odoo's workers listen with a queue of 8
   connections each: when more clients than that wait, the kernel drops connection attempts,
   which is counted (Linux) and printed with the connection errors.
4. Clears the faults and runs, in-process, what the scheduled jobs would do next: the
   reconciliation job once (the transactions aged past the provider's delay) for what failed or
   missing notifications left, then the post-processing twice at once, then
   once more for what both runs rolled back (as its next scheduled run would).
5. Checks every transaction and order against PortOne, and the requests' answers.

Prints `PASS`/`FAIL` lines, the figures
(`N notifications, N orders, N double confirmations, N 5xx, p95 N ms`) with where the orders
were settled and how many PortOne requests each notification cost, and
`load: N passed, N failed`.

Usage: python tools/load_check.py [--orders 200] [--pairs 1000] [--clients 32] [--seed 1]
                                  <odoo options, -d DB included>
"""

import argparse
import logging
import os
import random
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import requests
from free_port import free_port
from load_metrics import ErrorLog, Laps, listen_overflows, percentile
from odoo_checks import (
    Checks,
    fire_together,
    quotation_with_transaction,
    sandbox_shop,
)
from odoo_server import start_odoo, stop_process

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))
from portone_sandbox import SandboxConfig, SandboxServer  # noqa: E402

# What PortOne does wrong during the load: its payment lookups (not its token endpoint).
FAULTY_PATHS = '/payments/'
FAIL_SHARE = 0.05
FAIL_STATUS = 503
SLOW_SHARE = 0.2
SLOW_MS = 300
# Every fifth order pays by virtual account: issued, not paid, it must stay pending.
VBANK_EVERY = 5
# Every seventh order (some of them virtual accounts) is never notified: its webhooks are lost and
# its customer gone, so that the reconciliation job always has orders to settle.
UNNOTIFIED_EVERY = 7
# The transaction's state each PortOne status of the load's payments must lead to.
EXPECTED_STATE = {'paid': 'done', 'ready': 'pending'}
# How many failures a FAIL line lists.
SHOWN = 10


def parse_options(argv):
    """:return: `(options, odoo_argv)`: the load's options, and the rest for Odoo."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], allow_abbrev=False)
    parser.add_argument('--orders', type=int, default=200, help="orders paid at PortOne")
    parser.add_argument('--pairs', type=int, default=1000,
                        help="webhook + return pairs sent, each for an order drawn at random")
    parser.add_argument('--clients', type=int, default=32, help="threads sending at once")
    parser.add_argument('--seed', type=int, default=1,
                        help="seeds the amounts, the orders drawn and the faults' draws")
    return parser.parse_known_args(argv)


options, odoo_argv = parse_options(sys.argv[1:])
checks = Checks('load', odoo_argv)


@dataclass
class Order:
    """A quotation of the load, its transaction and the payment PortOne holds for it."""

    order_id: int
    tx_id: int
    reference: str
    amount: int
    pay_method: str
    imp_uid: str = ''
    status: str = ''  # PortOne's


@dataclass
class Answer:
    """What one notification got back."""

    kind: str  # 'webhook' or 'return'
    order: Order
    status: int | None  # None: no HTTP answer at all
    error: str
    ms: float


@dataclass
class Served:
    """What the server's part of the run left to check and to print."""

    answers: list  # [Answer], in the plan's order
    faults: dict  # the sandbox's faults as they ended, with what they did
    portone_requests: dict  # received by PortOne while the notifications were sent, by route
    listen_overflows: int | None  # connections the kernel dropped meanwhile, if it says


def create_orders(env, sandbox_url, count, rng):
    """Commit `count` quotations in KRW with their draft Galaxia transactions.

    :return: The orders. :rtype: list[Order]
    """
    shop = sandbox_shop(env, sandbox_url)
    product = env['product.product'].create({'name': "Load Lamp", 'taxes_id': []})
    methods = {
        'card': env.ref('payment.payment_method_card'),
        'vbank': env.ref('payment_galaxia.payment_method_vbank'),
    }
    orders = []
    for index in range(count):
        pay_method = 'vbank' if index % VBANK_EVERY == VBANK_EVERY - 1 else 'card'
        amount = rng.randrange(1, 100) * 1000
        # A customer per order, as in a shop: the post-processings of two orders never write
        # the same customer (it would be a collision of its own, not the payment's).
        partner = env['res.partner'].create({
            'name': f"김민준 {index}", 'email': f'minjun{index}@example.kr',
            'country_id': env.ref('base.kr').id,
        })
        order, tx = quotation_with_transaction(
            env, shop, partner, product, amount, methods[pay_method]
        )
        orders.append(Order(order.id, tx.id, tx.reference, amount, pay_method))
    return orders


class Sandbox:
    """The control API of the sandbox standing in for PortOne."""

    def __init__(self, server):
        self.url = server.url

    def call(self, method, path, **body):
        answer = requests.request(method, f'{self.url}/__sandbox__/{path}', json=body or None,
                                  timeout=30)
        answer.raise_for_status()
        return answer.json()

    def hold(self, order):
        """Make PortOne hold the order's payment, paid (or its account issued), unannounced."""
        payment = self.call('POST', 'payments', merchant_uid=order.reference, amount=order.amount,
                            pay_method=order.pay_method,
                            status='ready' if order.pay_method == 'vbank' else 'paid',
                            webhook=False)['payment']
        order.imp_uid, order.status = payment['imp_uid'], payment['status']

    def payments(self):
        """:return: PortOne's payments by `merchant_uid` (one each in this check)."""
        return {p['merchant_uid']: p for p in self.call('GET', 'payments')['payments']}


def notification_plan(orders, pairs, rng):
    """Draw the order of each pair among all orders but every `UNNOTIFIED_EVERY`th one (its
    webhooks lost, its customer gone: the reconciliation job's); a pair is its webhook then its
    return, next to each other in the queue so that two clients send them at nearly the same
    instant.

    :return: `[(kind, order), ...]`.
    """
    notified = [order for index, order in enumerate(orders) if index % UNNOTIFIED_EVERY]
    plan = []
    for _pair in range(pairs):
        order = rng.choice(notified)
        plan += [('webhook', order), ('return', order)]
    return plan


def notify(base, kind, order):
    """Send one notification as PortOne (webhook) or the customer's browser (return) does."""
    started = time.monotonic()
    try:
        if kind == 'webhook':
            response = requests.post(f'{base}/payment/galaxia/webhook', timeout=120, json={
                'imp_uid': order.imp_uid, 'merchant_uid': order.reference, 'status': order.status,
            })
        else:
            response = requests.post(f'{base}/payment/galaxia/return', timeout=120, data={
                'imp_uid': order.imp_uid, 'merchant_uid': order.reference,
            }, allow_redirects=False)
        status, error = response.status_code, ''
    except requests.RequestException as exc:
        status, error = None, f'{type(exc).__name__}: {exc}'
    return Answer(kind, order, status, error, (time.monotonic() - started) * 1000)


def send_load(base, plan, clients):
    """:return: The answers, in the plan's order. :rtype: list[Answer]"""
    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(lambda item: notify(base, *item), plan))


def settled(orders):
    """:return: The references of the orders whose transaction is in PortOne's state."""
    def read(env):
        txs = env['payment.transaction'].browse([o.tx_id for o in orders])
        return {tx.id: tx.state for tx in txs}

    states = checks.in_env(read)
    return {o.reference for o in orders if states[o.tx_id] == EXPECTED_STATE.get(o.status)}


def run_reconciliation(orders):
    """Run the reconciliation job once, as its schedule would once the provider's delay has
    passed: the transactions' creation and their scheduled checks moved back by the delay."""
    def run(env):
        provider = env['payment.transaction'].browse(orders[0].tx_id).provider_id
        env.cr.execute(
            'UPDATE payment_transaction SET create_date = create_date - %(aged)s,'
            ' galaxia_next_check = galaxia_next_check - %(aged)s WHERE id IN %(ids)s',
            {'aged': timedelta(minutes=provider.galaxia_reconcile_delay + 1),
             'ids': tuple(o.tx_id for o in orders)},
        )
        env.invalidate_all()
        env['payment.transaction']._cron_galaxia_reconcile()

    checks.in_env(run)


def post_process(orders, runs):
    """Run the post-processing of the load's transactions `runs` times at once (twice: as a
    status page polling while the scheduled job runs would).

    :return: How many of the transactions are left to post-process.
    """
    tx_ids = [o.tx_id for o in orders]

    def run(_run):
        checks.in_env(lambda env: env['payment.transaction'].browse(tx_ids)._cron_post_process())

    with ThreadPoolExecutor(runs) as pool:
        list(pool.map(run, range(runs)))
    return checks.in_env(lambda env: env['payment.transaction'].search_count(
        [('id', 'in', tx_ids), ('is_post_processed', '=', False)]
    ))


def read_outcome(orders):
    """:return: `{tx_id: {...}}`: each transaction's state, PortOne ids, the chatter's
    confirmations and pending notices on its order, and its accounting payments."""
    def read(env):
        outcome = {}
        for o in orders:
            tx = env['payment.transaction'].browse(o.tx_id)
            order = env['sale.order'].browse(o.order_id)
            bodies = [m.body or '' for m in order.message_ids
                      if o.reference in (m.body or '') and 'The transaction' in (m.body or '')]
            outcome[o.tx_id] = {
                'state': tx.state,
                'provider_reference': tx.provider_reference,
                'vbank_num': tx.galaxia_vbank_num,
                'order_state': order.state,
                'confirmations': sum('has been confirmed' in body for body in bodies),
                'pending_notices': sum('is pending' in body for body in bodies),
                'payments': env['account.payment'].search_count(
                    [('payment_transaction_id', '=', o.tx_id)]
                ),
            }
        return outcome

    return checks.in_env(read)


def check_answers(served):
    """The requests' checks. :return: How many answered 5xx."""
    answers = served.answers
    lost = [a for a in answers if a.status is None]
    errors = [a for a in answers if a.status is not None and a.status >= 500]
    # Odoo's multi-worker server listens with a queue of 8 connections per worker: past it the
    # kernel drops connections, which a proxy in front (as in production) would hold instead.
    # Those are the server's, not the module's; any other lost request is a failure.
    print(f"{len(lost)} requests without an answer, {served.listen_overflows} connections dropped"
          f" by the kernel at the server's full listen queue", flush=True)
    checks.check("no notification got lost but at the server's full listen queue",
                 not lost or served.listen_overflows, (
                     f"{len(lost)} without an answer; first:"
                     f" {[(a.kind, a.order.reference, round(a.ms), a.error) for a in lost[:SHOWN]]}"
                 ))
    checks.check("no notification answered a server error (5xx)", not errors,
                 f"{len(errors)}, first:"
                 f" {[(a.kind, a.order.reference, a.status) for a in errors[:SHOWN]]}")
    webhooks = Counter(a.status for a in answers if a.kind == 'webhook' and a.status)
    returns = Counter(a.status for a in answers if a.kind == 'return' and a.status)
    checks.check("every webhook is acknowledged with HTTP 200", set(webhooks) <= {200},
                 dict(webhooks))
    checks.check("every return redirects to the status page (HTTP 303)", set(returns) <= {303},
                 dict(returns))
    return len(errors)


def check_outcome(orders, portone, outcome):
    """The transactions' and orders' checks. :return: How many were confirmed twice or more."""
    def check(label, predicate):
        wrong = [(o.reference, o.status, outcome[o.tx_id]) for o in orders
                 if not predicate(o, portone[o.reference], outcome[o.tx_id])]
        checks.check(label, not wrong, f"{len(wrong)} orders, first: {wrong[:SHOWN]}")

    check("every transaction is in PortOne's state (done if paid, pending if an account is"
          " issued)", lambda o, p, t: t['state'] == EXPECTED_STATE.get(p['status']))
    check("every transaction rests on PortOne's payment (and virtual account)",
          lambda o, p, t: t['provider_reference'] == p['imp_uid']
          and (t['vbank_num'] or None) == (p['vbank_num'] or None))
    check("every paid order is confirmed, no order with an unpaid account is",
          lambda o, p, t: (t['order_state'] == 'sale') == (p['status'] == 'paid'))
    check("every paid transaction was confirmed once, no unpaid one was",
          lambda o, p, t: t['confirmations'] == (p['status'] == 'paid'))
    check("every issued account was announced pending once",
          lambda o, p, t: t['pending_notices'] == (p['status'] == 'ready'))
    check("one accounting payment per paid transaction, none for an unpaid account",
          lambda o, p, t: t['payments'] == (p['status'] == 'paid'))
    return sum(t['confirmations'] > 1 for t in outcome.values())


def serve_load(sandbox, plan, laps, log_path):
    """Start Odoo, make PortOne slow and failing, send the plan, stop Odoo.

    :rtype: Served
    """
    port = free_port()
    # Odoo's retries of a request after a serialization failure are logged at INFO: counted.
    odoo = start_odoo([*odoo_argv, '--log-handler=odoo.service.model:INFO'], port, log_path)
    base = f'http://127.0.0.1:{port}'
    try:
        # Each worker loads the registry on its first request: not part of the load.
        fire_together([lambda: requests.get(f'{base}/web/login', timeout=120)] * 4)
        laps.lap('start Odoo')
        sandbox.call('DELETE', 'stats')
        faults = {'path_prefix': FAULTY_PATHS, 'seed': options.seed}
        sandbox.call('POST', 'faults',
                     fail_rate={**faults, 'share': FAIL_SHARE, 'status': FAIL_STATUS},
                     slow={**faults, 'share': SLOW_SHARE, 'ms': SLOW_MS})
        overflows_before = listen_overflows()
        answers = send_load(base, plan, options.clients)
        overflows_after = listen_overflows()
        laps.lap('send')
    finally:
        stop_process(odoo)
    served = Served(
        answers, sandbox.call('GET', 'faults'), sandbox.call('GET', 'stats')['requests'],
        None if overflows_before is None else overflows_after - overflows_before,
    )
    sandbox.call('DELETE', 'faults')
    return served


def run_jobs(orders, errors, laps):
    """Run the reconciliation job, then the post-processing twice at once, then once more if
    both runs left some.

    :return: `(by_notifications, by_job, left_by_both, left)`: the references of the orders
             settled before the job and by it, and how many transactions the parallel
             post-processing and the next one left unprocessed.
    """
    by_notifications = settled(orders)
    logging.getLogger().addHandler(errors)
    try:
        errors.phase = 'reconciliation job'
        run_reconciliation(orders)
        by_job = settled(orders) - by_notifications
        laps.lap('reconciliation job')
        errors.phase = 'post-processing'
        left_by_both = post_process(orders, runs=2)
        errors.phase = 'next post-processing'
        left = post_process(orders, runs=1) if left_by_both else 0
        laps.lap('post-processing')
    finally:
        logging.getLogger().removeHandler(errors)
    return by_notifications, by_job, left_by_both, left


def check_logs(log_path, errors, left):
    """The logs' checks, the server's and this process's. :return: The server's log."""
    server_log = log_path.read_text(errors='replace')
    checks.check("the server logged no traceback", 'Traceback' not in server_log, log_path)
    checks.check("the reconciliation job logged no error",
                 not errors.of('reconciliation job', collisions=None),
                 errors.of('reconciliation job', collisions=None)[:SHOWN])
    unexpected = errors.of('post-processing', collisions=False)
    checks.check("the post-processing runs at once logged no error but their collisions",
                 not unexpected, unexpected[:SHOWN])
    checks.check("every transaction is post-processed (by the next run at the latest), without"
                 " error", not left and not errors.of('next post-processing', collisions=None),
                 (left, errors.of('next post-processing', collisions=None)[:SHOWN]))
    return server_log


def main():
    laps = Laps()
    rng = random.Random(options.seed)
    log_path = Path(os.environ.get('PAYMENT_GALAXIA_LOG_DIR', '/tmp')) / 'load-odoo.log'
    errors = ErrorLog()
    # The PDFs of the order e-mails miss their style sheets (wkhtmltopdf asks the stopped server
    # for them) and say so for every order: nothing this check looks at.
    logging.getLogger('odoo.addons.base.models.ir_actions_report').setLevel(logging.ERROR)
    with SandboxServer(SandboxConfig()) as server:
        sandbox = Sandbox(server)
        orders = checks.in_env(lambda env: create_orders(env, sandbox.url, options.orders, rng))
        for order in orders:
            sandbox.hold(order)
        plan = notification_plan(orders, options.pairs, rng)
        laps.lap('prepare')
        served = serve_load(sandbox, plan, laps, log_path)
        by_notifications, by_job, left_by_both, left = run_jobs(orders, errors, laps)
        portone = sandbox.payments()

    notified = {o.reference for _kind, o in plan}
    unnotified = {o.reference for o in orders} - notified
    checks.check("the reconciliation job settles the orders no notification reached",
                 unnotified <= by_job, sorted(unnotified - by_job)[:SHOWN])
    server_errors = check_answers(served)
    double_confirmations = check_outcome(orders, portone, read_outcome(orders))
    server_log = check_logs(log_path, errors, left)

    answers, faults = served.answers, served.faults
    latencies = [a.ms for a in answers]
    print(f"{len(answers)} notifications, {len(orders)} orders, {double_confirmations} double"
          f" confirmations, {server_errors} 5xx, p95 {percentile(latencies, 0.95):.0f} ms")
    print(f"requests: {options.pairs} webhooks + {options.pairs} returns from {options.clients}"
          f" clients over {len(notified)} orders ({len(orders) - len(notified)} never notified;"
          f" {sum(o.pay_method == 'vbank' for o in orders)} orders are virtual accounts):"
          f" {len(answers) / laps.seconds['send']:.1f} requests/s, median"
          f" {percentile(latencies, 0.5):.0f} ms, max {max(latencies, default=0):.0f} ms,"
          f" {sum(a.status is None for a in answers)} connection errors"
          f" ({served.listen_overflows} connections dropped at a full listen queue)")
    portone_total = sum(served.portone_requests.values())
    print(f"PortOne: {portone_total} requests ({portone_total / len(answers):.2f} per"
          f" notification; {served.portone_requests}), {faults['fail_rate']['failed']} failed"
          f" with HTTP {FAIL_STATUS}, {faults['slow']['slowed']} slowed by {SLOW_MS} ms;"
          f" {server_log.count('Could not verify transaction')} notifications left their"
          f" transaction unverified, {server_log.count(' tries left, try again')} requests"
          f" retried after a serialization failure")
    print(f"settled: {len(by_notifications)} orders by the notifications, {len(by_job)} by the"
          f" reconciliation job, {len(orders) - len(by_notifications) - len(by_job)} by neither;"
          f" post-processing at once: {len(errors.of('post-processing', collisions=True))}"
          f" collisions logged, {left_by_both} transactions left by both runs for the next one")
    print(f"time: {laps}")
    checks.summary()


main()
