# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

import logging
import re
import secrets
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.urls import urljoin

from odoo.addons.payment.logging import get_payment_logger
from odoo.addons.payment_galaxia import const
from odoo.addons.payment_galaxia.payment_galaxia import rules, verdict
from odoo.addons.payment_galaxia.payment_galaxia.api_objects import Logged, Payment, allowed
from odoo.addons.payment_galaxia.payment_galaxia.errors import (
    PortOneError,
    PortOneNotFound,
    PortOneUnavailable,
)
from odoo.addons.payment_galaxia.payment_galaxia.verdict import Order, Outcome, judge

_logger = get_payment_logger(__name__, const.SENSITIVE_KEYS)

SEOUL = ZoneInfo('Asia/Seoul')


class TransactionBusy(Exception):
    """Another request holds the transaction, and reaches PortOne's state for it."""


class PaymentTransaction(models.Model):
    _inherit = 'payment.transaction'

    galaxia_vbank_name = fields.Char(string="Virtual Account Bank", readonly=True)
    galaxia_vbank_num = fields.Char(string="Virtual Account Number", readonly=True)
    galaxia_vbank_holder = fields.Char(string="Virtual Account Holder", readonly=True)
    galaxia_vbank_due = fields.Datetime(string="Virtual Account Due Date", readonly=True)
    galaxia_receipt_url = fields.Char(string="Receipt URL", readonly=True)
    galaxia_paid_at = fields.Datetime(string="Paid at PortOne", readonly=True)
    galaxia_tax_free = fields.Integer(
        string="Tax-free Amount", help="The tax-free part sent with the payment.", readonly=True
    )
    galaxia_customer_uid = fields.Char(
        string="Billing Key Id",
        help="The customer_uid of the billing key the payment window was asked to issue.",
        readonly=True,
    )

    # === BUSINESS METHODS - PRE-PROCESSING === #

    @api.model
    def _compute_reference(self, provider_code, prefix=None, separator='-', **kwargs):
        """Override of `payment` to make the reference a valid, globally unique `merchant_uid`.

        PortOne refuses a `merchant_uid` that was already paid and finds payments by it, so two
        databases sharing a PortOne account (a copy of production, say) must never produce the
        same one: a random suffix is appended to the usual prefix (e.g. S00012-K3F9X2). The
        result keeps to letters, digits, '-' and '_' and to `rules.MAX_MERCHANT_UID_LENGTH`.

        :param str provider_code: The code of the provider handling the transaction.
        :param str prefix: The custom prefix used to compute the full reference.
        :param str separator: The custom separator used to separate the prefix from the suffix.
        :return: The unique reference for the transaction.
        :rtype: str
        """
        if provider_code != 'galaxia':
            return super()._compute_reference(
                provider_code, prefix=prefix, separator=separator, **kwargs
            )

        prefix = prefix or self.sudo()._compute_reference_prefix(separator, **kwargs) or 'tx'
        prefix = re.sub(r'[^A-Za-z0-9_-]+', '-', prefix).strip('-') or 'tx'
        suffix = secrets.token_hex(const.REFERENCE_SUFFIX_BYTES).upper()
        # Leave room for the suffix, its dash, the sequence number `super` may add (`-99`) and
        # the suffix of a card key window's merchant_uid.
        room = (
            rules.MAX_MERCHANT_UID_LENGTH - len(suffix) - 1
            - const.REFERENCE_SEQUENCE_ROOM - len(const.KEY_ISSUE_SUFFIX)
        )
        return super()._compute_reference(
            provider_code, prefix=f'{prefix[:room]}-{suffix}', separator=separator, **kwargs
        )

    def _get_specific_processing_values(self, processing_values):
        """Override of `payment` to return the `IMP.request_pay` parameters of the transaction.

        Note: `self.ensure_one()` from `_get_processing_values`

        :param dict processing_values: The generic processing values of the transaction.
        :return: The provider-specific processing values, empty if the window cannot be opened
                 (the transaction is then in error with the reason).
        :rtype: dict
        """
        if self.provider_code != 'galaxia':
            return super()._get_specific_processing_values(processing_values)
        if self.operation == 'online_token':
            return {}  # Charged from the server with the billing key: no window.
        try:
            request_pay = self._galaxia_build_request_pay()
        except ValidationError as error:
            self._set_error(str(error))
            return {}
        return {
            'galaxia_merchant_code': self.provider_id.galaxia_merchant_code,
            'galaxia_sdk_url': self.provider_id.galaxia_sdk_url,
            'galaxia_request_pay': request_pay,
            # Galaxia wants it from iOS apps only, which only the page itself can tell.
            'galaxia_app_scheme': self.provider_id.galaxia_app_scheme or False,
        }

    def _galaxia_build_request_pay(self):
        """Build the window's `IMP.request_pay` parameter by Galaxia's rules, and register its
        amount at PortOne (`/payments/prepare`) so that PortOne itself refuses a window opened
        with any other amount.

        Note: `self.ensure_one()`

        :return: The parameter.
        :rtype: dict
        :raise ValidationError: If Galaxia cannot do what is asked or PortOne refused the amount,
                                in the customer's words.
        """
        self.ensure_one()
        flow = self._galaxia_get_flow()
        if not flow:
            raise ValidationError(self.env._(
                "Galaxia MoneyTree saves a mobile phone only together with a payment: tick \"Save"
                " my payment details\" when you pay an order with it."
            ))
        if flow != rules.FLOW_ONE_TIME and not self.galaxia_customer_uid:
            self.galaxia_customer_uid = f'{self._galaxia_get_customer_id()}-{secrets.token_hex(5)}'
        try:
            request_pay = rules.build_request_pay(self._galaxia_prepare_payment_request(flow))
        except rules.GalaxiaRuleError as error:
            _logger.warning("Galaxia refuses transaction %s: %s", self.reference, error.code)
            raise ValidationError(self.provider_id._galaxia_rule_message(error)) from error
        self.galaxia_tax_free = request_pay.get('tax_free', 0)
        _logger.info(
            "Opening the Galaxia window for transaction %s with:\n%s",
            self.reference, Logged(allowed(request_pay, const.LOGGED_REQUEST_PAY_KEYS)),
        )
        if request_pay['amount']:  # A card key window charges nothing: nothing to register.
            self._galaxia_register_amount(request_pay)
        return request_pay

    def _galaxia_register_amount(self, request_pay):
        """Register the window's amount at PortOne (`/payments/prepare`).

        Note: `self.ensure_one()`

        :param dict request_pay: The window's parameter.
        :raise ValidationError: If PortOne refused it or could not be asked.
        """
        self.ensure_one()
        try:
            self.provider_id._galaxia_get_client().prepare(
                request_pay['merchant_uid'], request_pay['amount']
            )
        except PortOneError as error:
            _logger.warning("PortOne refused the amount of %s: %s", self.reference, error)
            raise ValidationError(self.env._(
                "The payment could not be registered with PortOne: %(reason)s",
                reason=error.message,
            )) from error

    def _galaxia_get_flow(self):
        """Return what the payment window must do: pay, issue a card key, or issue a phone key
        and pay.

        Card keys are issued without a charge (the order is then charged with the key); phone
        keys only together with a payment, so a phone cannot be saved on its own.

        Note: `self.ensure_one()`

        :return: A `rules.FLOW_*` value, or `None` if Galaxia cannot do what is asked.
        :rtype: str|None
        """
        self.ensure_one()
        pay_method = const.PAYMENT_METHODS_MAPPING.get(self.payment_method_code)
        saves_method = self.operation == 'validation' or self.tokenize
        if not saves_method:
            return rules.FLOW_ONE_TIME
        if pay_method == 'card':
            return rules.FLOW_CARD_BILLING_KEY
        if pay_method == 'phone' and self.operation != 'validation':
            return rules.FLOW_PHONE_BILLING_KEY
        return None if self.operation == 'validation' else rules.FLOW_ONE_TIME

    def _galaxia_get_key_issue_merchant_uid(self):
        """Return the `merchant_uid` of the window that issues the transaction's card key.

        The key window's (zero) payment and the charge made with the key are two PortOne payments,
        and a `merchant_uid` names one payment only; the order keeps the reference for the charge.

        Note: `self.ensure_one()`

        :return: The reference with the key suffix.
        :rtype: str
        """
        self.ensure_one()
        return f'{self.reference}{const.KEY_ISSUE_SUFFIX}'

    def _galaxia_get_customer_id(self):
        """Return Galaxia's `customer_id` of the transaction's customer (stable per database).

        Note: `self.ensure_one()`

        :return: The customer id.
        :rtype: str
        """
        self.ensure_one()
        return rules.derive_customer_id(
            self.partner_id.commercial_partner_id.id,
            self.env['ir.config_parameter'].sudo().get_param('database.uuid'),
        )

    def _galaxia_get_return_url(self):
        """Return the URL the window comes back to, the return route.

        It carries no secret (it reaches access logs and browser histories): the customer's
        own browser is known by its session, which monitors the transaction.

        Note: `self.ensure_one()`

        :return: The return URL (also the mobile `m_redirect_url`).
        :rtype: str
        """
        self.ensure_one()
        return urljoin(self.provider_id.get_base_url(), const.RETURN_ROUTE)

    def _galaxia_prepare_payment_request(self, flow=rules.FLOW_ONE_TIME):
        """Gather the order facts the Galaxia rules turn into `IMP.request_pay` parameters.

        Note: `self.ensure_one()`

        :param str flow: What the window must do, a `rules.FLOW_*` value.
        :return: The payment request.
        :rtype: rules.PaymentRequest
        """
        self.ensure_one()
        provider = self.provider_id
        base_url = provider.get_base_url()
        pay_method = const.PAYMENT_METHODS_MAPPING.get(self.payment_method_code)
        tax_free, vat_amount = self._galaxia_get_tax_split()
        today_in_seoul = datetime.now(SEOUL).date()
        issues_card_key = flow == rules.FLOW_CARD_BILLING_KEY
        return rules.PaymentRequest(
            channel_key=provider.galaxia_channel_key,
            merchant_uid=(
                self._galaxia_get_key_issue_merchant_uid() if issues_card_key else self.reference
            ),
            amount=self.amount,
            currency=self.currency_id.name,
            name=self._galaxia_get_order_name(),
            pay_method=pay_method,
            flow=flow,
            customer_uid=self.galaxia_customer_uid or None,
            customer_id=self._galaxia_get_customer_id(),
            buyer_name=self.partner_name,
            buyer_email=self.partner_email,
            buyer_tel=self.partner_phone,
            buyer_addr=self.partner_address,
            buyer_postcode=self.partner_zip,
            m_redirect_url=self._galaxia_get_return_url(),
            notice_url=urljoin(base_url, const.WEBHOOK_ROUTE),
            card_quota=provider._galaxia_get_card_quota() if pay_method == 'card' else None,
            card_direct=(
                {'code': provider.galaxia_card_direct_code, 'quota': 0}
                if pay_method == 'card' and provider.galaxia_card_direct_code else None
            ),
            phone_carrier=provider.galaxia_phone_carrier if pay_method == 'phone' else None,
            escrow=provider.galaxia_escrow and pay_method in rules.ESCROW_PAY_METHODS,
            vbank_due=(
                today_in_seoul + timedelta(days=provider.galaxia_vbank_validity_days)
                if pay_method == 'vbank' else None
            ),
            item_code=provider.galaxia_item_code or None,
            tax_free=tax_free,
            vat_amount=vat_amount,
        )

    def _galaxia_get_document_lines(self):
        """Return the product lines of the sales orders or invoices paid by the transaction.

        This module depends on `payment` only: the documents are reached through the fields
        `sale` and `account_payment` add when they are installed.

        :return: The documents and their product lines, as a pair of recordsets, or `(None, None)`
                 when the transaction pays no document.
        :rtype: tuple
        """
        if 'sale_order_ids' in self._fields and self.sale_order_ids:
            orders = self.sale_order_ids
            return orders, orders.order_line.filtered(lambda line: not line.display_type)
        if 'invoice_ids' in self._fields and self.invoice_ids:
            invoices = self.invoice_ids
            return invoices, invoices.invoice_line_ids.filtered(
                lambda line: line.display_type == 'product'
            )
        return None, None

    def _galaxia_get_tax_split(self):
        """Return the tax-free part and the VAT of the transaction's amount.

        Korean receipts separate them: lines without a positive tax are the tax-free part, and
        the VAT is what the taxes add to the taxed lines. When the transaction pays only part of
        its documents (a down payment, say), both are scaled to the paid share.

        :return: The tax-free amount and the VAT amount, in whole KRW, or `(None, None)` when the
                 transaction pays no document (PortOne then derives the VAT from the amount).
        :rtype: tuple
        """
        documents, lines = self._galaxia_get_document_lines()
        if not lines:
            return None, None
        taxed = lines.filtered(lambda line: any(tax.amount > 0 for tax in line.tax_ids))
        tax_free = sum((lines - taxed).mapped('price_total'))
        vat_amount = sum(taxed.mapped('price_total')) - sum(taxed.mapped('price_subtotal'))
        documents_total = sum(documents.mapped('amount_total'))
        share = self.amount / documents_total if documents_total else 1
        tax_free = min(round(tax_free * share), int(self.amount))
        vat_amount = min(round(vat_amount * share), int(self.amount) - tax_free)
        return tax_free, vat_amount

    def _galaxia_get_order_name(self):
        """Return the order name shown in the payment window and on the receipt.

        :return: The first product's name, with the count of the others, within Galaxia's limit;
                 the reference when the transaction pays no document.
        :rtype: str
        """
        _documents, lines = self._galaxia_get_document_lines()
        if lines and 'is_delivery' in lines._fields:
            lines = lines.filtered(lambda line: not line.is_delivery)  # Shipping is no product.
        product_names = lines.product_id.mapped('name') if lines else []
        if not product_names:
            return self.reference
        others = len(product_names) - 1
        first = product_names[0]
        if others:
            suffix = self.with_context(lang=self.partner_lang).env._(
                " and %(count)s more", count=others
            )
        else:
            suffix = ''
        return first[:rules.MAX_NAME_LENGTH - len(suffix)] + suffix

    # === BUSINESS METHODS - PROCESSING === #

    def _galaxia_process_from_portone(self, imp_uid=None):
        """Re-read the transaction's payment at PortOne and process what PortOne says.

        Return routes and webhooks only tell which payment changed; this is the only path by
        which they change a transaction. The transaction's row is locked first, so a webhook and
        a return arriving together (or duplicated webhooks) are processed one after the other,
        the second finding the state already applied.

        Note: `self.ensure_one()`

        :param str imp_uid: The PortOne payment id when known; else the payment the transaction
                            settled on, or the newest of its `merchant_uid`s.
        :return: The payment PortOne returned.
        :rtype: Payment
        :raise PortOneNotFound: If PortOne has no such payment (the transaction is unchanged).
        :raise PortOneError: If PortOne could not be asked (the transaction is unchanged).
        :raise TransactionBusy: If another request is processing the transaction.
        """
        self.ensure_one()
        self._galaxia_lock()
        try:
            payment = self._galaxia_fetch_payment(imp_uid)
        except PortOneNotFound:
            _logger.warning(
                "PortOne has no payment %s for transaction %s.", imp_uid or '', self.reference
            )
            raise
        _logger.info(
            "Processing PortOne payment for transaction %s:\n%s",
            self.reference, Logged(payment.for_log()),
        )
        self._process('galaxia', payment)
        return payment

    def _galaxia_is_final_on(self, imp_uid, status, cancellation_id=None):
        """Return whether the transaction is done on the very payment and status a notification
        names, which then changes nothing. A notification of a cancel is never such: a partial
        cancel keeps the payment `paid` and names its `cancellation_id`.

        Note: `self.ensure_one()`

        :param str imp_uid: The payment the notification names.
        :param str status: The status it claims.
        :param str cancellation_id: The cancellation it names, if any.
        :rtype: bool
        """
        self.ensure_one()
        return bool(
            imp_uid and not cancellation_id and status == 'paid'
            and self.state == 'done' and self.provider_reference == imp_uid
        )

    def _galaxia_lock(self, wait=False):
        """Lock the transaction's row until the end of the database transaction.

        The lock does not block rows that only reference the transaction (its refunds, its
        orders). A notification does not wait for it: whoever holds it is asking PortOne about
        the same payment, and PortOne, the customer or the reconciliation job come back. What
        was read of the row before stays true: the database transaction reads one snapshot, and
        a row changed since then is not locked but refused (a serialization failure).

        Note: `self.ensure_one()`

        :param bool wait: Wait for the request holding the row (a refund), instead of giving up.
        :raise TransactionBusy: If another request holds the row and `wait` is false; the
                                database transaction is then aborted: the caller rolls it back,
                                or took a savepoint.
        :raise psycopg2.errors.SerializationFailure: If another request changed the row since
                                                     this one began: it must start over.
        """
        self.ensure_one()
        query = 'SELECT 1 FROM payment_transaction WHERE id = %s FOR NO KEY UPDATE'
        try:
            # Both failures are expected and handled by the caller: no database error to log.
            self.env.cr.execute(
                query if wait else f'{query} NOWAIT', [self.id], log_exceptions=False
            )
        except psycopg2.errors.LockNotAvailable as error:
            raise TransactionBusy(self.reference) from error

    def _galaxia_fetch_payment(self, imp_uid=None):
        """Read the transaction's payment at PortOne, with the sandbox's when in test mode.

        Note: `self.ensure_one()`

        :param str imp_uid: The PortOne payment id; if `None`, the payment the transaction
                            settled on, else the newest payment of each of its `merchant_uid`s,
                            the order's first.
        :return: The payment.
        :rtype: Payment
        :raise PortOneError: If PortOne has no such payment or could not be asked.
        """
        self.ensure_one()
        client = self.provider_id._galaxia_get_client()
        include_sandbox = self.provider_id.state == 'test'
        imp_uid = imp_uid or self._galaxia_get_order().settled_imp_uid
        if imp_uid:
            return client.get_payment(imp_uid, include_sandbox=include_sandbox)
        *earlier_uids, last_uid = self._galaxia_get_merchant_uids()
        for merchant_uid in earlier_uids:
            try:
                return client.find_payment(merchant_uid, include_sandbox=include_sandbox)
            except PortOneNotFound:
                continue
        return client.find_payment(last_uid, include_sandbox=include_sandbox)

    def _galaxia_issues_card_key(self):
        """:return: Whether the transaction's window issues a card key (charged afterwards).
        :rtype: bool"""
        self.ensure_one()
        return bool(self.galaxia_customer_uid) and self.payment_method_code == 'card'

    def _galaxia_get_merchant_uids(self):
        """Return the `merchant_uid`s under which PortOne may hold the transaction's payments.

        Note: `self.ensure_one()`

        :return: The reference, and the card key window's when the window issued a card key.
        :rtype: list[str]
        """
        self.ensure_one()
        if self._galaxia_issues_card_key():
            return [self.reference, self._galaxia_get_key_issue_merchant_uid()]
        return [self.reference]

    def _galaxia_get_order(self):
        """Return what the transaction expects of its payment, for the verdict.

        Note: `self.ensure_one()`

        :return: The order as `verdict.judge` takes it.
        :rtype: Order
        """
        self.ensure_one()
        settled = self.state in ('pending', 'done') and self.provider_reference
        return Order(
            merchant_uid=self.reference,
            amount=self.currency_id.round(self.amount),
            currency=self.currency_id.name,
            live=self.provider_id.state != 'test',
            key_merchant_uid=(
                self._galaxia_get_key_issue_merchant_uid()
                if self._galaxia_issues_card_key() else None
            ),
            customer_uid=self.galaxia_customer_uid or None,
            settled_imp_uid=self.provider_reference if settled else None,
            done=self.state == 'done',
        )

    def _send_payment_request(self):
        """Override of `payment` to charge the transaction with its token's billing key.

        A PortOne that does not answer leaves the transaction pending: the charge may have gone
        through, and the reconciliation job will find it by the reference.

        Note: `self.ensure_one()` from :meth:`_charge_with_token`

        :raise ValidationError: If PortOne refused the charge.
        """
        if self.provider_code != 'galaxia':
            return super()._send_payment_request()

        request = self._galaxia_prepare_payment_request()
        try:
            payment = self.provider_id._galaxia_get_client().charge_billing_key(
                customer_uid=self.token_id.provider_ref,
                merchant_uid=self.reference,
                amount=request.amount,
                name=request.name,
                tax_free=request.tax_free,
                vat_amount=request.vat_amount,
                buyer_name=request.buyer_name,
                buyer_email=request.buyer_email,
                buyer_tel=request.buyer_tel,
                buyer_addr=request.buyer_addr,
                buyer_postcode=request.buyer_postcode,
                notice_url=request.notice_url,
            )
        except PortOneUnavailable as error:
            _logger.warning(
                "PortOne did not confirm the charge of transaction %s, left pending: %s",
                self.reference, error,
            )
            self._set_pending(state_message=self.env._(
                "Waiting for PortOne to confirm the payment."
            ))
            return
        except PortOneError as error:
            raise ValidationError(self.env._(
                "PortOne refused to charge the saved payment method: %(reason)s",
                reason=error.message,
            )) from error
        self.galaxia_tax_free = request.tax_free or 0
        _logger.info(
            "Charged transaction %s with its billing key:\n%s",
            self.reference, Logged(payment.for_log()),
        )
        self._process('galaxia', payment)

    @api.model
    def _extract_reference(self, provider_code, payment_data):
        """Override of `payment` to extract the reference from the payment data.

        The payment of a card key window carries the reference with the key suffix.
        """
        if provider_code != 'galaxia':
            return super()._extract_reference(provider_code, payment_data)
        merchant_uid = payment_data.get('merchant_uid')
        if isinstance(merchant_uid, str) and merchant_uid.endswith(const.KEY_ISSUE_SUFFIX):
            return merchant_uid.removesuffix(const.KEY_ISSUE_SUFFIX)
        return merchant_uid

    def _extract_amount_data(self, payment_data):
        """Override of `payment` to check refunds against their own cancellation, and to leave
        payments to the verdict.

        The verdict (`verdict.judge`, in `_apply_updates`) checks a payment's amount together
        with its currency, order id and sandbox flag, and its refusal stays final, where the
        framework's check only errors the transaction once and lets `_set_done` follow it.
        A refund missing from PortOne's cancellations has no amount: the framework refuses it.
        """
        if self.provider_code != 'galaxia':
            return super()._extract_amount_data(payment_data)
        if self.operation != 'refund':
            return None
        payment = _as_payment(payment_data)
        cancellation = self._galaxia_find_cancellation(payment)
        return {
            'amount': cancellation.amount if cancellation else None,
            'currency_code': payment.currency,
            'precision_digits': 0,
        }

    def _apply_updates(self, payment_data):
        """Override of `payment` to update the transaction from the verdict on PortOne's
        payment.

        The fields a payment sets (its id, receipt, virtual account) are written only with the
        state they belong to, so that a payment that does not move the transaction (an older
        attempt, a duplicate) leaves nothing of itself behind.
        """
        if self.provider_code != 'galaxia':
            return super()._apply_updates(payment_data)

        payment = _as_payment(payment_data)
        if self.operation == 'refund':
            self._galaxia_apply_cancellation(payment)
            return
        outcome, reason = judge(payment, self._galaxia_get_order())
        # What PortOne holds for the order wins over an earlier attempt's failure or cancel.
        unsettled = ('error', 'cancel')
        if outcome == Outcome.DONE:
            self._galaxia_set_state(self._set_done, payment, extra_allowed_states=unsettled)
            if self.state == 'done' and payment.cancel_history:  # Partially cancelled already.
                self._galaxia_record_cancellations(payment)
        elif outcome == Outcome.PENDING:
            self._galaxia_set_state(self._set_pending, payment, extra_allowed_states=unsettled)
        elif outcome == Outcome.KEY_ISSUED:
            self._galaxia_use_issued_key(payment)
        elif outcome == Outcome.ERROR:
            self._galaxia_set_state(
                self._set_error, payment,
                state_message=payment.fail_reason or self.env._("The payment failed."),
            )
        elif outcome == Outcome.CANCELED and self.state == 'done':
            self._galaxia_record_cancellations(payment)  # Refunded after it was paid.
        elif outcome == Outcome.CANCELED:
            self._galaxia_set_state(
                self._set_canceled, payment, state_message=payment.cancel_reason
            )
        elif outcome == Outcome.REFUSED:
            self._galaxia_refuse(payment, reason)
        elif outcome == Outcome.UNKNOWN:
            self._galaxia_set_state(self._set_error, payment, state_message=self.env._(
                "Received data with invalid payment status: %(status)s", status=payment.status
            ))
        _logger.log(
            logging.INFO if outcome not in (Outcome.IGNORED, Outcome.UNKNOWN) else logging.WARNING,
            "Payment %s (%s, of order %s) is %s for transaction %s, now %s%s.",
            payment.imp_uid, payment.status, payment.merchant_uid, outcome.value, self.reference,
            self.state, f': {reason}' if reason else '',
        )

    def _galaxia_set_state(self, set_state, payment, **kwargs):
        """Move the transaction to a state and, if it moved, record the payment that moved it,
        schedule its next check and, for a payment made or promised, its post-processing.

        Note: `self.ensure_one()`

        :param callable set_state: The framework's `_set_*` method of the state.
        :param Payment payment: The payment, as read from PortOne.
        :param dict kwargs: What `set_state` takes besides.
        """
        self.ensure_one()
        if set_state(**kwargs):
            # A transaction that just became done has no refund waiting: nothing to check.
            self.galaxia_next_check = self.state != 'done' and self._galaxia_get_next_check()
            if self.state in ('pending', 'done'):
                # Odoo post-processes (confirms the order, sends its e-mails) when the customer's
                # status page polls, or every 10 minutes: a notification without the customer
                # has the job run now, after this answer.
                self.env['ir.cron'].browse(self.env['ir.model.data']._xmlid_to_res_id(
                    'payment.cron_post_process_payment_tx'
                ))._trigger()  # By its cached id: env.ref would check it exists every time.
            self.write({
                'provider_reference': payment.imp_uid,
                'galaxia_receipt_url': payment.receipt_url,
                'galaxia_paid_at': _datetime(payment.paid_at),
                'galaxia_vbank_name': payment.vbank_name,
                'galaxia_vbank_num': payment.vbank_num,
                'galaxia_vbank_holder': payment.vbank_holder,
                'galaxia_vbank_due': _datetime(payment.vbank_date),
            })

    def _galaxia_refuse(self, payment, reason):
        """Set the transaction in error because of a payment that does not pay it, saying why.

        A transaction already in error (an earlier failed attempt) keeps its state and now says
        why this payment was refused.

        Note: `self.ensure_one()`

        :param Payment payment: The refused payment, as read from PortOne.
        :param str reason: Why the verdict refused it, a `verdict` constant.
        """
        self.ensure_one()
        _logger.warning(
            "Refused payment %s for transaction %s: %s (%s %s).",
            payment.imp_uid, self.reference, reason, payment.amount, payment.currency,
        )
        if reason == verdict.SANDBOX_PAYMENT:
            message = self.env._(
                "PortOne payment %(imp_uid)s was made on a test channel: it cannot pay a live"
                " order.", imp_uid=payment.imp_uid,
            )
        elif reason == verdict.CURRENCY_MISMATCH:
            message = self.env._(
                "PortOne payment %(imp_uid)s is in %(currency)s, not in %(expected)s.",
                imp_uid=payment.imp_uid, currency=payment.currency, expected=self.currency_id.name,
            )
        else:
            message = self.env._(
                "PortOne payment %(imp_uid)s is of %(amount)s, not of the order's %(expected)s.",
                imp_uid=payment.imp_uid, amount=payment.amount,
                expected=self.currency_id.format(self.amount),
            )
        if self.state == 'error':
            self.state_message = message
        else:
            self._galaxia_set_state(self._set_error, payment, state_message=message)

    def _galaxia_use_issued_key(self, payment):
        """Save the card key the window issued and, for an order, charge it with the key.

        The key window and its notification may both come back: the first one saves and charges,
        the next ones find the token already there.

        Note: `self.ensure_one()`

        :param Payment payment: The key window's payment, as the verdict accepted it.
        """
        self.ensure_one()
        if self.operation == 'validation':
            self._galaxia_set_state(self._set_done, payment)  # `_process` saves the token.
        elif self.token_id:
            _logger.info("The key of transaction %s was already used to pay it.", self.reference)
        else:
            self._tokenize(payment)
            self._charge_with_token()

    def _extract_token_values(self, payment_data):
        """Override of `payment` to save the billing key PortOne issued.

        :return: The token's `provider_ref` (the `customer_uid`) and the last digits shown to the
                 customer (the card's, or the phone's for a phone key); nothing when the payment
                 carries another key than the one the transaction asked for.
        :rtype: dict
        """
        if self.provider_code != 'galaxia':
            return super()._extract_token_values(payment_data)

        payment = _as_payment(payment_data)
        if not payment.customer_uid or payment.customer_uid != self.galaxia_customer_uid:
            _logger.warning(
                "PortOne issued not the billing key transaction %s asked for.", self.reference
            )
            return {}
        digits = re.sub(r'\D', '', payment.card_number or payment.buyer_tel or '')
        return {
            'provider_ref': payment.customer_uid,
            'payment_details': digits[-4:],
        }

    # === BUSINESS METHODS - POST-PROCESSING === #

    def _post_process(self):
        """Override of `payment` to e-mail the customer the virtual account to pay into, with
        the pending order notice: the page that showed it may be long closed."""
        result = super()._post_process()
        template = self.env.ref('payment_galaxia.mail_template_vbank_account')
        for tx in self.filtered(
            lambda tx: tx.provider_code == 'galaxia' and tx.state == 'pending'
            and tx.galaxia_vbank_num
        ):
            template.send_mail(tx.id)
        return result


def _as_payment(payment_data):
    """Return the payment data as a `Payment`: this module passes the payment it parsed once per
    notification through `_process`; a dict (from a test, say) is parsed here.

    :param Payment|dict payment_data: The payment, as `_process` received it.
    :rtype: Payment
    """
    return payment_data if isinstance(payment_data, Payment) else Payment.from_api(payment_data)


def _datetime(timestamp):
    """:return: PortOne's Unix timestamp as a naive UTC datetime, `False` for 0 (never)."""
    return datetime.fromtimestamp(timestamp, UTC).replace(tzinfo=None) if timestamp else False
