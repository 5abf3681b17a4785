# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

import contextlib

from odoo import api, fields, models

from odoo.addons.payment.logging import get_payment_logger
from odoo.addons.payment_galaxia import const
from odoo.addons.payment_galaxia.models.payment_transaction import TransactionBusy
from odoo.addons.payment_galaxia.payment_galaxia.errors import (
    PortOneError,
    PortOneNotFound,
    PortOneUnavailable,
)

_logger = get_payment_logger(__name__, const.SENSITIVE_KEYS)


class PaymentTransaction(models.Model):
    """Reconciliation: what a lost webhook or a customer who never came back left unconfirmed
    is read again at PortOne, on a schedule each transaction carries.

    A transaction is looked up only while PortOne may still change it: a window that was opened
    once after the provider's delay and once when it must have ended, a virtual account every
    `const.RECONCILE_VBANK_INTERVAL` until its due date, a refund PortOne did not confirm at
    every run until it answers.
    """

    _inherit = 'payment.transaction'

    galaxia_next_check = fields.Datetime(
        string="Next Check at PortOne",
        help="When the reconciliation job looks the transaction up at PortOne next; empty when"
             " nothing it does can change any more.",
        readonly=True,
        copy=False,
        index='btree_not_null',
    )

    # === CRUD METHODS === #

    @api.model
    def _get_specific_create_values(self, provider_code, values):
        """Override of `payment` to schedule the first reconciliation of a payment."""
        create_values = super()._get_specific_create_values(provider_code, values)
        if provider_code != 'galaxia' or values.get('operation') == 'refund':
            return create_values
        provider = self.env['payment.provider'].browse(values['provider_id'])
        return {**create_values, 'galaxia_next_check': provider._galaxia_reconcile_after()}

    # === BUSINESS METHODS === #

    @api.model
    def _cron_galaxia_reconcile(self):
        """Reconcile a batch of the transactions whose check is due, oldest due first,
        committing after each one, until the batch is done or the run's time is almost up; the
        job reports what remains, and Odoo runs it again while its time allows.

        A PortOne that does not answer ends the job until its next call: every other lookup
        would wait as long.

        :return: None
        """
        cron = self.env['ir.cron']
        due = self._galaxia_get_due_domain()
        batch = self.sudo().search(
            due, order='galaxia_next_check, id', limit=const.RECONCILE_BATCH_SIZE
        )
        cron._commit_progress(remaining=self.sudo().search_count(due))
        for tx in batch:
            try:
                with self.env.cr.savepoint():
                    answered = tx._galaxia_reconcile()
            except Exception:
                _logger.exception("Could not reconcile transaction %s.", tx.reference)
                tx._galaxia_postpone_check()
                answered = True
            if not answered:
                cron._commit_progress(1, remaining=0)
                return
            if cron._commit_progress(1) < const.RECONCILE_TIME_MARGIN:
                return

    @api.model
    def _galaxia_get_due_domain(self, providers=None):
        """Return the domain of the transactions whose reconciliation is due now.

        :param payment.provider providers: The providers to look at, default every Galaxia
                                           provider that is not disabled.
        :rtype: list
        """
        domain = [
            ('galaxia_next_check', '<=', fields.Datetime.now()),
            ('provider_id.state', '!=', 'disabled'),
        ]
        if providers is not None:
            domain.append(('provider_id', 'in', providers.ids))
        return domain

    def _galaxia_reconcile(self):
        """Process what PortOne says of the transaction now, let an unpaid virtual account
        expire after its due date, and schedule the next check.

        Note: `self.ensure_one()`

        :return: Whether PortOne answered (if not, the next check is postponed).
        :rtype: bool
        """
        self.ensure_one()
        try:
            # A busy transaction aborts what follows its lock: a savepoint keeps the job's work.
            # PortOne having no payment (a window closed, say) leaves the transaction as it is.
            with self.env.cr.savepoint(), contextlib.suppress(PortOneNotFound):
                self._galaxia_process_from_portone()
        except (PortOneError, TransactionBusy) as error:
            _logger.warning("Could not reconcile transaction %s: %s", self.reference, error)
            self._galaxia_postpone_check()
            return not isinstance(error, PortOneUnavailable)
        if (
            self.state == 'pending'
            and self.galaxia_vbank_due
            and fields.Datetime.now() >= self.galaxia_vbank_due + const.VBANK_EXPIRY_GRACE
        ):
            self._set_canceled(
                state_message=self.env._("The virtual account expired without a deposit.")
            )
        self._galaxia_schedule_check()
        return True

    def _galaxia_schedule_check(self):
        """Set when the job looks the transaction up next, from what it waits for now.

        Note: `self.ensure_one()`

        :return: None
        """
        self.ensure_one()
        next_check = self._galaxia_get_next_check()
        if self.galaxia_next_check != next_check:
            self.galaxia_next_check = next_check

    def _galaxia_postpone_check(self):
        """Look the transaction up again at the next run but one (PortOne could not tell).

        Note: `self.ensure_one()`

        :return: None
        """
        self.ensure_one()
        self.galaxia_next_check = self.provider_id._galaxia_reconcile_after()

    def _galaxia_get_next_check(self):
        """Return when the job should look the transaction up next.

        Note: `self.ensure_one()`

        :return: The time of the next check, or `False` when PortOne can change nothing the job
                 would act on any more.
        :rtype: datetime|bool
        """
        self.ensure_one()
        now = fields.Datetime.now()
        if self.operation == 'refund':
            return False  # Refunds are looked up through the payment they refund.
        if self.child_transaction_ids.filtered(lambda tx: tx._galaxia_waits_for_portone()):
            return self.provider_id._galaxia_reconcile_after()
        # Times to the second, as stored: a check due at a time is the one at that time.
        if self.state == 'pending' and self.galaxia_vbank_due:
            expiry = self.galaxia_vbank_due + const.VBANK_EXPIRY_GRACE  # Canceled from then on.
            return min(now + const.RECONCILE_VBANK_INTERVAL, expiry)
        if self.state in ('draft', 'pending'):  # A window, or a charge, that may still end.
            window_end = self.create_date.replace(microsecond=0) + const.RECONCILE_WINDOW
            return window_end if now < window_end else False
        return False

    def _galaxia_waits_for_portone(self):
        """:return: Whether this refund waits for PortOne to confirm it, and still may.
        :rtype: bool"""
        self.ensure_one()
        return (
            self.operation == 'refund'
            and self.state in ('draft', 'pending')
            and not self.galaxia_cancellation_id
            and self.create_date >= fields.Datetime.now() - const.RECONCILE_MAX_AGE
        )
