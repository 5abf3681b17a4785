# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

import logging
import os

from hypothesis import HealthCheck, given, seed, settings

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.payment.tests.http_common import PaymentHttpCommon
from odoo.addons.payment_galaxia import const
from odoo.addons.payment_galaxia.tests.common import GalaxiaCommon
from odoo.addons.payment_galaxia.tests.event_sequences import scenarios

_logger = logging.getLogger(__name__)

# `make test` runs a fixed-seed slice; `make fuzz N=...` sets this to run at least N events.
FUZZ_EVENTS_VARIABLE = 'PAYMENT_GALAXIA_FUZZ_EVENTS'
SLICE_SEED = 20261130
SLICE_SEQUENCES = 150
FUZZ_BATCH = 100
PRICE = 55000
OTHER_ORDER = 'S09999-FFFFFF'
STRANGER_KEY = 'cu-stranger-1'
# Odoo's chatter line when a payment (not a refund) is confirmed: once per transaction at most.
CONFIRMED = ('The transaction', 'has been confirmed')


class ErrorRecords(logging.Handler):
    """Collects what Odoo logs at ERROR and above: a traceback is a violation."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record.getMessage().splitlines()[0])


class SequenceRun:
    """Plays one scenario against the sandbox and this Odoo, and checks the invariants after
    every event and once the order is settled."""

    def __init__(self, case, scenario):
        self.case = case
        self.scenario = scenario
        self.env = case.env
        self.attempts = []  # PortOne payments of this sequence: (imp_uid, merchant_uid)
        self.violations = []
        self.events = 0
        self.settled_on = None  # (state, imp_uid) once the transaction is pending or done
        self.tx = self._order_and_transaction()

    # === SET-UP === #

    def _order_and_transaction(self):
        case, scenario = self.case, self.scenario
        if scenario.live:
            case._go_live()
        order = self.env['sale.order'].create({
            'partner_id': case.partner.id,
            'pricelist_id': case.pricelist.id,
            'order_line': [Command.create({
                'product_id': case.product.id, 'product_uom_qty': 1, 'price_unit': PRICE,
            })],
        })
        method = self.env['payment.method'].search([('code', '=', scenario.payment_method)])
        tx = case._create_transaction(
            'direct', amount=order.amount_total, payment_method_id=method.id,
            tokenize=scenario.tokenize, sale_order_ids=[Command.set(order.ids)],
            reference=self.env['payment.transaction']._compute_reference('galaxia', prefix='S'),
        )
        if scenario.prepared or scenario.tokenize:
            tx._get_processing_values()
        return tx

    # === EVENTS === #

    def play(self):
        """Play every step, then settle: PortOne notifies every payment, the job runs once."""
        for step in self.scenario.steps:
            self._event(step[0], *step[1:])
        for imp_uid, merchant_uid in list(self.attempts):
            if merchant_uid != OTHER_ORDER:
                self._event('webhook', self._index(imp_uid), 'json', False)
        self._event('reconcile')
        self._event('post_process')
        self._check_settled()
        return self

    def _index(self, imp_uid):
        return next(i for i, (uid, _merchant_uid) in enumerate(self.attempts) if uid == imp_uid)

    def _event(self, kind, *args):
        self.events += 1
        errors = ErrorRecords()
        logging.getLogger().addHandler(errors)
        try:
            getattr(self, f'_do_{kind}')(*args)
        finally:
            logging.getLogger().removeHandler(errors)
        self.env.invalidate_all()
        for message in errors.records:
            self._violation(f"{kind}{args}: logged an error: {message}")
        self._check_always(f"{kind}{args}")

    def _attempt(self, index):
        return self.attempts[index % len(self.attempts)] if self.attempts else None

    def _do_open(self, spec):
        tx = self.tx
        merchant_uid = {
            'order': tx.reference,
            'key': f'{tx.reference}{const.KEY_ISSUE_SUFFIX}',
            'other': OTHER_ORDER,
        }[spec['order']]
        right_amount = 0 if spec['order'] == 'key' else int(tx.amount)
        own_method = const.PAYMENT_METHODS_MAPPING[tx.payment_method_code]
        answer = self.case._sandbox('POST', '/__sandbox__/payments', **{
            'merchant_uid': merchant_uid,
            'amount': {'right': right_amount, 'small': 100, 'zero': 0}[spec['amount']],
            'currency': spec['currency'],
            'sandbox': (spec['channel'] == 'provider') != self.scenario.live,
            'pay_method': own_method if spec['pay_method'] == 'own' else spec['pay_method'],
            'customer_uid': {
                'asked': tx.galaxia_customer_uid or None, 'stranger': STRANGER_KEY, None: None,
            }[spec['customer_uid']],
            'status': spec['status'],
            'webhook': False,
        })
        if 'payment' in answer:  # PortOne refuses some (amount not prepared, order paid).
            self.attempts.append((answer['payment']['imp_uid'], merchant_uid))

    def _do_approve(self, index):
        if attempt := self._attempt(index):
            self.case._sandbox('POST', f'/v1/window/{attempt[0]}/approve')

    def _do_decline(self, index):
        if attempt := self._attempt(index):
            self.case._sandbox('POST', f'/v1/window/{attempt[0]}/decline')

    def _do_deposit(self, index):
        if attempt := self._attempt(index):
            self.case._sandbox('POST', f'/__sandbox__/payments/{attempt[0]}/deposit')

    def _do_console_cancel(self, index, partial):
        if attempt := self._attempt(index):
            body = {'amount': 5000} if partial else {}
            self.case._sandbox(
                'POST', f'/__sandbox__/payments/{attempt[0]}/console-cancel', **body
            )

    def _do_refund(self, partial):
        tx = self.tx
        if tx.state != 'done' or tx.payment_method_code == 'vbank':
            return  # Virtual accounts are refunded to an account the wizard asks for.
        try:
            with self.env.cr.savepoint():
                tx._refund(amount_to_refund=10000 if partial else None)
        except UserError:
            pass  # Refused with a message (a phone in part, say): nothing happened.

    def _do_reconcile(self):
        self.tx._galaxia_reconcile()

    def _do_post_process(self):
        transactions = self.tx | self.tx.child_transaction_ids
        transactions.filtered(lambda tx: not tx.is_post_processed)._post_process()

    def _do_webhook(self, index, body_format, lie):
        if not (attempt := self._attempt(index)):
            return
        data = {**self._notification(attempt, lie), **self._portone_news(attempt[0])}
        url = self.case._build_url(const.WEBHOOK_ROUTE)
        if body_format == 'form':
            response = self.case._make_http_post_request(url, data=data)
        else:
            response = self.case._make_json_request(url, data=data)
        self._check_status(response, 200)

    def _browse(self, as_customer):
        if as_customer:
            self.case._browse_as_customer_of(self.tx)
        else:
            self.case.authenticate(None, None)

    def _do_return_pc(self, index, as_customer, window_error):
        if not (attempt := self._attempt(index)):
            return
        data = {**self._notification(attempt, False), 'mode': 'json'}
        if window_error:
            data['error_msg'] = "결제 실패"
        self._browse(as_customer)
        response = self.case._make_http_post_request(
            self.case._build_url(const.RETURN_ROUTE), data=data
        )
        self._check_status(response, 200)

    def _do_return_mobile(self, index, as_customer, imp_success):
        if not (attempt := self._attempt(index)):
            return
        params = {**self._notification(attempt, False), 'imp_success': str(imp_success).lower()}
        self._browse(as_customer)
        response = self.case.opener.get(
            self.case._build_url(const.RETURN_ROUTE), params=params, allow_redirects=False,
            timeout=30,
        )
        self._check_status(response, 303)

    def _do_unknown_payment(self):
        response = self.case._make_json_request(self.case._build_url(const.WEBHOOK_ROUTE), data={
            'imp_uid': 'imp_999999999999', 'merchant_uid': self.tx.reference, 'status': 'paid',
        })
        self._check_status(response, 200)

    def _portone_news(self, imp_uid):
        """:return: What PortOne's webhook says of the payment now: its status, and for a
        cancel its last `cancellation_id`. :rtype: dict"""
        payment = self._portone_payments()[imp_uid]
        if payment['cancel_history']:
            return {'status': 'cancelled',
                    'cancellation_id': payment['cancel_history'][-1]['cancellation_id']}
        return {'status': payment['status']}

    def _notification(self, attempt, lie):
        imp_uid, merchant_uid = attempt
        return {
            'imp_uid': imp_uid,
            'merchant_uid': self.tx.reference if lie else merchant_uid,
            'status': 'paid',
        }

    # === INVARIANTS === #

    def _violation(self, message):
        self.violations.append(message)

    def _check_status(self, response, expected):
        if response.status_code != expected:
            self._violation(f"HTTP {response.status_code} instead of {expected}: {response.url}")

    def _portone_payments(self):
        payments = self.case._sandbox('GET', '/__sandbox__/payments')['payments']
        return {payment['imp_uid']: payment for payment in payments}

    def _pays_the_order(self, payment):
        """:return: Whether `payment` is the order's, for its amount, in KRW, and visible to
        the provider."""
        return (
            payment['merchant_uid'] == self.tx.reference
            and payment['amount'] == self.tx.amount
            and payment['currency'] == self.tx.currency_id.name
            and not (payment['sandbox'] and self.scenario.live)
        )

    @staticmethod
    def _describe(payment):
        """:return: What the invariants look at in a PortOne payment. :rtype: str"""
        if not payment:
            return "no payment"
        return "{imp_uid} of {merchant_uid}: {status} {amount} {currency} sandbox={sandbox}".format(
            **payment
        )

    def _check_always(self, when):
        """What holds after every event, whatever comes next."""
        tx = self.tx
        payments = self._portone_payments()
        settled = payments.get(tx.provider_reference)
        if tx.state == 'done' and not (
            settled and self._pays_the_order(settled) and settled['paid_at']
            and settled['status'] in ('paid', 'cancelled')
        ):
            self._violation(f"{when}: done on {self._describe(settled)}")
        if tx.state == 'pending' and tx.provider_reference and not (
            settled and self._pays_the_order(settled) and settled['vbank_num']
        ):
            self._violation(f"{when}: pending on {self._describe(settled)}")
        refunds = tx.child_transaction_ids.filtered(
            lambda child: child.operation == 'refund' and child.state == 'done'
        )
        cancellation_ids = refunds.mapped('galaxia_cancellation_id')
        known = {entry['cancellation_id'] for entry in (settled or {}).get('cancel_history', [])}
        unique = len(set(cancellation_ids)) == len(cancellation_ids)
        if not unique or not set(cancellation_ids) <= known:
            self._violation(f"{when}: refunds {cancellation_ids} are not PortOne's {known}")
        if -sum(refunds.mapped('amount')) > (settled or {}).get('cancel_amount', 0):
            self._violation(f"{when}: refunded more in Odoo than at PortOne")
        self._check_settlement_kept(when, payments)
        confirmations = tx.sale_order_ids.message_ids.filtered(
            lambda message: all(part in (message.body or '') for part in (tx.reference, *CONFIRMED))
        )
        if len(confirmations) > 1:
            self._violation(f"{when}: the transaction was confirmed {len(confirmations)} times")
        accounting = self.env['account.payment'].search_count(
            [('payment_transaction_id', '=', tx.id)]
        )
        if accounting > 1:
            self._violation(f"{when}: {accounting} accounting payments")
        if tx.token_id and tx.token_id.provider_ref != tx.galaxia_customer_uid:
            self._violation(f"{when}: saved a key the order did not ask for")

    def _check_settlement_kept(self, when, payments):
        """A done transaction stays done on its payment; a pending one leaves its payment only
        for a payment that pays the order, or when PortOne failed or cancelled it."""
        tx = self.tx
        if self.settled_on:
            state, imp_uid = self.settled_on
            moved = (tx.state, tx.provider_reference) != (state, imp_uid)
            status = payments.get(imp_uid, {}).get('status')
            if state == 'done' and moved:
                self._violation(f"{when}: left done on {imp_uid} for {tx.state}")
            elif moved and tx.state != 'done' and status not in ('failed', 'cancelled', 'paid'):
                self._violation(f"{when}: left pending on {imp_uid} ({status}) for {tx.state}")
        settled = tx.state in ('pending', 'done') and tx.provider_reference
        self.settled_on = (tx.state, tx.provider_reference) if settled else None

    def _check_settled(self):
        """What holds once PortOne notified every payment and the job ran: the transaction is
        done if and only if PortOne holds a paid payment of the order, and its refunds are
        PortOne's cancellations."""
        tx = self.tx
        payments = self._portone_payments()
        paid = [p for p in payments.values() if p['status'] == 'paid' and self._pays_the_order(p)]
        issued = [
            p for p in payments.values()
            if p['status'] == 'ready' and p['vbank_num'] and self._pays_the_order(p)
        ]
        if paid and tx.state != 'done':
            self._violation(f"settled: {tx.state} although PortOne holds {paid[0]['imp_uid']}")
        elif issued and tx.state not in ('pending', 'done'):
            self._violation(f"settled: {tx.state} although {issued[0]['imp_uid']} was issued")
        settled = payments.get(tx.provider_reference)
        if tx.state == 'done' and settled:
            refunds = tx.child_transaction_ids.filtered(
                lambda child: child.operation == 'refund' and child.state == 'done'
            )
            if -sum(refunds.mapped('amount')) != settled['cancel_amount']:
                self._violation(
                    f"settled: refunds {-sum(refunds.mapped('amount'))} in Odoo,"
                    f" {settled['cancel_amount']} cancelled at PortOne"
                )


