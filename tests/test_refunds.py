# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

from datetime import datetime, timedelta

import psycopg2

from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.payment.tests.http_common import PaymentHttpCommon
from odoo.addons.payment_galaxia import const
from odoo.addons.payment_galaxia.tests.common import GalaxiaCommon

LOGGERS = (
    'odoo.addons.payment_galaxia.controllers.main',
    'odoo.addons.payment_galaxia.models.payment_transaction',
    'odoo.addons.payment_galaxia.models.payment_transaction_refund',
    'odoo.addons.payment.models.payment_transaction',
)


class RefundCommon(GalaxiaCommon):
    """Paid transactions to refund, and PortOne's view of them."""

    def _paid_tx(self, payment_method='payment.payment_method_card', **payment_values):
        """A transaction PortOne holds as paid and Odoo knows as done."""
        tx = self._create_transaction(
            'direct', reference='S00060-A1B2C3',
            payment_method_id=self.env.ref(payment_method).id,
        )
        pay_method = const.PAYMENT_METHODS_MAPPING[tx.payment_method_code]
        payment = self._sandbox_pay(tx, pay_method=pay_method, **payment_values)
        tx._galaxia_process_from_portone(imp_uid=payment['imp_uid'])
        self.assertEqual(tx.state, 'done')
        return tx

    def _booked_payment(self, payment_method='payment.payment_method_card'):
        """A paid transaction whose accounting payment is booked (post-processed)."""
        tx = self._paid_tx(payment_method)
        tx._post_process()
        self.assertTrue(tx.payment_id)
        return tx

    def _portone_payment(self, tx):
        return self.galaxia._galaxia_get_client().get_payment(
            tx.provider_reference, include_sandbox=True
        )


