"""Webhooks side by side: this module's against `payment_toss_payments` (Odoo 19's own Korean
provider), in one run on one multi-worker Odoo.

Both webhooks take a draft transaction of a KRW quotation to done and log its confirmation on
the order. Ours re-reads the payment at PortOne (the sandbox, in a process of its own) and locks
the transaction's row; Toss Payments' compares the body's `secret` with the one the transaction
stored and trusts the body's status.

1. Commits, for each side, `--txs` quotations with their draft transactions (plus warm-up ones
   and fresh ones for the single-sender latency): ours with the payments the sandbox holds as
   paid (no webhook sent), Toss Payments' with a stored payment secret. All at one price, one
   customer each, the card method.
2. Starts Odoo once with `--workers=2`, no cron, and Werkzeug's access log (whose lines end with
   each request's query count, query time and remaining time).
3. Warm-up, not timed: the warm-up transactions' webhooks, then their duplicates, each side.
4. First deliveries: every transaction's webhook from `--senders` threads, in blocks of
   `--block` webhooks by pairs, one block of each side, ours first then Toss first in turn (so
   that neither side profits from a warmer or quieter machine); webhooks/s = webhooks / seconds
   spent in that side's blocks. The ratio of each pair's rates shows how steady the machine was.
   Around each block, the CPU used by Odoo's processes, its database's PostgreSQL backends and
   the sandbox is read from /proc: what a webhook costs, whatever else the machine runs.
5. Duplicates: the same notifications again, `--duplicate-rounds` times, in the same blocks.
6. Single sender: the fresh transactions' webhooks one at a time, alternating ours and Toss,
   then their duplicates the same way; the latency is the sender's, per request.
7. Reads the access log by phase and route (the median query count per webhook), and checks
   that every webhook was answered HTTP 200, that every transaction was done after its first
   delivery and confirmed once (one chatter message, `last_state_change` untouched by
   duplicates), and that the server logged no traceback.

Prints the `PASS`/`FAIL` lines, the figures, then `webhooks/s ratio ours/toss: first R,
duplicates R`, `SQL per webhook: ours A/B, toss C/D` (first/duplicates), `CPU per webhook ratio
toss/ours: first R, duplicates R` (on Linux) and `bench-webhooks: N passed, N failed`; exits
non-zero on a failed check.

Usage: python tools/bench_webhooks.py [--txs 300] [--senders 16] [--block 50]
                                      [--duplicate-rounds 3] [--latency-txs 50]
                                      <odoo options, -d DB included>
"""

import argparse
import http.client
import json
import multiprocessing
import os
import re
import statistics
import sys
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests
from free_port import free_port
from load_metrics import Laps, listen_overflows, percentile
from odoo_checks import (
    Checks,
    quotation_with_transaction,
    sandbox_shop,
)
from odoo_server import start_odoo, stop_process

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))
from portone_sandbox import SandboxConfig, SandboxServer  # noqa: E402

PRICE = 55000
OURS, TOSS = 'ours', 'toss'
ROUTES = {OURS: '/payment/galaxia/webhook', TOSS: '/payment/toss-payments/webhook'}
# The sides of the blocks of a phase, pair after pair: each side as often first as second.
PAIR_ORDERS = ((OURS, TOSS), (TOSS, OURS))
# Werkzeug's access line as Odoo's PerfFilter ends it: query count, query time, remaining time.
ACCESS_LINE = re.compile(
    r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3}) \S+'
    r' (?P<queries>\d+) (?P<query_s>[\d.]+) (?P<other_s>[\d.]+)'
)
SHOWN = 10
# Who spends the CPU of a webhook: the server's processes, its database's backends, PortOne.
CPU_GROUPS = ('Odoo', 'PostgreSQL', 'PortOne')