@tagged('post_install', '-at_install')
class TestVerificationProperties(GalaxiaCommon, PaymentHttpCommon):
    """Generated sequences of events around an order keep the verification's invariants.

    Needs `sale` and `account_payment` (installed with website_sale by `make test`): the
    invariants count order confirmations and accounting payments.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._require_modules('sale', 'account_payment')
        cls.enable_post_process_patcher = False  # Orders are confirmed and payments booked.
        cls.galaxia.allow_tokenization = True
        cls.galaxia.with_context(active_test=False).payment_method_ids.active = True
        cls.product = cls.env['product.product'].create({'name': "Fuzzed Kettle", 'taxes_id': []})
        cls.pricelist = cls.env['product.pricelist'].create(
            {'name': "KRW", 'currency_id': cls.currency_krw.id}
        )
        cls.stats = {'sequences': 0, 'events': 0, 'violations': []}

    def _run_sequence(self, scenario):
        """Play `scenario` on a clean sandbox, in a savepoint rolled back afterwards."""
        self._sandbox('POST', '/__sandbox__/reset')
        self._sandbox('POST', '/__sandbox__/faults', webhook='drop')  # Deliveries are events.
        with self.env.cr.savepoint() as savepoint:
            run = SequenceRun(self, scenario).play()
            savepoint.close(rollback=True)
        self.env.invalidate_all()
        self.stats['sequences'] += 1
        self.stats['events'] += run.events
        self.stats['violations'] += run.violations
        return run

    def _sequences(self, examples, random_seed, fail_fast):
        @seed(random_seed)
        @settings(max_examples=examples, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(scenarios())
        def sequence(scenario):
            run = self._run_sequence(scenario)
            if fail_fast:  # Hypothesis then shrinks to the shortest failing sequence.
                self.assertFalse(run.violations, f"{scenario}\n" + "\n".join(run.violations))

        sequence()

    def test_generated_sequences_keep_the_invariants(self):
        """Test that generated sequences of PortOne events and deliveries never make the
        transaction done without PortOne's matching payment, never confirm it twice, never
        record refunds PortOne did not make, answer no request with a 5xx or a traceback, and
        settle the transaction on PortOne's word."""
        target_events = int(os.environ.get(FUZZ_EVENTS_VARIABLE) or 0)
        if target_events:
            batch_seed = SLICE_SEED
            while self.stats['events'] < target_events:
                self._sequences(FUZZ_BATCH, batch_seed, fail_fast=False)
                batch_seed += 1
        else:
            self._sequences(SLICE_SEQUENCES, SLICE_SEED, fail_fast=True)
        violations = self.stats['violations']
        _logger.info(  # `make fuzz` reads this line.
            "%s sequences, %s events, %s invariant violations",
            self.stats['sequences'], self.stats['events'], len(violations),
        )
        for violation in violations[:20]:
            _logger.info("violation: %s", violation)
        self.assertFalse(violations)
