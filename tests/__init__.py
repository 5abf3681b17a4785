from . import test_payment_provider, test_processing_flows
