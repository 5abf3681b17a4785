import { registry } from '@web/core/registry';

// The tours start on the product's page (the test passes its URL) with a customer whose address
// is complete. They use no website_sale helper: this module does not depend on website_sale.

/**
 * From the product page to the payment step with Galaxia's `paymentMethodCode` option selected.
 *
 * @param {string} paymentMethodCode - card, bank_transfer, mobile or vbank.
 * @return {object[]} The steps.
 */
function checkoutWithGalaxia(paymentMethodCode) {
    return [
        {
            content: "Add the product to the cart",
            trigger: '#product_detail form #add_to_cart',
            run: 'click',
        },
        {
            content: "Go to the cart",
            trigger: 'a sup.my_cart_quantity:text(1)',
            run: 'click',
            expectUnloadPage: true,
        },
        {
            content: "Check out",
            trigger: 'a[href^="/shop/checkout"]',
            run: 'click',
            expectUnloadPage: true,
        },
        {
            content: "Confirm the address",
            trigger: 'a[href^="/shop/payment"]',
            run: 'click',
            expectUnloadPage: true,
        },
        {
            content: `Select Galaxia's ${paymentMethodCode} option`,
            trigger: `input[name="o_payment_radio"][data-provider-code="galaxia"]`
                + `[data-payment-method-code="${paymentMethodCode}"]`,
            run: 'click',
        },
    ];
}

const clickPay = {
    content: "Pay",
    trigger: 'button[name="o_payment_submit_button"]:enabled',
    run: 'click',
};

function inWindow(action, { expectUnloadPage = false } = {}) {
    return {
        content: `Payment window: ${action}`,
        trigger: `#imp-sandbox-window button[data-imp-action="${action}"]`,
        run: 'click',
        expectUnloadPage,
    };
}

const orderConfirmed = {
    content: "The order is confirmed and paid",
    trigger: '[name="order_confirmation"]:contains("Your payment has been processed.")',
    timeout: 30000,
};

registry.category('web_tour.tours').add('galaxia_checkout_card', {
    steps: () => [
        ...checkoutWithGalaxia('card'),
        clickPay,
        {
            // Fails if the provider's installments are not offered (55,000 KRW allows them).
            content: "Choose three months",
            trigger: '#imp-sandbox-window select[name="card_quota"]',
            run: 'select 3',
        },
        inWindow('approve', { expectUnloadPage: true }),
        orderConfirmed,
    ],
});

registry.category('web_tour.tours').add('galaxia_checkout_transfer', {
    steps: () => [
        ...checkoutWithGalaxia('bank_transfer'),
        clickPay,
        {
            content: "Choose the bank to transfer from",
            trigger: '#imp-sandbox-window select[name="bank"]',
            run: 'select 088',
        },
        inWindow('approve', { expectUnloadPage: true }),
        orderConfirmed,
    ],
});

registry.category('web_tour.tours').add('galaxia_checkout_vbank', {
    steps: () => [
        ...checkoutWithGalaxia('vbank'),
        clickPay,
        inWindow('approve'),
        {
            content: "The window shows the issued account",
            trigger: '#imp-sandbox-window .imp-vbank-account',
        },
        inWindow('done', { expectUnloadPage: true }),
        {
            content: "The confirmation page shows the account to pay into",
            trigger: '[name="order_confirmation"] .o_galaxia_vbank_account .o_galaxia_vbank_num',
            timeout: 30000,
        },
    ],
});

registry.category('web_tour.tours').add('galaxia_checkout_mobile', {
    steps: () => [
        ...checkoutWithGalaxia('mobile'),
        {
            content: "Browse as a phone: the window redirects instead of calling back",
            trigger: 'button[name="o_payment_submit_button"]',
            run() {
                window.sessionStorage.setItem('imp_sandbox_mobile', '1');
            },
        },
        clickPay,
        {
            content: "The phone window preselects the provider's carrier",
            trigger: '#imp-sandbox-window select[name="carrier"]:value(LGT)',
        },
        inWindow('approve', { expectUnloadPage: true }),
        orderConfirmed,
    ],
});

registry.category('web_tour.tours').add('galaxia_checkout_declined', {
    steps: () => [
        ...checkoutWithGalaxia('card'),
        clickPay,
        inWindow('decline'),
        {
            content: "The customer is told why the payment did not go through, in the window's words",
            trigger: '.modal:contains("Payment not completed"):contains("결제 승인이 거절되었습니다")',
        },
        {
            content: "Close the dialog",
            trigger: '.modal button:contains("Close"), .modal .btn-close',
            run: 'click',
        },
        {
            content: "The customer can try again",
            trigger: 'button[name="o_payment_submit_button"]:enabled',
        },
    ],
});

registry.category('web_tour.tours').add('galaxia_checkout_save_card', {
    steps: () => [
        ...checkoutWithGalaxia('card'),
        {
            content: "Ask to save the card",
            trigger: '[name="o_payment_tokenize_container"]:visible input[name="o_payment_tokenize_checkbox"]',
            run: 'click',
        },
        clickPay,
        {
            content: "The window issues a billing key (it shows 1,000 KRW and charges nothing)",
            trigger: '#imp-sandbox-window .imp-amount[data-amount="1000"]',
        },
        inWindow('approve', { expectUnloadPage: true }),
        orderConfirmed,
    ],
});

registry.category('web_tour.tours').add('galaxia_checkout_saved_card', {
    steps: () => [
        ...checkoutWithGalaxia('card').slice(0, -1),
        {
            content: "Choose the card saved earlier",
            trigger: 'input[name="o_payment_radio"][data-payment-option-type="token"]',
            run: 'click',
        },
        { ...clickPay, expectUnloadPage: true },
        orderConfirmed,
    ],
});

registry.category('web_tour.tours').add('galaxia_checkout_ios_app', {
    steps: () => [
        ...checkoutWithGalaxia('card'),
        {
            content: "Browse inside an iOS app's web view (no Safari token)",
            trigger: 'button[name="o_payment_submit_button"]',
            run() {
                Object.defineProperty(navigator, 'userAgent', {
                    configurable: true,
                    get: () => 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)'
                        + ' AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
                });
            },
        },
        clickPay,
        inWindow('approve', { expectUnloadPage: true }),
        orderConfirmed,
    ],
});
