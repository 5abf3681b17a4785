"""Notifications and refunds of one payment at the same instant, against a multi-worker Odoo:
each fact recorded exactly once.

PortOne's webhook and the customer's return routinely arrive together, webhooks come in
duplicates, and an accountant may refund while PortOne notifies. This starts Odoo with
`--workers=2` on the test database and commits KRW orders with their Galaxia transactions, then:

1. a paid order: webhooks and returns fired together, the post-processing run twice at once.
   Expected: every request answered without a server error, the transaction confirmed once, the
   order confirmed, one accounting payment;
2. a cancel made in PortOne's console: its webhooks and returns fired together. Expected: one
   refund;
3. a refund from Odoo while a webhook of the same payment arrives. Expected: one PortOne cancel,
   one refund;
4. two refunds of the same payment at once. Expected: one PortOne cancel, one refund, the other
   refused with a message;
5. a webhook while PortOne hangs, then another webhook and a return of the same payment.
   Expected: the first answered within the PortOne call's deadline, the others at once (the
   transaction is busy), the transaction unchanged until a later notification;
6. orders PortOne notifies while their customer is gone (the server runs a cron worker, as in
   production). Expected: a paid order confirmed, an issued virtual account's quotation sent,
   then its deposit confirming it, each within 10 seconds.

Prints `PASS`/`FAIL` lines and `concurrency: N passed, N failed`.

Usage: python tools/concurrency_check.py <odoo options, -d DB included>
"""

import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from free_port import free_port
from odoo_checks import (
    Checks,
    fire_together,
    quotation_with_transaction,
    sandbox_shop,
)
from odoo_server import start_odoo, stop_process

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))
from payment_galaxia.client import DEFAULT_TIMEOUT  # noqa: E402
from portone_sandbox import SandboxConfig, SandboxServer  # noqa: E402

WEBHOOKS = 4
RETURNS = 2
PRICE = 55000
LATENCY_MS = 300
SETTLE_SECONDS = 10

checks = Checks('concurrency', sys.argv[1:])


def create_order(env, sandbox_url, payment_method='payment.payment_method_card'):
    """Commit a quotation in KRW with a draft Galaxia transaction, as the checkout leaves it."""
    shop = sandbox_shop(env, sandbox_url)
    partner = env['res.partner'].create({
        'name': "이영희", 'email': 'younghee@example.kr', 'country_id': env.ref('base.kr').id,
    })
    product = env['product.product'].create({'name': "Concurrent Lamp", 'taxes_id': []})
    order, tx = quotation_with_transaction(
        env, shop, partner, product, PRICE, env.ref(payment_method)
    )
    return order.id, tx.id, tx.reference


class Shop:
    """The sandbox, Odoo's database and, once started, the multi-worker server."""

    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.base = None

    def control(self, path, **body):
        return requests.post(f'{self.sandbox.url}/__sandbox__/{path}', json=body,
                             timeout=30).json()

    def paid_order(self, confirmed=False):
        """Commit an order whose payment PortOne holds as paid (and Odoo knows, if asked).

        :return: `(order_id, tx_id, reference, imp_uid)`.
        """
        order_id, tx_id, reference = checks.in_env(lambda env: create_order(env, self.sandbox.url))
        paid = self.control('payments', merchant_uid=reference, amount=PRICE, webhook=False)
        if confirmed:
            checks.in_env(lambda env: env['payment.transaction'].browse(
                tx_id)._galaxia_process_from_portone(imp_uid=paid['payment']['imp_uid']))
        return order_id, tx_id, reference, paid['payment']['imp_uid']

    def notifications(self, reference, imp_uid, status, webhooks=WEBHOOKS, returns=RETURNS):
        """:return: Calls sending the payment's webhooks and customer returns to the server."""
        notification = {'imp_uid': imp_uid, 'merchant_uid': reference, 'status': status}
        return [
            lambda: requests.post(f'{self.base}/payment/galaxia/webhook', json=notification,
                                  timeout=60)
            for _i in range(webhooks)
        ] + [
            lambda: requests.post(f'{self.base}/payment/galaxia/return', data=notification,
                                  allow_redirects=False, timeout=60)
            for _i in range(returns)
        ]

    def cancellations(self, imp_uid):
        payments = requests.get(f'{self.sandbox.url}/__sandbox__/payments', timeout=30).json()
        payment = next(p for p in payments['payments'] if p['imp_uid'] == imp_uid)
        return payment['cancel_history']


