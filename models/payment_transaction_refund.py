# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

import re
from datetime import UTC

import psycopg2

from odoo import fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from odoo.addons.payment import utils as payment_utils
from odoo.addons.payment.logging import get_payment_logger
from odoo.addons.payment_galaxia import const
from odoo.addons.payment_galaxia.models.payment_transaction import SEOUL
from odoo.addons.payment_galaxia.payment_galaxia.api_objects import Logged
from odoo.addons.payment_galaxia.payment_galaxia.banks import BANKS
from odoo.addons.payment_galaxia.payment_galaxia.errors import PortOneError, PortOneUnavailable

_logger = get_payment_logger(__name__, const.SENSITIVE_KEYS)


class PaymentTransaction(models.Model):
    """Refunds: PortOne cancels (partial or full) and their synchronisation with Odoo."""

    _inherit = 'payment.transaction'

    galaxia_cancellation_id = fields.Char(
        string="PortOne Cancellation",
        help="The cancellation of the payment at PortOne this refund stands for.",
        readonly=True,
        copy=False,
    )
    galaxia_cancel_amount = fields.Monetary(
        string="Refunded at PortOne",
        help="The amount PortOne had cancelled of the payment when its refunds were last recorded.",
        readonly=True,
        copy=False,
    )

    # The customer's bank account a virtual account is refunded to, given with the refund.
    galaxia_refund_holder = fields.Char(string="Refund Account Holder", readonly=True)
    galaxia_refund_bank = fields.Selection(
        string="Refund Bank", selection=list(BANKS), readonly=True
    )
    galaxia_refund_account = fields.Char(string="Refund Account Number", readonly=True)
    galaxia_refund_tel = fields.Char(string="Refund Account Holder's Phone", readonly=True)

    # A PortOne cancellation is one refund, however many notifications and refunds race.
    _galaxia_cancellation_uniq = models.UniqueIndex(
        '(source_transaction_id, galaxia_cancellation_id) WHERE galaxia_cancellation_id IS NOT NULL'
    )

    # === ACTION METHODS === #

    def action_refund(self, amount_to_refund=None):
        """Override of `payment` to ask for the customer's bank account before refunding a
        virtual account: the money goes back by bank transfer.

        :param float amount_to_refund: The amount to refund.
        :return: The refund account form for a virtual account, else what `payment` returns.
        :rtype: dict
        """
        vbank_txs = self.filtered(
            lambda tx: tx.provider_code == 'galaxia' and tx.payment_method_code == 'vbank'
        )
        if not vbank_txs:
            return super().action_refund(amount_to_refund=amount_to_refund)

        payment_utils.check_rights_on_recordset(self)
        if len(self) > 1:
            raise UserError(self.env._(
                "Refund virtual-account payments one at a time: each needs the customer's bank"
                " account."
            ))
        refundable_amount = self._galaxia_get_refundable_amount()
        return {
            'type': 'ir.actions.act_window',
            'name': self.env._("Refund to a Bank Account"),
            'res_model': 'payment.galaxia.refund.wizard',
            'view_mode': 'form',
            'target': 'new',
            'context': {
                'default_transaction_id': self.id,
                'default_amount_to_refund': amount_to_refund or refundable_amount,
            },
        }

    # === BUSINESS METHODS === #

    def _refund(self, amount_to_refund=None, refund_account=None):
        """Override of `payment` to lock the payment before anything else, to refuse, before
        asking PortOne, what Galaxia refuses, and to give a virtual account's refund the bank
        account it goes to.

        The framework's `_refund` creates the refund without provider values, and creates it
        before any lock: a refund that loses a race with another refund or with a notification
        recording cancellations would leave a refund in error beside the winner's. Here it
        creates nothing and says so.

        :param float amount_to_refund: The amount to refund, default all of it.
        :param dict refund_account: For a virtual account, the customer's bank account:
                                    `refund_holder`, `refund_bank` (a KFTC code),
                                    `refund_account`, `refund_tel` (optional).
        :return: The refund transaction.
        :rtype: payment.transaction
        :raise UserError: If Galaxia would refuse the refund or the payment changed meanwhile.
        :raise ValidationError: If the bank account is missing or not valid.
        """
        if self.provider_code != 'galaxia':
            return super()._refund(amount_to_refund=amount_to_refund)
        self._ensure_provider_is_not_disabled()
        self._galaxia_lock_for_refund()
        amount = amount_to_refund or self.amount
        self._galaxia_check_refund(amount)
        refund_tx = self._create_child_transaction(
            amount, is_refund=True, **self._galaxia_get_refund_account_values(refund_account)
        )
        refund_tx._log_sent_message()
        try:
            refund_tx._send_refund_request()
        except ValidationError as error:
            refund_tx._set_error(str(error))
        return refund_tx

    def _galaxia_get_refund_account_values(self, refund_account):
        """Check the bank account a virtual account is refunded to, and return it as the refund
        transaction's values.

        Note: `self.ensure_one()`

        :param dict refund_account: `refund_holder`, `refund_bank`, `refund_account`,
                                    `refund_tel`; ignored for other methods.
        :return: The `galaxia_refund_*` values of the refund transaction.
        :rtype: dict
        :raise ValidationError: If a virtual account's refund lacks the account or has an
                                unknown bank or a malformed number.
        """
        self.ensure_one()
        if self.payment_method_code != 'vbank':
            return {}
        account = refund_account or {}
        number = re.sub(r'[ -]', '', account.get('refund_account') or '')
        if not (account.get('refund_holder') or '').strip() or not number:
            raise ValidationError(self.env._(
                "A virtual-account payment is refunded to the customer's bank account: give its"
                " holder, bank and number."
            ))
        if account.get('refund_bank') not in dict(BANKS):
            raise ValidationError(self.env._("Choose the bank of the refund account."))
        if not re.fullmatch(r'\d{6,20}', number):
            raise ValidationError(self.env._(
                "The account number must be 6 to 20 digits (spaces and dashes allowed)."
            ))
        return {
            'galaxia_refund_holder': account['refund_holder'].strip(),
            'galaxia_refund_bank': account['refund_bank'],
            'galaxia_refund_account': number,
            'galaxia_refund_tel': (account.get('refund_tel') or '').strip() or False,
        }

    def _galaxia_lock_for_refund(self):
        """Lock the payment's row, or refuse the refund if it changed since this request began.

        Note: `self.ensure_one()`

        :raise UserError: If another refund or a notification recorded cancellations of the
                          payment meanwhile (the balance this request knows is outdated).
        """
        self.ensure_one()
        try:
            self._galaxia_lock(wait=True)
        except psycopg2.errors.SerializationFailure as error:
            _logger.warning(
                "Refused a refund of transaction %s: it changed while the refund waited.",
                self.reference,
            )
            raise UserError(self.env._(
                "This payment was refunded or updated while your refund waited. Reload it and"
                " check its balance before refunding again."
            )) from error

    def _galaxia_check_refund(self, amount):
        """Refuse a refund Galaxia would refuse: phone payments are refunded in full, and only
        in the calendar month (Korean time) they were paid.

        Note: `self.ensure_one()`

        :param float amount: The amount to refund.
        :raise UserError: If the refund is not possible, saying why.
        """
        self.ensure_one()
        if self.payment_method_code != 'mobile':
            return
        if self.currency_id.compare_amounts(amount, self._galaxia_get_refundable_amount()):
            raise UserError(self.env._("Mobile phone payments can only be refunded in full."))
        paid_at = (self.galaxia_paid_at or self.last_state_change).replace(tzinfo=UTC)
        paid_in_seoul = paid_at.astimezone(SEOUL)
        today_in_seoul = fields.Datetime.now().replace(tzinfo=UTC).astimezone(SEOUL)
        if (paid_in_seoul.year, paid_in_seoul.month) != (today_in_seoul.year, today_in_seoul.month):
            raise UserError(self.env._(
                "Mobile phone payments can only be refunded in the month they were paid, and this"
                " one was paid on %(date)s. Refund the customer another way.",
                date=format_date(self.env, paid_in_seoul.date()),
            ))

    def _galaxia_get_refundable_amount(self):
        """Return the balance Odoo knows is left to refund: the amount less confirmed refunds.

        It is the `checksum` sent with every cancel, so PortOne refuses a refund when another
        one happened that Odoo does not know of yet.

        Note: `self.ensure_one()`

        :return: The refundable balance.
        :rtype: float
        """
        self.ensure_one()
        refunds = self.child_transaction_ids.filtered(
            lambda tx: tx.operation == 'refund' and tx.state == 'done'
        )
        return self.amount + sum(refunds.mapped('amount'))  # Refund amounts are negative.

    def _send_refund_request(self):
        """Override of `payment` to cancel the refunded amount at PortOne.

        A PortOne that does not answer leaves the refund pending: the reconciliation job finds it
        in the payment's cancellations.

        Note: `self.ensure_one()` from :meth:`_refund`, which locked the refunded payment

        :raise ValidationError: If PortOne refused the cancel, with PortOne's reason.
        """
        if self.provider_code != 'galaxia':
            return super()._send_refund_request()

        source_tx = self.source_transaction_id
        try:
            payment = self._galaxia_cancel_at_portone()
        except PortOneUnavailable as error:
            _logger.warning(
                "PortOne did not confirm refund %s, left pending: %s", self.reference, error
            )
            self._set_pending(
                state_message=self.env._("Waiting for PortOne to confirm the refund.")
            )
            source_tx._galaxia_schedule_check()
            return
        except PortOneError as error:
            raise ValidationError(self.env._(
                "PortOne refused the refund: %(reason)s", reason=error.message
            )) from error
        _logger.info(
            "PortOne cancelled %s of transaction %s for refund %s:\n%s",
            -self.amount, source_tx.reference, self.reference, Logged(payment.for_log()),
        )
        new_cancellations = source_tx._galaxia_get_unknown_cancellations(payment)
        if not new_cancellations:
            raise ValidationError(self.env._("PortOne did not record the refund."))
        self._galaxia_record_cancellation(new_cancellations[-1], payment)

    def _galaxia_cancel_at_portone(self):
        """Ask PortOne to cancel this refund's amount of the refunded payment: with the balance
        Odoo knows as checksum (PortOne refuses the cancel if it knows another), the tax-free
        share, and for a virtual account the bank account the money goes to.

        Note: `self.ensure_one()`

        :return: The payment after the cancel.
        :rtype: Payment
        :raise PortOneError: If PortOne refused the cancel or could not be asked.
        """
        self.ensure_one()
        source_tx = self.source_transaction_id
        amount = -self.amount
        return self.provider_id._galaxia_get_client().cancel(
            imp_uid=source_tx.provider_reference,
            amount=amount,
            checksum=source_tx._galaxia_get_refundable_amount(),
            reason=self.env._("Refund %(reference)s", reference=self.reference),
            tax_free=(
                round(source_tx.galaxia_tax_free * amount / source_tx.amount)
                if source_tx.galaxia_tax_free else None
            ),
            refund_holder=self.galaxia_refund_holder or None,
            refund_bank=self.galaxia_refund_bank or None,
            refund_account=self.galaxia_refund_account or None,
            refund_tel=self.galaxia_refund_tel or None,
        )

    def _galaxia_find_cancellation(self, payment):
        """Return the cancellation of `payment` this refund transaction stands for.

        Note: `self.ensure_one()`

        :param Payment payment: The refunded payment, as read from PortOne.
        :return: The cancellation, or `None` if PortOne has none under the refund's reference.
        :rtype: CancelHistory|None
        """
        self.ensure_one()
        return next(
            (entry for entry in payment.cancel_history
             if _cancellation_key(entry) == self.galaxia_cancellation_id),
            None,
        )

    def _galaxia_apply_cancellation(self, payment):
        """Confirm the refund transaction if PortOne holds its cancellation.

        Note: `self.ensure_one()`

        :param Payment payment: The refunded payment, as read from PortOne.
        """
        self.ensure_one()
        if self._galaxia_find_cancellation(payment):
            self._set_done()
        else:
            self._set_error(self.env._("PortOne has no record of this refund."))

    def _galaxia_get_unknown_cancellations(self, payment):
        """Return the cancellations of `payment` that no refund transaction records yet.

        Note: `self.ensure_one()`

        :param Payment payment: The transaction's payment, as read from PortOne.
        :return: The unknown cancellations, oldest first.
        :rtype: list[CancelHistory]
        """
        self.ensure_one()
        known = set(self.child_transaction_ids.mapped('galaxia_cancellation_id'))
        return sorted(
            (entry for entry in payment.cancel_history if _cancellation_key(entry) not in known),
            key=lambda entry: entry.cancelled_at,
        )

    def _galaxia_record_cancellations(self, payment):
        """Record as refunds the cancellations Odoo does not know of yet, once each.

        A cancellation made in PortOne's console becomes a new refund transaction; one that
        answers a refund left pending when PortOne did not answer confirms that refund.

        Note: `self.ensure_one()`

        :param Payment payment: The transaction's payment, as read from PortOne.
        """
        self.ensure_one()
        for cancellation in self._galaxia_get_unknown_cancellations(payment):
            refund_tx = self.child_transaction_ids.filtered(
                lambda tx, amount=cancellation.amount: (
                    tx.operation == 'refund'
                    and tx.state in ('draft', 'pending')
                    and not tx.galaxia_cancellation_id
                    and not tx.currency_id.compare_amounts(-tx.amount, amount)
                )
            ).sorted('id')[:1]
            if not refund_tx:
                refund_tx = self._create_child_transaction(cancellation.amount, is_refund=True)
                _logger.info(
                    "Recording refund %s of %s made outside Odoo for transaction %s.",
                    refund_tx.reference, cancellation.amount, self.reference,
                )
            refund_tx._galaxia_record_cancellation(cancellation, payment)

    def _galaxia_record_cancellation(self, cancellation, payment):
        """Make this refund transaction stand for a PortOne cancellation and confirm it.

        The refunded payment's row is written too: a notification or refund that read it before
        and waits for its lock then fails to serialize and starts over, seeing this refund,
        instead of recording the same cancellation again (the unique index stops any that
        would still try).

        Note: `self.ensure_one()`

        :param CancelHistory cancellation: The cancellation, as read from PortOne.
        :param Payment payment: The refunded payment, as read from PortOne.
        """
        self.ensure_one()
        key = _cancellation_key(cancellation)
        self.write({'galaxia_cancellation_id': key, 'provider_reference': key})
        self.source_transaction_id.galaxia_cancel_amount = payment.cancel_amount
        self._process('galaxia', payment)
        self.source_transaction_id._galaxia_schedule_check()


def _cancellation_key(cancellation):
    """Return what identifies a cancellation: PortOne's id, else the PG's, else its time and
    amount (PortOne documents the id but not that every PG returns it).

    :param CancelHistory cancellation: The cancellation.
    :rtype: str
    """
    return (
        cancellation.cancellation_id
        or cancellation.pg_tid
        or f'{cancellation.cancelled_at}:{cancellation.amount}'
    )
