from . import ir_ui_view, payment_provider, payment_transaction