def refunds_of(tx_id):
    return checks.in_env(lambda env: env['payment.transaction'].search_read(
        [('source_transaction_id', '=', tx_id), ('operation', '=', 'refund')],
        ['amount', 'state'],
    ))


def refund(tx_id, amount):
    """Refund from Odoo on a cursor of its own, as an accountant's request would.

    :return: `'refunded'`, or the message of the error that refused the refund.
    """
    from odoo.exceptions import UserError

    try:
        checks.in_env(lambda env: env['payment.transaction'].browse(tx_id)._refund(amount))
    except UserError as error:
        return str(error)
    return 'refunded'


def post_process(tx_id):
    checks.in_env(lambda env: env['payment.transaction'].browse(tx_id)._cron_post_process())


def check_statuses(label, statuses, webhooks=WEBHOOKS):
    checks.check(f"{label}: every webhook is acknowledged with HTTP 200",
                 statuses[:webhooks] == [200] * webhooks, statuses)
    checks.check(f"{label}: every return redirects to the status page",
                 set(statuses[webhooks:]) <= {303}, statuses)


def paid_order_notified_at_once(shop, order_id, tx_id, reference, imp_uid):
    check_statuses("paid order", fire_together(shop.notifications(reference, imp_uid, 'paid')))
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


def console_cancel_notified_at_once(shop):
    _order_id, tx_id, reference, imp_uid = shop.paid_order(confirmed=True)
    shop.control('faults', webhook='drop')
    shop.control(f'payments/{imp_uid}/console-cancel', amount=20000)
    shop.control('faults', webhook='normal')
    check_statuses("console cancel",
                   fire_together(shop.notifications(reference, imp_uid, 'cancelled')))
    refunds = refunds_of(tx_id)
    checks.check("a console cancel notified many times at once is one refund",
                 [(r['amount'], r['state']) for r in refunds] == [(-20000, 'done')], refunds)


def refund_while_notified(shop):
    _order_id, tx_id, reference, imp_uid = shop.paid_order(confirmed=True)
    [webhook] = shop.notifications(reference, imp_uid, 'paid', webhooks=1, returns=0)

    def webhook_during_the_refund():
        time.sleep(LATENCY_MS / 3000)  # The refund holds the payment and waits for PortOne.
        return webhook().status_code

    with ThreadPoolExecutor(2) as pool:
        refunded = pool.submit(refund, tx_id, 10000)
        webhook_status = pool.submit(webhook_during_the_refund)
        outcome, status = refunded.result(), webhook_status.result()
    checks.check("a refund racing a webhook is made", outcome == 'refunded', outcome)
    checks.check("the webhook racing a refund is acknowledged", status == 200, status)
    cancels = shop.cancellations(imp_uid)
    refunds = refunds_of(tx_id)
    checks.check("a refund racing a webhook is one PortOne cancel", len(cancels) == 1, cancels)
    checks.check("a refund racing a webhook is one refund",
                 [(r['amount'], r['state']) for r in refunds] == [(-10000, 'done')], refunds)


def two_refunds_at_once(shop):
    _order_id, tx_id, _reference, imp_uid = shop.paid_order(confirmed=True)
    barrier = threading.Barrier(2)

    def refund_together():
        barrier.wait()
        return refund(tx_id, 10000)

    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(lambda _i: refund_together(), range(2)))
    refused = [outcome for outcome in outcomes if outcome != 'refunded']
    checks.check("of two refunds at once, one is made and the other refused with a message",
                 len(refused) == 1 and 'Reload' in refused[0], outcomes)
    cancels = shop.cancellations(imp_uid)
    refunds = refunds_of(tx_id)
    checks.check("two refunds at once are one PortOne cancel", len(cancels) == 1, cancels)
    checks.check("two refunds at once are one refund record", len(refunds) == 1, refunds)


