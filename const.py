# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

from datetime import timedelta
from urllib.parse import urlsplit

from odoo.addons.payment.const import SENSITIVE_KEYS as PAYMENT_SENSITIVE_KEYS
from odoo.addons.payment_galaxia.payment_galaxia import client, rules
from odoo.addons.payment_galaxia.payment_galaxia.api_objects import SENSITIVE_KEYS

# Masked by the payment loggers of every module, ours included.
PAYMENT_SENSITIVE_KEYS.update(SENSITIVE_KEYS)

PROVIDER_CODE = 'galaxia'

# The only currency Galaxia MoneyTree settles, in ISO 4217 format.
SUPPORTED_CURRENCY = rules.CURRENCY

# Where a fresh provider points; tests and the demo point them at the offline sandbox, which only
# a provider in test mode may do: a live one talks to PortOne's own HTTPS hosts.
DEFAULT_API_URL = client.DEFAULT_BASE_URL
DEFAULT_SDK_URL = 'https://cdn.iamport.kr/v1/iamport.js'
LIVE_API_HOSTS = frozenset({urlsplit(DEFAULT_API_URL).hostname})
LIVE_SDK_HOSTS = frozenset({urlsplit(DEFAULT_SDK_URL).hostname})

# The codes of the payment methods to activate when Galaxia is activated.
DEFAULT_PAYMENT_METHOD_CODES = {'card', 'bank_transfer', 'mobile', 'vbank'}

# Mapping of Odoo payment method codes to PortOne `pay_method` values.
PAYMENT_METHODS_MAPPING = {
    'card': 'card',
    'bank_transfer': 'trans',
    'mobile': 'phone',
    'vbank': 'vbank',
}

# PortOne's merchant identification code ("가맹점 식별코드"), e.g. imp12345678.
MERCHANT_CODE_PATTERN = r'^imp\d+$'

# Card installment months a merchant may offer (Korean card issuers stop at 36).
MIN_INSTALLMENT_MONTHS = 2
MAX_INSTALLMENT_MONTHS = 36

# What the logs show at INFO of a window's parameters and of a notification (allow-lists: the
# buyer, the return URL's access token and the like never reach them).
LOGGED_REQUEST_PAY_KEYS = (
    'pay_method', 'merchant_uid', 'amount', 'currency', 'name', 'escrow', 'vbank_due', 'display',
    'card', 'tax_free', 'vat_amount', 'notice_url',
)
LOGGED_NOTIFICATION_KEYS = (
    'imp_uid', 'merchant_uid', 'status', 'cancellation_id', 'imp_success', 'success',
    'error_code', 'error_msg', 'mode',
)

# Routes PortOne and the payment window come back to.
RETURN_ROUTE = '/payment/galaxia/return'
WEBHOOK_ROUTE = '/payment/galaxia/webhook'

# A reference ends with this many random bytes (hex) so that copies of a database sharing one
# PortOne account never produce the same merchant_uid, and keeps room for Odoo's `-N` suffix.
REFERENCE_SUFFIX_BYTES = 3
REFERENCE_SEQUENCE_ROOM = 3

# The merchant_uid of a window that only issues a card billing key is the reference with this
# suffix: the order's payment, charged with the key afterwards, keeps the reference. Hex digits
# and Odoo's numeric suffix never end a reference with it.
KEY_ISSUE_SUFFIX = '-K'

# The addresses PortOne V1 sends webhooks from, for the provider's optional sender check.
WEBHOOK_IPS = frozenset({'52.78.100.19', '52.78.48.223', '52.78.5.241'})

# System parameter: seconds one PortOne call may take in all (default `client.DEFAULT_TIMEOUT`).
TIMEOUT_PARAM = 'payment_galaxia.timeout'

# Context key: tokens archived by their provider rather than by a user (their keys are kept at
# PortOne if it cannot be asked).
KEEP_KEYS_ON_ERROR_CONTEXT_KEY = 'galaxia_keep_keys_on_error'

# Reconciliation (see models/payment_transaction_reconcile.py): how long after its creation a
# transaction is first looked up at PortOne by default; how long a window (or a charge) may
# still end, when an unsettled transaction is looked up a second and last time; how often a
# virtual account is looked up until its due date, and how long after it a late deposit notice
# is still awaited before the transaction is canceled; how long a refund PortOne did not
# confirm is looked for.
DEFAULT_RECONCILE_DELAY_MINUTES = 15
RECONCILE_WINDOW = timedelta(hours=1)
RECONCILE_VBANK_INTERVAL = timedelta(hours=2)
VBANK_EXPIRY_GRACE = timedelta(hours=1)
RECONCILE_MAX_AGE = timedelta(days=4)
# A job run looks up this many transactions at most before it reports the rest, and stops when
# it has less than this many seconds left (a PortOne call may take `client.DEFAULT_TIMEOUT`).
RECONCILE_BATCH_SIZE = 100
RECONCILE_TIME_MARGIN = 30

# The Korean names of Odoo's generic methods that Odoo's own Korean translation lacks.
KOREAN_METHOD_NAMES = {'mobile': "휴대폰 결제"}

# What Galaxia through PortOne allows with methods Odoo declares conservatively for every provider
# (code: support_tokenization, support_refund), and what Odoo declares without this module.
PAYMENT_METHOD_SUPPORT = {
    'mobile': (True, 'full_only'),  # Phone keys are issued with a payment; refunds in full only.
    'bank_transfer': (False, 'partial'),
}
PAYMENT_METHOD_SUPPORT_WITHOUT_GALAXIA = {
    'mobile': (False, 'none'),
    'bank_transfer': (False, 'none'),
}
