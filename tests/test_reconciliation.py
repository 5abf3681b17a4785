# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.payment_galaxia.tests.common import GalaxiaCommon

LOGGERS = (
    'odoo.addons.payment_galaxia.models.payment_transaction',
    'odoo.addons.payment_galaxia.models.payment_transaction_reconcile',
    'odoo.addons.payment.models.payment_transaction',
)
# PortOne's lookups, as the sandbox counts them.
LOOKUPS = ('GET /payments/{imp_uid}', 'GET /payments/find/{merchant_uid}')


@tagged('post_install', '-at_install')
class TestReconciliation(GalaxiaCommon):
    """What the scheduled job finds at PortOne that no webhook or customer return told Odoo,
    and how often it asks."""

    def setUp(self):
        super().setUp()
        self.started = fields.Datetime.now()  # The transactions of the test start now.

    def _run_job(self, after=timedelta()):
        """Run the job as the scheduler would, `after` the test started: again while it reports
        transactions left and makes progress, up to Odoo's ten calls a run.

        :return: How many payments the job looked up at PortOne.
        :rtype: int
        """
        self._sandbox('DELETE', '/__sandbox__/stats')
        progress = {}

        def commit_progress(processed=0, *, remaining=None, deactivate=False):
            # The job commits its progress, which tests may not: only its counts are kept.
            progress['done'] = progress.get('done', 0) + processed
            if remaining is not None:
                progress['remaining'] = remaining
            else:
                progress['remaining'] = max(progress['remaining'] - processed, 0)
            return float('inf')

        with freeze_time(self.started + after), patch.object(
            type(self.env['ir.cron']), '_commit_progress', side_effect=commit_progress
        ):
            for _call in range(10):
                progress.clear()
                self.env['payment.transaction']._cron_galaxia_reconcile()
                if not (progress['remaining'] and progress['done']):
                    break
        return self._lookups()

    def _lookups(self):
        requests = self._sandbox('GET', '/__sandbox__/stats')['requests']
        return sum(requests.get(endpoint, 0) for endpoint in LOOKUPS)

    def _vbank_tx(self, reference):
        return self._create_transaction(
            'direct', reference=reference,
            payment_method_id=self.env.ref('payment_galaxia.payment_method_vbank').id,
        )

    @mute_logger(*LOGGERS)
    def test_lost_webhook_is_recovered_by_the_job(self):
        """Test that a payment whose webhook was lost and whose customer never came back is
        confirmed by the job once the provider's delay is over, and not looked up again."""
        tx = self._create_transaction('direct', reference='S00070-A1B2C3')
        self._sandbox_pay(tx)  # no webhook, no return
        self.assertEqual(self._run_job(timedelta(minutes=20)), 1)
        self.assertEqual(tx.state, 'done')
        self.assertFalse(tx.galaxia_next_check)
        self.assertEqual(self._run_job(timedelta(hours=2)), 0)

    @mute_logger(*LOGGERS)
    def test_young_transactions_are_left_to_their_webhook(self):
        """Test that the job leaves transactions younger than the provider's delay alone."""
        tx = self._create_transaction('direct', reference='S00071-A1B2C3')
        self._sandbox_pay(tx)
        self.assertEqual(self._run_job(timedelta(minutes=5)), 0)
        self.assertEqual(tx.state, 'draft')
        self.galaxia.galaxia_reconcile_delay = 1
        young = self._create_transaction('direct', reference='S00071-D4E5F6')
        self._sandbox_pay(young)
        self.assertEqual(self._run_job(timedelta(minutes=5)), 1)
        self.assertEqual(young.state, 'done')

    @mute_logger(*LOGGERS)
    def test_abandoned_window_is_looked_up_twice_then_left(self):
        """Test that a window PortOne has no payment for is looked up after the delay, once
        more when it must have ended, and never again."""
        tx = self._create_transaction('direct', reference='S00072-A1B2C3')
        self.assertEqual(self._run_job(timedelta(minutes=20)), 1)
        self.assertEqual(self._run_job(timedelta(minutes=40)), 0)
        self.assertEqual(self._run_job(timedelta(minutes=70)), 1)
        self.assertEqual(tx.state, 'draft')
        self.assertFalse(tx.galaxia_next_check)

    @mute_logger(*LOGGERS)
    def test_lost_deposit_notice_is_recovered_by_the_job(self):
        """Test that a virtual account paid without Odoo being told is confirmed by the job at
        its next check of the account, however old the transaction is."""
        tx = self._vbank_tx('S00073-A1B2C3')
        payment = self._sandbox_pay(tx, pay_method='vbank', status='ready')
        tx._galaxia_process_from_portone(imp_uid=payment['imp_uid'])
        self.assertEqual(tx.state, 'pending')
        self._sandbox_fault(webhook='drop')
        self._sandbox('POST', f"/__sandbox__/payments/{payment['imp_uid']}/deposit")
        self.assertEqual(self._run_job(timedelta(minutes=20)), 0)
        self.assertEqual(self._run_job(timedelta(hours=2, minutes=10)), 1)
        self.assertEqual(tx.state, 'done')

    @mute_logger(*LOGGERS)
    def test_virtual_account_expires_after_its_due_date(self):
        """Test that a virtual account without a deposit past its due date is canceled, and that
        a deposit PortOne still reports after that confirms it."""
        tx = self._vbank_tx('S00074-A1B2C3')
        due = self.started + timedelta(days=3)
        payment = self._sandbox_pay(
            tx, pay_method='vbank', status='ready', vbank_date=int(due.timestamp()),
        )
        tx._galaxia_process_from_portone(imp_uid=payment['imp_uid'])
        lookups = sum(
            self._run_job(timedelta(minutes=minutes)) for minutes in range(10, 4 * 24 * 60, 10)
        )
        self.assertEqual(tx.state, 'cancel')
        self.assertIn("expired", tx.state_message)
        self.assertLessEqual(lookups, 3 * 24 // 2 + 2)  # every two hours until the due date

        # A bank that accepts the deposit after all: the money is there, the order is paid.
        self._sandbox_fault(webhook='drop')
        self._sandbox('POST', f"/__sandbox__/payments/{payment['imp_uid']}/deposit")
        tx._galaxia_process_from_portone(imp_uid=payment['imp_uid'])
        self.assertEqual(tx.state, 'done')

    @mute_logger(*LOGGERS)
    def test_portone_outage_ends_the_run_and_leaves_transactions_for_later(self):
        """Test that a PortOne that fails ends the run at its first failure (every other lookup
        would wait as long), leaves the transactions unchanged, and that a later run confirms
        them."""
        txs = [
            self._create_transaction('direct', reference=f'S00075-A1B2C{i}') for i in range(3)
        ]
        for tx in txs:
            self._sandbox_pay(tx)
        self._sandbox_fault(timeout={'path_prefix': '/payments/', 'seconds': 3, 'count': 3})
        self.assertEqual(self._run_job(timedelta(minutes=20)), 1)
        self.assertEqual({tx.state for tx in txs}, {'draft'})
        self._sandbox('DELETE', '/__sandbox__/faults')
        self._run_job(timedelta(minutes=40))
        self.assertEqual({tx.state for tx in txs}, {'done'})

    @mute_logger(*LOGGERS)
    def test_unconfirmed_refund_is_looked_up_until_portone_answers(self):
        """Test that a payment whose refund PortOne did not confirm is looked up at every run
        until the refund is confirmed, then left."""
        tx = self._create_transaction('direct', reference='S00077-A1B2C3')
        tx._galaxia_process_from_portone(imp_uid=self._sandbox_pay(tx)['imp_uid'])
        self._sandbox_fault(fail={'path_prefix': '/payments/cancel', 'status': 504})
        refund = tx._refund(amount_to_refund=5000)
        self.assertEqual(refund.state, 'pending')
        self.assertEqual(self._run_job(timedelta(minutes=20)), 1)
        self.assertEqual(refund.state, 'pending')  # PortOne never made that cancel.
        self._sandbox_fault(webhook='drop')  # Only the job may learn of the next one.
        self._sandbox('POST', f'/__sandbox__/payments/{tx.provider_reference}/console-cancel',
                      amount=5000)
        self.assertEqual(self._run_job(timedelta(minutes=40)), 1)
        self.assertEqual(refund.state, 'done')
        self.assertEqual(self._run_job(timedelta(minutes=60)), 0)

    @mute_logger(*LOGGERS)
    def test_reconcile_button_queues_the_job(self):
        """Test that the provider's button has the job check the provider's transactions within
        a minute, without asking PortOne in the request."""
        tx = self._create_transaction('direct', reference='S00076-A1B2C3')
        self._sandbox_pay(tx)
        self._sandbox('DELETE', '/__sandbox__/stats')
        notification = self.galaxia.action_galaxia_reconcile()['params']
        self.assertIn("1 transactions", notification['message'])
        self.assertEqual(self._lookups(), 0)
        cron = self.env.ref('payment_galaxia.cron_reconcile')
        self.assertTrue(self.env['ir.cron.trigger'].search([('cron_id', '=', cron.id)]))
        self.assertEqual(self._run_job(), 1)
        self.assertEqual(tx.state, 'done')

    @mute_logger(*LOGGERS)
    def test_abandoned_checkouts_cost_two_lookups_each_over_four_days(self):
        """Test the job's budget: 1,000 checkouts abandoned before paying (a tenth of them
        saving a card) cost two lookups each over four days of runs every ten minutes, four with
        a card key window."""
        self.galaxia.allow_tokenization = True
        checkouts = self.env['payment.transaction']
        for i in range(1000):
            checkouts |= self._create_transaction(
                'direct', reference=f'S1{i:04d}-ABCDEF', tokenize=not i % 10,
                galaxia_customer_uid=f'cu-{i}' if not i % 10 else False,
            )
        lookups = sum(
            self._run_job(timedelta(minutes=minutes)) for minutes in range(10, 4 * 24 * 60, 10)
        )
        self.assertEqual(lookups, 900 * 2 + 100 * 4)
        self.assertFalse(any(checkouts.mapped('galaxia_next_check')))
