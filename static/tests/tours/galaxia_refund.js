import { registry } from '@web/core/registry';

// The tours start on the form of a payment booked for a Galaxia transaction.

const openRefund = {
    content: "Refund the payment",
    trigger: '.o_form_view button[name="action_refund_wizard"]',
    run: 'click',
};

const submitted = {
    content: "The refund went through",
    trigger: '.o_notification:contains("successfully submitted")',
};

registry.category('web_tour.tours').add('galaxia_backend_partial_refund', {
    steps: () => [
        openRefund,
        {
            content: "Refund part of it",
            trigger: '.modal div[name="amount_to_refund"] input',
            run: 'edit 15000',
        },
        {
            content: "Confirm",
            trigger: '.modal button[name="action_refund"]',
            run: 'click',
        },
        submitted,
    ],
});

registry.category('web_tour.tours').add('galaxia_backend_vbank_refund', {
    steps: () => [
        openRefund,
        {
            content: "Refund part of it",
            trigger: '.modal div[name="amount_to_refund"] input',
            run: 'edit 5000',
        },
        {
            content: "Go on",
            trigger: '.modal button[name="action_refund"]',
            run: 'click',
        },
        {
            content: "The customer's bank account is asked: holder",
            trigger: '.modal div[name="refund_holder"] input',
            run: 'edit 홍길동',
        },
        {
            content: "Open the list of banks",
            trigger: '.modal div[name="refund_bank"] .o_select_menu_toggler',
            run: 'click',
        },
        {
            content: "Choose the customer's bank",
            trigger: '.o_select_menu_item:contains("신한은행")',
            run: 'click',
        },
        {
            content: "Account number",
            trigger: '.modal div[name="refund_account"] input',
            run: 'edit 110-123-456789',
        },
        {
            content: "Refund to that account",
            trigger: '.modal footer button[name="action_refund"]',
            run: 'click',
        },
        submitted,
    ],
});