def notified_while_portone_hangs(shop):
    _order_id, tx_id, reference, imp_uid = shop.paid_order()
    shop.control('faults', timeout={'path_prefix': '/payments/', 'seconds': 30, 'count': 1})
    [webhook] = shop.notifications(reference, imp_uid, 'paid', webhooks=1, returns=0)
    [customer_return] = shop.notifications(reference, imp_uid, 'paid', webhooks=0, returns=1)

    def timed(call, after=0.0):
        time.sleep(after)
        started = time.monotonic()
        return call().status_code, time.monotonic() - started

    with ThreadPoolExecutor(3) as pool:
        holder = pool.submit(timed, webhook)
        waiters = [pool.submit(timed, call, 1.0) for call in (webhook, customer_return)]
        (holder_status, held), *answered = [holder.result(), *(w.result() for w in waiters)]
    checks.check("a webhook PortOne does not answer is answered 200 within the call's deadline",
                 holder_status == 200 and held < DEFAULT_TIMEOUT + 2, (holder_status, held))
    checks.check("notifications of a transaction being processed are answered at once",
                 [status for status, _ in answered] == [200, 303]
                 and max(seconds for _, seconds in answered) < 2, answered)
    state = checks.in_env(lambda env: env['payment.transaction'].browse(tx_id).state)
    checks.check("a transaction PortOne did not confirm is left as it was", state == 'draft', state)
    webhook()
    state = checks.in_env(lambda env: env['payment.transaction'].browse(tx_id).state)
    checks.check("the next notification confirms it", state == 'done', state)


def order_state_within(order_id, states, seconds):
    """:return: The order's state once in `states`, or at the end of `seconds`. :rtype: str"""
    deadline = time.monotonic() + seconds
    while True:
        state = checks.in_env(lambda env: env['sale.order'].browse(order_id).state)
        if state in states or time.monotonic() > deadline:
            return state
        time.sleep(0.2)


def settled_without_the_customer(shop):
    order_id, _tx_id, reference, imp_uid = shop.paid_order()
    [webhook] = shop.notifications(reference, imp_uid, 'paid', webhooks=1, returns=0)
    webhook()
    state = order_state_within(order_id, {'sale'}, SETTLE_SECONDS)
    checks.check(f"a paid order only PortOne notified is confirmed within {SETTLE_SECONDS} s",
                 state == 'sale', state)

    order_id, _tx_id, reference = checks.in_env(lambda env: create_order(
        env, shop.sandbox.url, 'payment_galaxia.payment_method_vbank'))
    issued = shop.control('payments', merchant_uid=reference, amount=PRICE, pay_method='vbank',
                          status='ready', webhook=False)['payment']
    [webhook] = shop.notifications(reference, issued['imp_uid'], 'ready', webhooks=1, returns=0)
    webhook()
    state = order_state_within(order_id, {'sent'}, SETTLE_SECONDS)
    checks.check(f"an issued virtual account only PortOne notified is quoted to its customer"
                 f" within {SETTLE_SECONDS} s", state == 'sent', state)
    shop.control('faults', webhook='drop')
    shop.control(f"payments/{issued['imp_uid']}/deposit")
    shop.control('faults', webhook='normal')
    [webhook] = shop.notifications(reference, issued['imp_uid'], 'paid', webhooks=1, returns=0)
    webhook()
    state = order_state_within(order_id, {'sale'}, SETTLE_SECONDS)
    checks.check(f"its deposit confirms the order within {SETTLE_SECONDS} s", state == 'sale',
                 state)


def main():
    log_path = Path(os.environ.get('PAYMENT_GALAXIA_LOG_DIR', '/tmp')) / 'concurrency-odoo.log'
    with SandboxServer(SandboxConfig()) as sandbox:
        shop = Shop(sandbox)
        paid_order = shop.paid_order()
        # Every PortOne call takes a while, so that the requests really overlap inside Odoo.
        shop.control('faults', latency_ms=LATENCY_MS)
        port = free_port()
        server = start_odoo(sys.argv[1:], port, log_path, cron_threads=1)
        shop.base = f'http://127.0.0.1:{port}'
        try:
            paid_order_notified_at_once(shop, *paid_order)
            console_cancel_notified_at_once(shop)
            refund_while_notified(shop)
            two_refunds_at_once(shop)
            notified_while_portone_hangs(shop)
            settled_without_the_customer(shop)
        finally:
            stop_process(server)
    # Odoo's own post-processing, run at once by the cron and by this check, collides on the
    # order's followers and logs it (the loser rolls back): only this module's tracebacks count.
    tracebacks = log_path.read_text(errors='replace').split('Traceback')[1:]
    ours = [trace for trace in tracebacks if '/payment_galaxia/' in trace.split('\n\n')[0]]
    checks.check("the server logged no traceback through this module", not ours, log_path)
    checks.summary()


main()
