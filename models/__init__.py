from . import (
    ir_http,
    ir_module,
    ir_ui_view,
    payment_method,
    payment_provider,
    payment_token,
    payment_transaction,
    payment_transaction_reconcile,
    payment_transaction_refund,
)
