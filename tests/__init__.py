from . import test_checkout_tours, test_payment_provider, test_processing_flows, test_translations