def parse_options(argv):
    """:return: `(options, odoo_argv)`: the benchmark's options, and the rest for Odoo."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], allow_abbrev=False)
    parser.add_argument('--txs', type=int, default=300,
                        help="transactions per side for the first deliveries and duplicates")
    parser.add_argument('--senders', type=int, default=16, help="threads sending at once")
    parser.add_argument('--block', type=int, default=50,
                        help="webhooks per block; the sides' blocks alternate")
    parser.add_argument('--duplicate-rounds', type=int, default=3,
                        help="how many times every notification is delivered again")
    parser.add_argument('--latency-txs', type=int, default=50,
                        help="fresh transactions per side for the single-sender latency")
    parser.add_argument('--warmup-txs', type=int, default=32,
                        help="transactions per side whose webhooks warm the server up, untimed")
    return parser.parse_known_args(argv)


options, odoo_argv = parse_options(sys.argv[1:])
checks = Checks('bench-webhooks', odoo_argv)


@dataclass
class Tx:
    """A quotation, its draft transaction and the webhook body that makes it done."""

    side: str
    order_id: int
    tx_id: int
    reference: str
    body: bytes = b''


@dataclass
class Measure:
    """What one side's webhooks of one phase got and cost."""

    seconds: float = 0.0
    block_rates: list = field(default_factory=list)  # webhooks/s of each block, in order
    cpu: Counter = field(default_factory=Counter)  # CPU seconds used, by group of processes
    statuses: Counter = field(default_factory=Counter)
    latencies_ms: list = field(default_factory=list)
    log: list = field(default_factory=list)  # [(queries, query_s, other_s)] from the access log

    @property
    def webhooks(self):
        return sum(self.statuses.values())

    def rate(self):
        return self.webhooks / self.seconds if self.seconds else 0.0

    def median_queries(self):
        return statistics.median_low(q for q, _s, _o in self.log) if self.log else 0


# === SETUP === #

def create_transactions(env, sandbox_url, count):
    """Commit `count` quotations in KRW per side with their draft transactions, alternating the
    sides, each with a customer of its own.

    :return: `{side: [Tx]}`.
    """
    shop = sandbox_shop(env, sandbox_url)
    toss = env.ref('payment.payment_provider_toss_payments')
    toss.write({
        'state': 'test',
        'is_published': True,
        'toss_payments_client_key': 'test_ck_bench',
        'toss_payments_secret_key': 'test_sk_bench',
    })
    shops = {OURS: shop, TOSS: shop._replace(provider=toss)}
    card = env.ref('payment.payment_method_card')
    product = env['product.product'].create({'name': "Bench Lamp", 'taxes_id': []})
    country = env.ref('base.kr')
    txs = {OURS: [], TOSS: []}
    for index in range(count):
        for side in (OURS, TOSS):
            partner = env['res.partner'].create({
                'name': f"박서준 {side} {index}", 'email': f'seojun.{side}{index}@example.kr',
                'country_id': country.id,
            })
            order, tx = quotation_with_transaction(env, shops[side], partner, product, PRICE, card)
            txs[side].append(Tx(side, order.id, tx.id, tx.reference))
    for tx in txs[TOSS]:
        secret = f'ps_{uuid.uuid4().hex}'
        env['payment.transaction'].browse(tx.tx_id).toss_payments_payment_secret = secret
        tx.body = toss_body(tx, secret)
    return txs


def toss_body(tx, secret):
    """:return: Toss Payments' `PAYMENT_STATUS_CHANGED` event saying the card payment is done,
    with the transaction's secret (the top-level fields of the payment object of Toss's docs,
    without the nested `card`, `receipt`, ... objects)."""
    payment_key = f'tbench{tx.tx_id:014d}'
    return json.dumps({
        'eventType': 'PAYMENT_STATUS_CHANGED',
        'createdAt': '2026-11-30T12:00:00.000000',
        'data': {
            'mId': 'tosspayments', 'version': '2022-11-16', 'paymentKey': payment_key,
            'lastTransactionKey': f'txrd{tx.tx_id:016d}', 'orderId': tx.reference,
            'orderName': tx.reference, 'status': 'DONE', 'type': 'NORMAL', 'method': '카드',
            'requestedAt': '2026-11-30T20:59:50+09:00', 'approvedAt': '2026-11-30T21:00:00+09:00',
            'currency': 'KRW', 'totalAmount': PRICE, 'balanceAmount': PRICE,
            'suppliedAmount': PRICE, 'vat': 0, 'taxFreeAmount': 0, 'secret': secret,
        },
    }).encode()


