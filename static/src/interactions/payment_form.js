/* global IMP */

import { loadJS } from '@web/core/assets';
import { _t } from '@web/core/l10n/translation';
import { patch } from '@web/core/utils/patch';

import { PaymentForm } from '@payment/interactions/payment_form';

/**
 * Whether the page is shown inside an iOS app (a web view, whose user agent has no Safari
 * token), where Galaxia needs the app's URL scheme to come back from card and bank apps.
 *
 * @return {boolean}
 */
function isInIosApp() {
    return /iPhone|iPad|iPod/.test(navigator.userAgent) && !/Safari\//.test(navigator.userAgent);
}

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
        const requestPay = { ...processingValues.galaxia_request_pay };
        if (processingValues.galaxia_app_scheme && isInIosApp()) {
            requestPay.app_scheme = processingValues.galaxia_app_scheme;
        }
        IMP.request_pay(requestPay, (rsp) => this._galaxiaHandleResponse(requestPay, rsp));
    },

    /**
     * Hand the window's answer to the server, which asks PortOne what really happened, and
     * follow its verdict.
     *
     * Whatever the callback holds (PortOne's windows often leave `success` out, and a flag is
     * no proof of payment), only its ids and error text are reported. A payment PortOne holds
     * for the order leads to the status page; otherwise the customer sees why and can try again.
     *
     * @private
     * @param {object} requestPay - The parameters the window was opened with.
     * @param {object} rsp - PortOne's callback response.
     * @return {void}
     */
    async _galaxiaHandleResponse(requestPay, rsp) {
        const body = new URLSearchParams({
            imp_uid: rsp.imp_uid || '',
            merchant_uid: rsp.merchant_uid || requestPay.merchant_uid,
            error_msg: rsp.error_msg || '',
            mode: 'json',
        });
        let verdict;
        try {
            // The return route is also the mobile `m_redirect_url` and carries the access token.
            const response = await this.waitFor(
                fetch(requestPay.m_redirect_url, { method: 'POST', body })
            );
            verdict = await this.waitFor(response.json());
        } catch {
            // Unanswered, the server may still learn of a payment: the status page waits for it.
            verdict = { redirect_url: '/payment/status' };
        }
        if (verdict.redirect_url) {
            window.location = verdict.redirect_url;
            return;
        }
        this._displayErrorDialog(_t("Payment not completed"), verdict.error);
        this._enableButton();
    },

});
