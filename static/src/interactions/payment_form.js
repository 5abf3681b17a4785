/* global IMP */

import { loadJS } from '@web/core/assets';
import { _t } from '@web/core/l10n/translation';
import { patch } from '@web/core/utils/patch';

import { PaymentForm } from '@payment/interactions/payment_form';

// `IMP.init` binds the SDK to one merchant: do it once per merchant code, not per payment.
let initializedMerchantCode = null;

patch(PaymentForm.prototype, {

    // === DOM MANIPULATION ===

    /**
     * Use the direct flow for Galaxia: the payment window opens over the checkout.
     *
     * @override method from @payment/interactions/payment_form
     * @private
     * @param {number} providerId - The id of the selected payment option's provider.
     * @param {string} providerCode - The code of the selected payment option's provider.
     * @param {number} paymentOptionId - The id of the selected payment option.
     * @param {string} paymentMethodCode - The code of the selected payment method, if any.
     * @param {string} flow - The online payment flow of the selected payment option.
     * @return {void}
     */
    async _prepareInlineForm(providerId, providerCode, paymentOptionId, paymentMethodCode, flow) {
        if (providerCode !== 'galaxia') {
            await super._prepareInlineForm(...arguments);
            return;
        }
        if (flow === 'token') {
            return; // Saved billing keys are charged from the server.
        }
        this._setPaymentFlow('direct');
    },

    // === PAYMENT FLOW ===

    /**
     * Open PortOne's payment window with the parameters the server built for the transaction.
     *
     * @override method from @payment/interactions/payment_form
     * @private
     * @param {string} providerCode - The code of the selected payment option's provider.
     * @param {number} paymentOptionId - The id of the selected payment option.
     * @param {string} paymentMethodCode - The code of the selected payment method, if any.
     * @param {object} processingValues - The processing values of the transaction.
     * @return {void}
     */
    async _processDirectFlow(providerCode, paymentOptionId, paymentMethodCode, processingValues) {
        if (providerCode !== 'galaxia') {
            await super._processDirectFlow(...arguments);
            return;
        }
        try {
            await this.waitFor(loadJS(processingValues.galaxia_sdk_url));
        } catch {
            this._displayErrorDialog(
                _t("Payment processing failed"),
                _t("The payment window could not be loaded. Please try again later."),
            );
            this._enableButton();
            return;
        }
        if (initializedMerchantCode !== processingValues.galaxia_merchant_code) {
            IMP.init(processingValues.galaxia_merchant_code);
            initializedMerchantCode = processingValues.galaxia_merchant_code;
        }
        const requestPay = processingValues.galaxia_request_pay;
        IMP.request_pay(requestPay, (rsp) => this._galaxiaHandleResponse(requestPay, rsp));
    },

    /**
     * Hand the window's answer to the server, which asks PortOne what really happened.
     *
     * On success the browser follows the return route to the status page. Otherwise the server
     * records the failure, and the customer sees why and can try again.
     *
     * @private
     * @param {object} requestPay - The parameters the window was opened with.
     * @param {object} rsp - PortOne's callback response.
     * @return {void}
     */
    async _galaxiaHandleResponse(requestPay, rsp) {
        // The return route is also the mobile `m_redirect_url` and carries the access token.
        const returnUrl = requestPay.m_redirect_url;
        const report = {
            imp_uid: rsp.imp_uid || '',
            merchant_uid: rsp.merchant_uid || requestPay.merchant_uid,
        };
        if (rsp.success ?? rsp.imp_success) {
            const form = document.createElement('form');
            form.method = 'post';
            form.action = returnUrl;
            for (const [name, value] of Object.entries(report)) {
                const input = document.createElement('input');
                input.type = 'hidden';
                input.name = name;
                input.value = value;
                form.appendChild(input);
            }
            document.body.appendChild(form);
            form.submit();
            return;
        }
        const body = new URLSearchParams({ ...report, error_msg: rsp.error_msg || '', mode: 'json' });
        try {
            await this.waitFor(fetch(returnUrl, { method: 'POST', body }));
        } catch {
            // Nothing is lost: the server learns the outcome from PortOne later on.
        }
        this._displayErrorDialog(_t("Payment not completed"), rsp.error_msg || '');
        this._enableButton();
    },

});