def hold_paid(sandbox_url, tx):
    """Make PortOne hold the transaction's payment as paid, unannounced; set our webhook body."""
    answer = requests.post(f'{sandbox_url}/__sandbox__/payments', timeout=30, json={
        'merchant_uid': tx.reference, 'amount': PRICE, 'webhook': False,
    })
    answer.raise_for_status()
    tx.body = json.dumps({
        'imp_uid': answer.json()['payment']['imp_uid'], 'merchant_uid': tx.reference,
        'status': 'paid',
    }).encode()


def start_sandbox():
    """Serve the sandbox from a process of its own: PortOne is another machine, and the
    senders' threads must not hold its answers up.

    :return: `(url, process)`.
    """
    sandbox = SandboxServer(SandboxConfig(), host='127.0.0.1', port=0)
    process = multiprocessing.get_context('fork').Process(
        target=sandbox.serve_forever, name='portone-sandbox', daemon=True
    )
    process.start()
    return sandbox.url, process


def cpu_seconds(pid):
    """:return: The CPU seconds (user and system) the process has used, `None` where the
    kernel does not say (not Linux) or the process is gone."""
    try:
        stat = Path(f'/proc/{pid}/stat').read_text()
    except OSError:
        return None
    fields = stat.rsplit(')', 1)[1].split()  # From the 3rd field on: utime is the 14th.
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