@tagged('post_install', '-at_install')
class TestRefunds(RefundCommon, PaymentHttpCommon):

    def _refunds(self, tx):
        return tx.child_transaction_ids.filtered(lambda child: child.operation == 'refund')

    # === REFUNDS FROM ODOO === #

    @mute_logger(*LOGGERS)
    def test_partial_card_refunds_are_cancelled_with_the_known_balance(self):
        """Test that successive partial refunds each cancel their amount at PortOne, the
        checksum (the balance Odoo knows) being accepted every time."""
        tx = self._paid_tx()
        tx.action_refund(amount_to_refund=10000)
        tx.action_refund(amount_to_refund=5000)
        refunds = self._refunds(tx)
        self.assertEqual(sorted(refunds.mapped('amount')), [-10000, -5000])
        self.assertEqual(set(refunds.mapped('state')), {'done'})
        payment = self._portone_payment(tx)
        self.assertEqual(payment.cancel_amount, 15000)
        self.assertEqual(
            set(refunds.mapped('galaxia_cancellation_id')),
            {entry.cancellation_id for entry in payment.cancel_history},
        )
        self.assertEqual(tx._galaxia_get_refundable_amount(), 40000)

    @mute_logger(*LOGGERS)
    def test_refund_above_the_balance_is_refused(self):
        """Test that PortOne's refusal of a refund above the balance errors the refund."""
        tx = self._paid_tx()
        refund = tx._refund(amount_to_refund=60000)
        self.assertEqual(refund.state, 'error')
        self.assertEqual(self._portone_payment(tx).cancel_amount, 0)

    @mute_logger(*LOGGERS)
    def test_bank_transfer_refunds_in_part(self):
        """Test that a bank transfer can be refunded in part."""
        tx = self._paid_tx(payment_method='payment.payment_method_bank_transfer')
        refund = tx._refund(amount_to_refund=20000)
        self.assertEqual(refund.state, 'done')

    @mute_logger(*LOGGERS)
    def test_phone_refunds_in_full_only(self):
        """Test that a phone payment refuses a partial refund and accepts the full one."""
        tx = self._paid_tx(payment_method='payment.payment_method_mobile')
        with self.assertRaisesRegex(UserError, "in full"):
            tx.action_refund(amount_to_refund=1000)
        tx.action_refund()
        self.assertEqual(self._refunds(tx).state, 'done')
        self.assertEqual(self._portone_payment(tx).status, 'cancelled')

    @mute_logger(*LOGGERS)
    def test_phone_refund_after_the_month_of_payment_is_refused(self):
        """Test that a phone payment of an earlier month cannot be refunded, and says why."""
        last_month = datetime.now() - timedelta(days=40)
        tx = self._paid_tx(
            payment_method='payment.payment_method_mobile', paid_at=int(last_month.timestamp()),
        )
        with self.assertRaisesRegex(UserError, "month"):
            tx.action_refund()
        self.assertFalse(self._refunds(tx))

    @mute_logger(*LOGGERS)
    def test_virtual_account_refund_asks_for_the_bank_account(self):
        """Test that refunding a virtual account asks for the customer's account and sends it."""
        tx = self._paid_tx(payment_method='payment_galaxia.payment_method_vbank')
        action = tx.action_refund(amount_to_refund=30000)
        self.assertEqual(action['res_model'], 'payment.galaxia.refund.wizard')
        wizard = self.env['payment.galaxia.refund.wizard'].with_context(action['context']).create({
            'refund_holder': "홍길동",
            'refund_bank': '088',
            'refund_account': '110-123-456789',
        })
        self.assertEqual(wizard.amount_to_refund, 30000)
        wizard.action_refund()
        refund = self._refunds(tx)
        self.assertEqual(refund.state, 'done')
        self.assertEqual(
            (refund.galaxia_refund_holder, refund.galaxia_refund_bank,
             refund.galaxia_refund_account),
            ("홍길동", '088', '110123456789'),
        )
        self.assertEqual(self._portone_payment(tx).cancel_amount, 30000)

    def test_refund_account_form_checks_the_amount(self):
        """Test that the refund form refuses an amount above the balance."""
        tx = self._paid_tx(payment_method='payment_galaxia.payment_method_vbank')
        with self.assertRaises(ValidationError):
            self.env['payment.galaxia.refund.wizard'].create({
                'transaction_id': tx.id, 'refund_holder': "홍길동", 'refund_bank': '088',
                'refund_account': '110123456789', 'amount_to_refund': 60000,
            })

    @mute_logger(*LOGGERS)
    def test_virtual_account_refund_checks_the_account_it_goes_to(self):
        """Test that a virtual-account refund is refused before PortOne is asked, and creates
        nothing, without an account, with an unknown bank or with a malformed number."""
        tx = self._paid_tx(payment_method='payment_galaxia.payment_method_vbank')
        account = {'refund_holder': "홍길동", 'refund_bank': '088', 'refund_account': '110123456'}
        for wrong in (None, {**account, 'refund_holder': ' '}, {**account, 'refund_bank': '999'},
                      {**account, 'refund_account': '12-ab-34'}):
            with self.subTest(account=wrong), self.assertRaises(ValidationError):
                tx._refund(amount_to_refund=1000, refund_account=wrong)
        self.assertFalse(self._refunds(tx))
        self.assertEqual(self._portone_payment(tx).cancel_amount, 0)

    # === REFUNDS MADE AT PORTONE === #

    @mute_logger('odoo.sql_db', *LOGGERS)
    def test_a_cancellation_is_recorded_by_one_refund_only(self):
        """Test that the database refuses a second refund for the same PortOne cancellation,
        whatever code would try to record it."""
        tx = self._paid_tx()
        refund = tx._refund(amount_to_refund=10000)
        self.assertTrue(refund.galaxia_cancellation_id)
        with self.assertRaises(psycopg2.errors.UniqueViolation), self.env.cr.savepoint():
            tx._create_child_transaction(
                10000, is_refund=True, galaxia_cancellation_id=refund.galaxia_cancellation_id,
            )

    @mute_logger(*LOGGERS)
    def test_console_cancel_becomes_one_refund_once(self):
        """Test that a cancel made in PortOne's console becomes one refund, even when its
        webhook comes twice."""
        tx = self._paid_tx()
        self._sandbox('POST', f'/__sandbox__/payments/{tx.provider_reference}/console-cancel',
                      amount=20000, reason="고객 변심")
        self._sandbox('POST', f'/__sandbox__/payments/{tx.provider_reference}/webhook')
        refund = self._refunds(tx)
        self.assertEqual((refund.amount, refund.state), (-20000, 'done'))
        self.assertEqual(tx.state, 'done')

    @mute_logger(*LOGGERS)
    def test_full_console_cancel_of_a_done_payment_is_a_refund(self):
        """Test that a full console cancel of a confirmed payment records a refund of it all."""
        tx = self._paid_tx()
        self._sandbox('POST', f'/__sandbox__/payments/{tx.provider_reference}/console-cancel')
        self.assertEqual(self._refunds(tx).amount, -55000)
        self.assertEqual(tx.state, 'done')

    @mute_logger(*LOGGERS)
    def test_refund_after_an_unknown_console_cancel_is_refused_by_the_checksum(self):
        """Test that PortOne refuses an Odoo refund when Odoo does not know of a console cancel
        (its webhook lost), and that the next synchronisation records that cancel."""
        tx = self._paid_tx()
        self._sandbox_fault(webhook='drop')
        self._sandbox('POST', f'/__sandbox__/payments/{tx.provider_reference}/console-cancel',
                      amount=50000)
        refund = tx._refund(amount_to_refund=10000)
        self.assertEqual(refund.state, 'error')
        self.assertEqual(self._portone_payment(tx).cancel_amount, 50000)
        tx._galaxia_process_from_portone()
        done_refunds = self._refunds(tx).filtered(lambda r: r.state == 'done')
        self.assertEqual(done_refunds.amount, -50000)

    @mute_logger(*LOGGERS)
    def test_unanswered_refund_is_pending_then_confirmed_by_the_next_sync(self):
        """Test that a refund PortOne made without answering in time stays pending, then is
        confirmed (not duplicated) when the payment is read again."""
        tx = self._paid_tx()
        self._sandbox_fault(timeout={'path_prefix': '/payments/cancel', 'seconds': 2.5})
        refund = tx._refund(amount_to_refund=7000)
        self.assertEqual(refund.state, 'pending')
        # PortOne finishes the cancel after our client gave up.
        self._wait_for(lambda: self._portone_payment(tx).cancel_amount == 7000)
        tx._galaxia_process_from_portone()
        self.assertEqual(self._refunds(tx), refund)
        self.assertEqual(refund.state, 'done')


