from . import (
    test_billing_keys,
    test_checkout_tours,
    test_payment_provider,
    test_processing_flows,
    test_reconciliation,
    test_refunds,
    test_translations,
    test_verification,
    test_verification_properties,
)
