# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

from odoo.addons.payment.logging import get_payment_logger
from odoo.addons.payment_galaxia import const
from odoo.addons.payment_galaxia.payment_galaxia.errors import PortOneError, PortOneNotFound

_logger = get_payment_logger(__name__, const.SENSITIVE_KEYS)


class PaymentTransaction(models.Model):
    """Reconciliation: what a lost webhook or a customer who never came back left unconfirmed
    is read again at PortOne."""

    _inherit = 'payment.transaction'

    @api.model
    def _cron_galaxia_reconcile(self):
        """Reconcile every transaction waiting on PortOne, committing after each one so that a
        failure loses nothing done before it.

        :return: None
        """
        transactions = self._galaxia_get_transactions_to_reconcile()
        cron = self.env['ir.cron']
        cron._commit_progress(remaining=len(transactions))
        for tx in transactions:
            try:
                with self.env.cr.savepoint():
                    tx._galaxia_reconcile()
            except Exception:
                _logger.exception("Could not reconcile transaction %s.", tx.reference)
            cron._commit_progress(1)

    @api.model
    def _galaxia_get_transactions_to_reconcile(self, providers=None):
        """Return the Galaxia transactions PortOne may have settled without Odoo knowing.

        That is, per provider, the draft and pending transactions older than its reconciliation
        delay and younger than `const.RECONCILE_MAX_AGE`, the virtual accounts waiting for their
        deposit whatever their age, and the payments whose refund is waiting on PortOne.

        :param payment.provider providers: The providers to look at, default every Galaxia
                                           provider that is not disabled.
        :return: The transactions, sudoed.
        :rtype: payment.transaction
        """
        if providers is None:
            providers = self.env['payment.provider'].sudo().search(
                [('code', '=', 'galaxia'), ('state', '!=', 'disabled')]
            )
        now = fields.Datetime.now()
        transactions = self.sudo().browse()
        for provider in providers:
            settled_domain = Domain('provider_id', '=', provider.id) & Domain(
                'create_date', '<=', now - timedelta(minutes=provider.galaxia_reconcile_delay)
            ) & Domain('state', 'in', ('draft', 'pending'))
            recent = Domain('create_date', '>=', now - const.RECONCILE_MAX_AGE)
            waiting_deposit = Domain('state', '=', 'pending') & Domain(
                'galaxia_vbank_num', '!=', False
            )
            transactions |= self.sudo().search(
                settled_domain & Domain('operation', '!=', 'refund') & (recent | waiting_deposit)
            )
            waiting_refunds = self.sudo().search(
                settled_domain & Domain('operation', '=', 'refund') & recent
            )
            transactions |= waiting_refunds.source_transaction_id
        return transactions

    def _galaxia_reconcile(self):
        """Process what PortOne says of the transaction now, and let an unpaid virtual account
        expire after its due date.

        Note: `self.ensure_one()`

        :return: None
        """
        self.ensure_one()
        try:
            self._galaxia_sync()
        except PortOneNotFound:
            pass  # Nothing was paid (a window closed, say): the transaction stays as it is.
        except PortOneError as error:
            _logger.warning("Could not reconcile transaction %s: %s", self.reference, error)
            return
        if (
            self.state == 'pending'
            and self.galaxia_vbank_due
            and fields.Datetime.now() > self.galaxia_vbank_due + const.VBANK_EXPIRY_GRACE
        ):
            self._set_canceled(
                state_message=self.env._("The virtual account expired without a deposit.")
            )