@tagged('post_install', '-at_install')
class TestRefundsFromAccounting(RefundCommon):
    """Refunds started where accountants start them: the payment's Refund button."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._require_modules('account_payment')
        cls.enable_post_process_patcher = False  # The refund starts from the booked payment.

    def _refund_wizard(self, tx, amount):
        """The payment's Refund button opens its wizard on the payment (the active record)."""
        action = tx.payment_id.action_refund_wizard()
        return self.env[action['res_model']].with_context(
            active_model='account.payment', active_id=tx.payment_id.id,
        ).create({'amount_to_refund': amount})

    @mute_logger(*LOGGERS)
    def test_partial_refund_from_the_payment_is_booked(self):
        """Test that a partial refund from the accounting payment is cancelled at PortOne and,
        once confirmed, booked as an outgoing payment."""
        tx = self._booked_payment()
        self.assertEqual(tx.payment_id.amount_available_for_refund, 55000)
        wizard = self._refund_wizard(tx, 15000)
        self.assertEqual(wizard.support_refund, 'partial')
        wizard.action_refund()
        refund = tx.child_transaction_ids
        self.assertEqual((refund.amount, refund.state), (-15000, 'done'))
        refund._post_process()
        self.assertEqual(refund.payment_id.amount, 15000)
        self.env.invalidate_all()
        self.assertEqual(tx.payment_id.amount_available_for_refund, 40000)

    @mute_logger(*LOGGERS)
    def test_phone_payment_is_refunded_in_full_from_the_payment(self):
        """Test that the accountant can only refund a phone payment in full."""
        tx = self._booked_payment('payment.payment_method_mobile')
        wizard = self._refund_wizard(tx, 55000)
        self.assertEqual(wizard.support_refund, 'full_only')
        wizard.action_refund()
        self.assertEqual(tx.child_transaction_ids.state, 'done')

    @mute_logger(*LOGGERS)
    def test_virtual_account_refund_from_the_payment_asks_for_the_account(self):
        """Test that the payment's Refund leads to the bank account form for a virtual account."""
        tx = self._booked_payment('payment_galaxia.payment_method_vbank')
        action = self._refund_wizard(tx, 5000).action_refund()
        self.assertEqual(action['res_model'], 'payment.galaxia.refund.wizard')
        self.assertEqual(action['context']['default_amount_to_refund'], 5000)


@tagged('post_install', '-at_install')
class TestRefundTours(RefundCommon, HttpCase):
    """Partial refunds clicked through the accounting payment's form in a real browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._require_modules('account_payment')
        cls.enable_post_process_patcher = False  # The refund starts from the booked payment.

    def test_partial_refund_from_the_payment_form(self):
        """Test that an accountant refunds part of a card payment from its form."""
        tx = self._booked_payment('payment.payment_method_card')
        self.start_tour(f'/odoo/account.payment/{tx.payment_id.id}',
                        'galaxia_backend_partial_refund', login='admin')
        refund = tx.child_transaction_ids
        self.assertEqual((refund.amount, refund.state), (-15000, 'done'))
        self.assertEqual(self._portone_payment(tx).cancel_amount, 15000)

    def test_virtual_account_refund_from_the_payment_form(self):
        """Test that refunding a virtual account from its form asks for the bank account."""
        tx = self._booked_payment('payment_galaxia.payment_method_vbank')
        self.start_tour(f'/odoo/account.payment/{tx.payment_id.id}',
                        'galaxia_backend_vbank_refund', login='admin')
        self.assertEqual(tx.child_transaction_ids.state, 'done')
        self.assertEqual(self._portone_payment(tx).cancel_amount, 5000)
