# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.payment_galaxia.payment_galaxia.banks import BANKS


class PaymentGalaxiaRefundWizard(models.TransientModel):
    """The bank account a virtual-account payment is refunded to, asked before the refund.

    Using it takes the rights Odoo's own refund takes: writing on the payment transaction
    (administrators, and with Invoicing the billing group).
    """

    _name = 'payment.galaxia.refund.wizard'
    _description = "Galaxia Virtual Account Refund"

    transaction_id = fields.Many2one(
        string="Payment Transaction", comodel_name='payment.transaction', required=True,
        readonly=True,
    )
    currency_id = fields.Many2one(related='transaction_id.currency_id')
    amount_to_refund = fields.Monetary(string="Refund Amount", required=True)
    refund_holder = fields.Char(string="Account Holder", required=True)
    refund_bank = fields.Selection(string="Bank", selection=list(BANKS), required=True)
    refund_account = fields.Char(string="Account Number", required=True)
    refund_tel = fields.Char(string="Holder's Phone")

    @api.model_create_multi
    def create(self, vals_list):
        """Override of `orm` to refuse users who may not refund the transaction."""
        wizards = super().create(vals_list)
        wizards.transaction_id.check_access('write')
        return wizards

    @api.constrains('amount_to_refund')
    def _check_amount_to_refund(self):
        for wizard in self:
            refundable = wizard.transaction_id._galaxia_get_refundable_amount()
            if not 0 < wizard.amount_to_refund <= refundable:
                raise ValidationError(self.env._(
                    "The refund amount must be positive and at most %(amount)s.",
                    amount=wizard.currency_id.format(refundable),
                ))

    def action_refund(self):
        """Refund the transaction to the account given, which the refund checks and keeps.

        :return: A notification saying whether the refund was made.
        :rtype: dict
        """
        self.ensure_one()
        transaction = self.transaction_id
        transaction.check_access('write')
        if transaction.state != 'done':
            raise ValidationError(self.env._("Only confirmed transactions can be refunded."))
        refund_account = {
            'refund_holder': self.refund_holder,
            'refund_bank': self.refund_bank,
            'refund_account': self.refund_account,
            'refund_tel': self.refund_tel,
        }
        refund = transaction.sudo().with_context(payment_backend_action=True)._refund(
            amount_to_refund=self.amount_to_refund, refund_account=refund_account
        )
        return refund._build_action_feedback_notification()