class CpuMeter:
    """The CPU the webhooks cost, whatever else the machine runs: the Odoo server's processes,
    its database's PostgreSQL backends and the sandbox standing in for PortOne."""

    def __init__(self, server_pid, sandbox_pid):
        self.server_pid = server_pid
        self.sandbox_pid = sandbox_pid

    def processes(self):
        """:return: `{group: [pid]}`, the serving processes as they are now."""
        children = defaultdict(list)
        for stat in Path('/proc').glob('[0-9]*/stat'):
            try:
                parent = int(stat.read_text().rsplit(')', 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # Gone meanwhile.
            children[parent].append(int(stat.parent.name))
        odoo, queue = [], [self.server_pid]
        while queue:
            odoo.append(queue.pop())
            queue += children[odoo[-1]]

        def backends(env):
            env.cr.execute("SELECT pid FROM pg_stat_activity"
                           " WHERE datname = current_database() AND pid <> pg_backend_pid()")
            return [pid for pid, in env.cr.fetchall()]

        return dict(zip(CPU_GROUPS, (odoo, checks.in_env(backends), [self.sandbox_pid]),
                        strict=True))

    def start(self):
        """:return: What `used` needs: the processes and their CPU now, `None` without /proc."""
        if cpu_seconds(self.sandbox_pid) is None:
            return None
        processes = self.processes()
        return processes, {pid: cpu_seconds(pid) for pids in processes.values() for pid in pids}

    @staticmethod
    def used(started):
        """:return: `Counter({group: CPU seconds used since `start`})` by the same processes."""
        used = Counter()
        if started is None:
            return used
        processes, before = started
        for group, pids in processes.items():
            for pid in pids:
                now = cpu_seconds(pid)
                if now is not None and before[pid] is not None:
                    used[group] += now - before[pid]
        return used


# === SENDING === #

def post(port, route, body):
    """Send one webhook as its provider does, on a connection of its own.

    :return: `(HTTP status or None, milliseconds)`.
    """
    started = time.perf_counter()
    connection = http.client.HTTPConnection('127.0.0.1', port, timeout=120)
    try:
        connection.request('POST', route, body, {'Content-Type': 'application/json'})
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = None
    finally:
        connection.close()
    return status, (time.perf_counter() - started) * 1000


class Bench:
    """The running server, its access log and the measures by phase and side."""

    def __init__(self, port, log_path, pool, meter):
        self.port = port
        self.meter = meter
        self.log_path = log_path
        self.pool = pool
        self.measures = defaultdict(Measure)  # {(phase, side): Measure}
        self.phases = []

    def log_offset(self):
        return self.log_path.stat().st_size

    def read_log(self, phase, start, end):
        """File the access lines written between the offsets under the phase, by route."""
        with self.log_path.open('rb') as log:
            log.seek(start)
            text = log.read(end - start).decode(errors='replace')
        for match in ACCESS_LINE.finditer(text):
            for side, route in ROUTES.items():
                if match['method'] == 'POST' and match['path'] == route:
                    self.measures[phase, side].log.append((
                        int(match['queries']), float(match['query_s']), float(match['other_s']),
                    ))

    def concurrent(self, phase, blocks):
        """Send each block's bodies from the senders, block after block.

        :param list blocks: `[(side, [Tx])]`.
        """
        start = self.log_offset()
        for side, txs in blocks:
            route = ROUTES[side]
            cpu_started = self.meter.start()
            started = time.perf_counter()
            answers = list(self.pool.map(lambda tx, route=route: post(self.port, route, tx.body),
                                         txs))
            seconds = time.perf_counter() - started
            measure = self.measures[phase, side]
            measure.cpu += self.meter.used(cpu_started)
            measure.seconds += seconds
            measure.block_rates.append(len(txs) / seconds)
            for status, ms in answers:
                measure.statuses[status] += 1
                measure.latencies_ms.append(ms)
        self.read_log(phase, start, self.log_offset())
        self.phases.append(phase)

    def one_by_one(self, phase, pairs):
        """Send the webhooks one at a time, alternating the sides.

        :param list pairs: `[(ours Tx, toss Tx)]`.
        """
        start = self.log_offset()
        for pair in pairs:
            for tx in pair:
                status, ms = post(self.port, ROUTES[tx.side], tx.body)
                measure = self.measures[phase, tx.side]
                measure.seconds += ms / 1000
                measure.statuses[status] += 1
                measure.latencies_ms.append(ms)
        self.read_log(phase, start, self.log_offset())
        self.phases.append(phase)


def blocks_of(txs, block, rounds=1):
    """:return: The blocks of a phase: each side's transactions in blocks of `block`, one of
    each side after the other, ours first then Toss first, and so on; as many rounds as asked.
    """
    chunks = {side: [txs[side][i:i + block] for i in range(0, len(txs[side]), block)]
              for side in txs}
    sequence = [index for _round in range(rounds) for index in range(len(chunks[OURS]))]
    return [(side, chunks[side][index])
            for position, index in enumerate(sequence) for side in PAIR_ORDERS[position % 2]]


# === CHECKS === #

def read_states(all_txs):
    """:return: `{tx_id: (state, last_state_change)}`."""
    def read(env):
        txs = env['payment.transaction'].browse([tx.tx_id for tx in all_txs])
        return {tx.id: (tx.state, tx.last_state_change) for tx in txs}

    return checks.in_env(read)


def confirmations(all_txs):
    """:return: `{tx_id: how many messages on its order say it was confirmed}`."""
    def read(env):
        counts = {}
        for tx in all_txs:
            order = env['sale.order'].browse(tx.order_id)
            counts[tx.tx_id] = sum(
                tx.reference in (m.body or '') and 'has been confirmed' in (m.body or '')
                for m in order.message_ids
            )
        return counts

    return checks.in_env(read)


def check_done(label, all_txs, states):
    wrong = [(tx.side, tx.reference, states[tx.tx_id][0]) for tx in all_txs
             if states[tx.tx_id][0] != 'done']
    checks.check(label, not wrong, f"{len(wrong)} not done, first: {wrong[:SHOWN]}")


def check_unchanged(label, all_txs, before, after):
    moved = [(tx.side, tx.reference, str(before[tx.tx_id][1]), str(after[tx.tx_id][1]))
             for tx in all_txs if before[tx.tx_id] != after[tx.tx_id]]
    checks.check(label, not moved, f"{len(moved)} changed, first: {moved[:SHOWN]}")


def check_answers(bench):
    for phase in bench.phases:
        for side in ROUTES:
            measure = bench.measures[phase, side]
            checks.check(f"{phase}, {side}: every webhook answered HTTP 200",
                         set(measure.statuses) == {200}, dict(measure.statuses))
            checks.check(f"{phase}, {side}: the access log has a line for every webhook",
                         len(measure.log) == measure.webhooks,
                         f"{len(measure.log)} lines for {measure.webhooks} webhooks")


# === REPORT === #

def server_ms(measure):
    """:return: `(SQL ms, other ms)`: the medians the access log gives per webhook."""
    if not measure.log:
        return 0.0, 0.0
    return (statistics.median(q for _n, q, _o in measure.log) * 1000,
            statistics.median(o for _n, _q, o in measure.log) * 1000)


def cpu_ms(measure):
    """:return: The CPU milliseconds the measure's webhooks cost each, 0 if unknown."""
    return sum(measure.cpu.values()) * 1000 / measure.webhooks if measure.webhooks else 0.0


def report(bench, portone, overflows):
    m = bench.measures
    for phase in ('first deliveries', 'duplicates'):
        rates = []
        for side in ROUTES:
            measure = m[phase, side]
            rates.append(f"{side} {measure.rate():.1f} webhooks/s ({measure.webhooks} in"
                         f" {measure.seconds:.1f} s, p50"
                         f" {percentile(measure.latencies_ms, .5):.0f} ms)")
        ratios = [ours / toss for ours, toss in zip(m[phase, OURS].block_rates,
                                                    m[phase, TOSS].block_rates, strict=True)]
        print(f"{phase} ({options.senders} senders): {', '.join(rates)}; ratio ours/toss of"
              f" the {len(ratios)} block pairs: median {statistics.median(ratios):.2f}, range"
              f" {min(ratios):.2f}-{max(ratios):.2f}")
    for phase in ('single sender, first deliveries', 'single sender, duplicates'):
        ours, toss = m[phase, OURS], m[phase, TOSS]
        print(f"{phase}: ours p50 {percentile(ours.latencies_ms, .5):.1f} ms, p95"
              f" {percentile(ours.latencies_ms, .95):.1f} ms; toss p50"
              f" {percentile(toss.latencies_ms, .5):.1f} ms, p95"
              f" {percentile(toss.latencies_ms, .95):.1f} ms ({ours.webhooks} webhooks each)")
    for phase in bench.phases:
        parts = []
        for side in ROUTES:
            measure = m[phase, side]
            counts = [n for n, _q, _o in measure.log]
            sql, other = server_ms(measure)
            spread = f"{min(counts)}-{max(counts)}" if counts else "-"
            parts.append(f"{side} {measure.median_queries()} queries ({spread}), {sql:.1f} ms in"
                         f" SQL + {other:.1f} ms else")
        print(f"server per webhook (access log medians), {phase}: {'; '.join(parts)}")
    for phase, counts in portone.items():
        print(f"PortOne requests per webhook of ours, {phase}:"
              f" {sum(counts.values()) / m[phase, OURS].webhooks:.2f} ({counts})")
    for phase in ('first deliveries', 'duplicates'):
        parts = []
        for side in ROUTES:
            measure = m[phase, side]
            groups = ', '.join(f'{group} {measure.cpu[group] * 1000 / measure.webhooks:.1f}'
                               for group in CPU_GROUPS if group in measure.cpu)
            parts.append(f"{side} {cpu_ms(measure):.1f} ms ({groups})")
        print(f"CPU per webhook, {phase}: {'; '.join(parts)}")
    print(f"connections dropped at a full listen queue: {overflows}")
    first, dups = m['first deliveries', OURS], m['duplicates', OURS]
    toss_first, toss_dups = m['first deliveries', TOSS], m['duplicates', TOSS]
    print(f"webhooks/s ratio ours/toss: first {first.rate() / toss_first.rate():.2f},"
          f" duplicates {dups.rate() / toss_dups.rate():.2f}", flush=True)
    print(f"SQL per webhook: ours {first.median_queries()}/{dups.median_queries()},"
          f" toss {toss_first.median_queries()}/{toss_dups.median_queries()}", flush=True)
    if cpu_ms(first):
        print(f"CPU per webhook ratio toss/ours: first {cpu_ms(toss_first) / cpu_ms(first):.2f},"
              f" duplicates {cpu_ms(toss_dups) / cpu_ms(dups):.2f}", flush=True)


# === RUN === #

def main():
    laps = Laps()
    load_before = os.getloadavg()[0]
    log_dir = Path(os.environ.get('PAYMENT_GALAXIA_LOG_DIR', '/tmp'))
    log_path = log_dir / 'bench-webhooks-odoo.log'
    sandbox_url, sandbox = start_sandbox()
    try:
        warmup, main_count = options.warmup_txs, options.txs
        total = warmup + main_count + options.latency_txs
        txs = checks.in_env(lambda env: create_transactions(env, sandbox_url, total))
        for tx in txs[OURS]:
            hold_paid(sandbox_url, tx)
        groups = {
            name: {side: txs[side][start:end] for side in txs}
            for name, start, end in (('warm-up', 0, warmup),
                                     ('main', warmup, warmup + main_count),
                                     ('latency', warmup + main_count, total))
        }
        every = txs[OURS] + txs[TOSS]
        laps.lap('prepare')
        port = free_port()
        server = start_odoo([*odoo_argv, '--log-handler=werkzeug:INFO'], port, log_path)
        try:
            with ThreadPoolExecutor(options.senders) as pool:
                bench = Bench(port, log_path, pool, CpuMeter(server.pid, sandbox.pid))
                laps.lap('start Odoo')
                portone = {}  # {phase: PortOne's requests by route}

                def portone_counted(phase, run):
                    requests.delete(f'{sandbox_url}/__sandbox__/stats', timeout=30)
                    run()
                    portone[phase] = requests.get(f'{sandbox_url}/__sandbox__/stats',
                                                  timeout=30).json()['requests']

                bench.concurrent('warm-up', blocks_of(groups['warm-up'], options.block))
                bench.concurrent('warm-up duplicates', blocks_of(groups['warm-up'], options.block))
                laps.lap('warm up')
                overflows_before = listen_overflows()
                main_txs = groups['main']
                portone_counted('first deliveries', lambda: bench.concurrent(
                    'first deliveries', blocks_of(main_txs, options.block)))
                after_first = read_states(every)
                portone_counted('duplicates', lambda: bench.concurrent(
                    'duplicates', blocks_of(main_txs, options.block, options.duplicate_rounds)))
                overflows_after = listen_overflows()
                laps.lap(f'{options.senders} senders')
                pairs = list(zip(groups['latency'][OURS], groups['latency'][TOSS], strict=True))
                bench.one_by_one('single sender, first deliveries', pairs)
                after_latency_first = read_states(every)
                bench.one_by_one('single sender, duplicates', pairs)
                laps.lap('single sender')
        finally:
            stop_process(server)
    finally:
        sandbox.terminate()
        sandbox.join()

    latency_txs = groups['latency'][OURS] + groups['latency'][TOSS]
    latency_ids = {tx.tx_id for tx in latency_txs}
    first_txs = [tx for tx in every if tx.tx_id not in latency_ids]
    final = read_states(every)
    check_answers(bench)
    check_done("every transaction was done after its first delivery",
               first_txs, after_first)
    check_done("every single-sender transaction was done after its first delivery",
               latency_txs, after_latency_first)
    check_unchanged("duplicates left every transaction as its first delivery did (state,"
                    " last_state_change)", first_txs, after_first, final)
    check_unchanged("single-sender duplicates left every transaction as its first delivery"
                    " did", latency_txs, after_latency_first, final)
    counts = confirmations(every)
    wrong = [(tx.side, tx.reference, counts[tx.tx_id]) for tx in every if counts[tx.tx_id] != 1]
    checks.check("every transaction's confirmation is logged once on its order", not wrong,
                 f"{len(wrong)} orders, first: {wrong[:SHOWN]}")
    server_log = log_path.read_text(errors='replace')
    checks.check("the server logged no traceback", 'Traceback' not in server_log, log_path)
    overflows = None if overflows_before is None else overflows_after - overflows_before
    report(bench, portone, overflows)
    laps.lap('check')
    # The machine may be shared: its load says how much the absolute figures are worth.
    print(f"machine: {os.cpu_count()} CPUs, 1-minute load average {load_before:.2f} at the start,"
          f" {os.getloadavg()[0]:.2f} at the end")
    print(f"time: {laps}")
    checks.summary()
    sys.exit(0 if all(checks.results) else 1)


main()
