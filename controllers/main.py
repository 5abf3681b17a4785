# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

import contextlib
import json

from werkzeug.exceptions import BadRequest, Forbidden

from odoo import http
from odoo.http import request

from odoo.addons.payment.controllers.post_processing import PaymentPostProcessing
from odoo.addons.payment.logging import get_payment_logger
from odoo.addons.payment_galaxia import const
from odoo.addons.payment_galaxia.models.payment_transaction import TransactionBusy
from odoo.addons.payment_galaxia.payment_galaxia.api_objects import Logged, allowed
from odoo.addons.payment_galaxia.payment_galaxia.errors import PortOneError, PortOneNotFound

_logger = get_payment_logger(__name__, const.SENSITIVE_KEYS)


class GalaxiaController(http.Controller):

    @http.route(
        const.RETURN_ROUTE, type='http', auth='public', methods=['GET', 'POST'], csrf=False,
        save_session=False,
    )
    def galaxia_return(self, **data):
        """Process the customer's return from the payment window and answer with the verdict.

        PC windows post the callback's `imp_uid` and `merchant_uid` here, whatever else the
        callback holds; mobile windows redirect here with them in the query string. Neither is
        trusted, nor any success flag: the payment is re-read at PortOne. A window that ended
        without a payment PortOne holds (declined before a payment existed, refused, closed,
        still open), reported by the customer's own browser (its session monitors the
        transaction since the checkout created it), sets the transaction in error; a later
        payment still counts.

        :param dict data: `imp_uid`, `merchant_uid`, `error_msg`, and `mode=json` when the
                          checkout wants the verdict instead of a redirection.
        :return: A redirection to the status page or, in JSON mode, `{redirect_url}` when PortOne
                 holds a payment for the order (or could not be asked), else `{error}`.
        """
        _logger.info(
            "Handling return from the Galaxia window with data:\n%s",
            Logged(allowed(data, const.LOGGED_NOTIFICATION_KEYS)),
        )
        tx_sudo = self._galaxia_find_transaction(data)
        # A return says the window ended with this payment: as a claim, that it is paid.
        verified = bool(tx_sudo) and self._galaxia_verify(tx_sudo, {**data, 'status': 'paid'})
        owner = tx_sudo and (
            request.session.get(PaymentPostProcessing.MONITORED_TX_ID_KEY) == tx_sudo.id
        )
        if verified and owner and tx_sudo.state == 'draft':
            tx_sudo._set_error(
                data.get('error_msg') or request.env._("The payment was not completed.")
            )
        if data.get('mode') != 'json':
            return request.redirect('/payment/status')
        if not tx_sudo or (verified and tx_sudo.state not in ('pending', 'authorized', 'done')):
            server_message = owner and tx_sudo.state == 'error' and tx_sudo.state_message
            return request.make_json_response({'error': data.get('error_msg') or server_message
                                               or request.env._("The payment was not completed.")})
        return request.make_json_response({'redirect_url': '/payment/status'})

    @http.route(const.WEBHOOK_ROUTE, type='http', auth='public', methods=['POST'], csrf=False)
    def galaxia_webhook(self):
        """Process PortOne's notification that a payment changed.

        The body (JSON or form-encoded, as set in PortOne's console) only says which payment
        changed; V1 notifications are not signed, so the payment is re-read at PortOne. Every
        body that can be parsed is acknowledged with HTTP 200 so that PortOne stops resending
        it; what is ignored and why is logged.

        :return: An empty JSON answer.
        :raise BadRequest: If the body is neither JSON nor a form with `merchant_uid`.
        :raise Forbidden: If the sender's address is not allowed by the provider.
        """
        data = self._galaxia_parse_webhook()
        _logger.info(
            "Webhook notification received from PortOne:\n%s",
            Logged(allowed(data, const.LOGGED_NOTIFICATION_KEYS)),
        )
        tx_sudo = self._galaxia_find_transaction(data)
        if tx_sudo:
            self._galaxia_check_sender(tx_sudo.provider_id)
            self._galaxia_verify(tx_sudo, data)
        return request.make_json_response('')

    @classmethod
    def _galaxia_verify(cls, tx_sudo, data):
        """Have the transaction process what PortOne says of the payment the data names, unless
        the transaction is already final on that very payment and status: a claim that would
        change nothing can do no harm, unsigned as it is, and costs no call to PortOne.

        :param payment.transaction tx_sudo: The transaction of the order the data names.
        :param dict data: The notification (`imp_uid`, `status`, `cancellation_id`).
        :return: Whether PortOne's word on the payment is known (it may be that it has none),
                 as opposed to PortOne or the transaction not being available now.
        :rtype: bool
        """
        imp_uid = cls._galaxia_get_imp_uid(data)
        if tx_sudo._galaxia_is_final_on(imp_uid, data.get('status'), data.get('cancellation_id')):
            _logger.info("Transaction %s is already done on %s.", tx_sudo.reference, imp_uid)
            return True
        try:
            # No payment at PortOne (a window that ended before one existed, say) is an answer.
            with contextlib.suppress(PortOneNotFound):
                tx_sudo._galaxia_process_from_portone(imp_uid=imp_uid)
        except TransactionBusy as error:
            request.env.cr.rollback()  # Nothing was done; the failed lock aborted the rest.
            cls._galaxia_log_unverified(tx_sudo, error)
            return False
        except PortOneError as error:
            cls._galaxia_log_unverified(tx_sudo, error)
            return False
        return True

    @staticmethod
    def _galaxia_parse_webhook():
        """Read the webhook body, JSON or form-encoded.

        :return: The notification's fields.
        :rtype: dict
        :raise BadRequest: If the body cannot be read or names no order.
        """
        httprequest = request.httprequest
        if httprequest.mimetype == 'application/json':
            try:
                data = json.loads(httprequest.get_data(as_text=True))
            except ValueError:
                data = None
        else:
            data = httprequest.form.to_dict()
        if not isinstance(data, dict) or not isinstance(data.get('merchant_uid'), str):
            _logger.warning(
                "Refused a PortOne notification without a readable merchant_uid (%s, %s bytes).",
                httprequest.mimetype, httprequest.content_length,
            )
            raise BadRequest
        return data

    @staticmethod
    def _galaxia_find_transaction(data):
        """Find the Galaxia transaction of the order named in the data.

        :param dict data: The data with `merchant_uid`.
        :return: The sudoed transaction, or an empty recordset (logged) if there is none.
        :rtype: payment.transaction
        """
        merchant_uid = data.get('merchant_uid')
        if not isinstance(merchant_uid, str) or not merchant_uid:
            _logger.warning("Ignored data without merchant_uid.")
            return request.env['payment.transaction'].sudo()
        return request.env['payment.transaction'].sudo()._search_by_reference(
            'galaxia', {'merchant_uid': merchant_uid}
        )

    @staticmethod
    def _galaxia_check_sender(provider_sudo):
        """Refuse notifications from outside PortOne's addresses when the provider asks so.

        :param payment.provider provider_sudo: The provider of the notified transaction.
        :raise Forbidden: If the sender is not one of PortOne's webhook addresses.
        """
        remote_addr = request.httprequest.remote_addr
        if provider_sudo.galaxia_check_webhook_ip and remote_addr not in const.WEBHOOK_IPS:
            _logger.warning("Refused a PortOne notification sent from %s.", remote_addr)
            raise Forbidden

    @staticmethod
    def _galaxia_get_imp_uid(data):
        """Return the PortOne payment id of the data, if it carries a usable one.

        :param dict data: The received data.
        :return: The `imp_uid`, or `None` to look the payment up by `merchant_uid`.
        :rtype: str|None
        """
        imp_uid = data.get('imp_uid')
        return imp_uid if isinstance(imp_uid, str) and imp_uid not in ('', 'null') else None

    @staticmethod
    def _galaxia_log_unverified(tx_sudo, error):
        """Log that the transaction could not be verified now, and is left as it is.

        The request holding it, the next notification, the customer's return or the
        reconciliation job will get there.

        :param payment.transaction tx_sudo: The transaction.
        :param Exception error: What PortOne answered or why it could not be reached
                                (`PortOneError`), or that another request holds the transaction
                                (`TransactionBusy`).
        """
        if isinstance(error, TransactionBusy):
            _logger.info(
                "Transaction %s is being processed by another request, left to it.",
                tx_sudo.reference,
            )
            return
        _logger.warning(
            "Could not verify transaction %s with PortOne, left %s: %s",
            tx_sudo.reference, tx_sudo.state, error,
        )
