# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

from datetime import datetime, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.payment_galaxia.tests.common import GalaxiaCommon

LOGGERS = (
    'odoo.addons.payment_galaxia.models.payment_transaction',
    'odoo.addons.payment_galaxia.models.payment_transaction_reconcile',
    'odoo.addons.payment.models.payment_transaction',
)


@tagged('post_install', '-at_install')
class TestReconciliation(GalaxiaCommon):
    """What the scheduled job finds at PortOne that no webhook or customer return told Odoo."""

    def _age(self, tx, minutes):
        """Pretend `tx` started `minutes` ago."""
        self.env.cr.execute(
            "UPDATE payment_transaction SET create_date = %s WHERE id = %s",
            [fields.Datetime.now() - timedelta(minutes=minutes), tx.id],
        )
        tx.invalidate_recordset(['create_date'])

    def _run_job(self):
        # The job commits after each transaction, which tests may not: its progress is left out.
        with patch.object(type(self.env['ir.cron']), '_commit_progress'):
            self.env['payment.transaction']._cron_galaxia_reconcile()

    @mute_logger(*LOGGERS)
    def test_lost_webhook_is_recovered_by_the_job(self):
        """Test that a payment whose webhook was lost and whose customer never came back is
        confirmed by the job."""
        tx = self._create_transaction('direct', reference='S00070-A1B2C3')
        self._sandbox_pay(tx)  # no webhook, no return
        self._age(tx, 20)
        self._run_job()
        self.assertEqual(tx.state, 'done')

    @mute_logger(*LOGGERS)
    def test_young_transactions_are_left_to_their_webhook(self):
        """Test that the job leaves transactions younger than the provider's delay alone."""
        tx = self._create_transaction('direct', reference='S00071-A1B2C3')
        self._sandbox_pay(tx)
        self._age(tx, 5)
        transactions = self.env['payment.transaction']
        self.assertNotIn(tx, transactions._galaxia_get_transactions_to_reconcile())
        self.galaxia.galaxia_reconcile_delay = 1
        self.assertIn(tx, transactions._galaxia_get_transactions_to_reconcile())

    @mute_logger(*LOGGERS)
    def test_window_closed_without_payment_stays_draft(self):
        """Test that a transaction PortOne has no payment for is left as it is."""
        tx = self._create_transaction('direct', reference='S00072-A1B2C3')
        self._age(tx, 20)
        self._run_job()
        self.assertEqual(tx.state, 'draft')

    @mute_logger(*LOGGERS)
    def test_lost_deposit_notice_is_recovered_by_the_job(self):
        """Test that a virtual account paid without Odoo being told is confirmed by the job,
        however old it is."""
        tx = self._create_transaction(
            'direct', reference='S00073-A1B2C3',
            payment_method_id=self.env.ref('payment_galaxia.payment_method_vbank').id,
        )
        payment = self._sandbox_pay(tx, pay_method='vbank', status='ready')
        tx._galaxia_sync(imp_uid=payment['imp_uid'])
        self.assertEqual(tx.state, 'pending')
        self._sandbox_fault(webhook='drop')
        self._sandbox('POST', f"/__sandbox__/payments/{payment['imp_uid']}/deposit")
        self._age(tx, 60 * 24 * 6)
        self._run_job()
        self.assertEqual(tx.state, 'done')

    @mute_logger(*LOGGERS)
    def test_virtual_account_expires_after_its_due_date(self):
        """Test that a virtual account without a deposit past its due date is canceled, and that
        a deposit PortOne still reports after that confirms it."""
        tx = self._create_transaction(
            'direct', reference='S00074-A1B2C3',
            payment_method_id=self.env.ref('payment_galaxia.payment_method_vbank').id,
        )
        yesterday = datetime.now() - timedelta(days=1)
        payment = self._sandbox_pay(
            tx, pay_method='vbank', status='ready', vbank_date=int(yesterday.timestamp()),
        )
        tx._galaxia_sync(imp_uid=payment['imp_uid'])
        self._age(tx, 60 * 24 * 4)
        self._run_job()
        self.assertEqual(tx.state, 'cancel')
        self.assertIn("expired", tx.state_message)

        # A bank that accepts the deposit after all: the money is there, the order is paid.
        self._sandbox_fault(webhook='drop')
        self._sandbox('POST', f"/__sandbox__/payments/{payment['imp_uid']}/deposit")
        tx._galaxia_sync(imp_uid=payment['imp_uid'])
        self.assertEqual(tx.state, 'done')

    @mute_logger(*LOGGERS)
    def test_portone_outage_leaves_transactions_for_the_next_run(self):
        """Test that the job survives PortOne failing and leaves the transaction unchanged."""
        tx = self._create_transaction('direct', reference='S00075-A1B2C3')
        self._sandbox_pay(tx)
        self._age(tx, 20)
        self._sandbox_fault(fail={'path_prefix': '/payments/', 'status': 502, 'count': 5})
        self._run_job()
        self.assertEqual(tx.state, 'draft')
        self._sandbox('DELETE', '/__sandbox__/faults')
        self._run_job()
        self.assertEqual(tx.state, 'done')

    @mute_logger(*LOGGERS)
    def test_reconcile_button_checks_the_providers_transactions(self):
        """Test that the provider's button runs the same reconciliation at once."""
        tx = self._create_transaction('direct', reference='S00076-A1B2C3')
        self._sandbox_pay(tx)
        self._age(tx, 20)
        waiting = self.env['payment.transaction']._galaxia_get_transactions_to_reconcile(
            self.galaxia
        )
        self.assertIn(tx, waiting)
        notification = self.galaxia.action_galaxia_reconcile()['params']
        self.assertIn(f"{len(waiting)} transactions", notification['message'])
        self.assertEqual(tx.state, 'done')
