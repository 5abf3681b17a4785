from . import payment_galaxia_refund_wizard
