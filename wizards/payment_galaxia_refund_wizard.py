# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.payment_galaxia import const
from odoo.addons.payment_galaxia.payment_galaxia.banks import BANKS


class PaymentGalaxiaRefundWizard(models.TransientModel):
    """The bank account a virtual-account payment is refunded to, asked before the refund."""

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

    @api.constrains('refund_account')
    def _check_refund_account(self):
        for wizard in self:
            if not re.fullmatch(r'[0-9 -]{6,20}', wizard.refund_account):
                raise ValidationError(self.env._(
                    "The account number must be 6 to 20 digits (spaces and dashes allowed)."
                ))

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
        """Refund the transaction to the account given.

        :return: What the refund returns (a notification).
        :rtype: dict
        """
        self.ensure_one()
        refund_account = {
            'refund_holder': self.refund_holder,
            'refund_bank': self.refund_bank,
            'refund_account': re.sub(r'\D', '', self.refund_account),
            'refund_tel': self.refund_tel or None,
        }
        return self.transaction_id.with_context(
            **{const.REFUND_ACCOUNT_CONTEXT_KEY: refund_account}
        ).action_refund(amount_to_refund=self.amount_to_refund)
