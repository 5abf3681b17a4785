from . import (
    test_access_rights,
    test_billing_keys,
    test_checkout_tours,
    test_logs,
    test_payment_provider,
    test_processing_flows,
    test_reconciliation,
    test_refunds,
    test_translations,
    test_verification,
    test_verification_properties,
    test_virtual_accounts,
)
