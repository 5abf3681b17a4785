import { patch } from '@web/core/utils/patch';

import { PaymentPostProcessing } from '@payment/interactions/post_processing';

patch(PaymentPostProcessing, {

    /**
     * Stop waiting on pending Galaxia transactions: they are virtual accounts waiting for a bank
     * deposit that can take days, and the account to pay into is shown on the landing page.
     *
     * @override method from @payment/interactions/post_processing
     * @param {string} providerCode - The code of the provider handling the transaction.
     */
    getFinalStates(providerCode) {
        const finalStates = super.getFinalStates(...arguments);
        if (providerCode === 'galaxia') {
            finalStates.add('pending');
        }
        return finalStates;
    },

});
