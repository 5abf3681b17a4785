# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

import re
from datetime import timedelta
from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import ormcache
from odoo.tools.urls import urljoin

from odoo.addons.payment.logging import get_payment_logger
from odoo.addons.payment_galaxia import const
from odoo.addons.payment_galaxia.payment_galaxia import rules
from odoo.addons.payment_galaxia.payment_galaxia.cards import CARD_COMPANIES
from odoo.addons.payment_galaxia.payment_galaxia.client import DEFAULT_TIMEOUT, PortOneClient
from odoo.addons.payment_galaxia.payment_galaxia.errors import PortOneAuthError, PortOneError

_logger = get_payment_logger(__name__, const.SENSITIVE_KEYS)

# What a provider's PortOne client is built from.
CLIENT_FIELDS = frozenset({'galaxia_api_key', 'galaxia_api_secret', 'galaxia_api_url'})


class PaymentProvider(models.Model):
    _inherit = 'payment.provider'

    code = fields.Selection(
        selection_add=[('galaxia', "Galaxia MoneyTree")], ondelete={'galaxia': 'set default'}
    )
    galaxia_merchant_code = fields.Char(
        string="Merchant ID Code",
        help="PortOne's merchant identification code (가맹점 식별코드), e.g. imp12345678.",
        required_if_provider='galaxia',
        copy=False,
    )
    galaxia_channel_key = fields.Char(
        string="Channel Key",
        help="The key of the Galaxia MoneyTree channel (채널 키) in PortOne's console.",
        required_if_provider='galaxia',
        copy=False,
    )
    galaxia_api_key = fields.Char(
        string="REST API Key",
        help="PortOne V1 REST API key (REST API Key).",
        required_if_provider='galaxia',
        copy=False,
        groups='base.group_system',
    )
    galaxia_api_secret = fields.Char(
        string="REST API Secret",
        help="PortOne V1 REST API secret (REST API Secret).",
        required_if_provider='galaxia',
        copy=False,
        groups='base.group_system',
    )
    galaxia_item_code = fields.Char(
        string="Galaxia Product Code",
        help="The ITEM_CODE issued by Galaxia MoneyTree (at most 10 bytes). Sent with every payment"
             " when set.",
        copy=False,
    )
    galaxia_card_quota = fields.Char(
        string="Card Installments",
        help="Installment months offered in the card window, separated by commas (e.g. 2,3,6)."
             " Leave empty for lump-sum payments only. Installments need at least"
             f" {rules.RULE_MESSAGE_VALUES['min_installment_amount']}.",
    )
    galaxia_vbank_validity_days = fields.Integer(
        string="Virtual Account Validity (days)",
        help="How many days the customer has to deposit into an issued virtual account.",
        default=3,
    )
    galaxia_escrow = fields.Boolean(
        string="Escrow",
        help="Use escrow for bank transfers and virtual accounts (Galaxia allows it on no other"
             " method).",
    )
    galaxia_phone_carrier = fields.Selection(
        string="Default Phone Carrier",
        help="Carrier preselected in the phone payment window.",
        selection=list(rules.PHONE_CARRIERS.items()),
    )
    galaxia_card_direct_code = fields.Selection(
        string="Card Company Window",
        help="Open this card company's window directly, for a shop that takes one company's"
             " cards (card.direct); leave empty to let the customer choose. Lump sum only.",
        selection=list(CARD_COMPANIES.items()),
    )
    galaxia_app_scheme = fields.Char(
        string="iOS App URL Scheme",
        help="When the shop also runs inside your iOS app: the app's URL scheme (e.g."
             " myshop://), which card and bank apps call back after their authentication. It"
             " is sent from pages shown inside an iOS app only.",
    )
    galaxia_check_webhook_ip = fields.Boolean(
        string="Only Accept PortOne's Webhook Addresses",
        help="Refuse webhook notifications not sent from PortOne's V1 webhook addresses. Leave"
             " off behind a proxy that hides the sender.",
    )
    galaxia_reconcile_delay = fields.Integer(
        string="Reconciliation Delay (minutes)",
        help="Payments still unconfirmed this long after they started are looked up at PortOne"
             " by the reconciliation job (lost webhooks, customers who never came back).",
        default=const.DEFAULT_RECONCILE_DELAY_MINUTES,
    )
    galaxia_api_url = fields.Char(
        string="PortOne API URL", required_if_provider='galaxia', default=const.DEFAULT_API_URL
    )
    galaxia_sdk_url = fields.Char(
        string="PortOne SDK URL", required_if_provider='galaxia', default=const.DEFAULT_SDK_URL
    )
    galaxia_webhook_url = fields.Char(
        string="Webhook URL",
        help="Paste this URL into PortOne's console (결제 연동 > 연동 정보 > 웹훅 관리).",
        compute='_compute_galaxia_webhook_url',
    )

    # === COMPUTE METHODS === #

    def _compute_galaxia_webhook_url(self):
        for provider in self:
            provider.galaxia_webhook_url = urljoin(provider.get_base_url(), const.WEBHOOK_ROUTE)

    def _compute_feature_support_fields(self):
        """Override of `payment` to enable the features this module implements."""
        result = super()._compute_feature_support_fields()
        self.filtered(lambda p: p.code == 'galaxia').update({
            'support_tokenization': True,
            'support_refund': 'partial',
        })
        return result

    def _get_supported_currencies(self):
        """Override of `payment` to return KRW, the only currency Galaxia settles."""
        supported_currencies = super()._get_supported_currencies()
        if self.code != 'galaxia':
            return supported_currencies
        return supported_currencies.filtered(lambda c: c.name == const.SUPPORTED_CURRENCY)

    # === CONSTRAINT METHODS === #

    @api.constrains('available_currency_ids')
    def _check_galaxia_currencies(self):
        krw = self.env.ref('base.KRW')
        for provider in self.filtered(lambda p: p.code == 'galaxia'):
            if provider.available_currency_ids != krw:
                raise ValidationError(self.env._("Galaxia MoneyTree only supports KRW."))

    @api.constrains('state', 'galaxia_api_url', 'galaxia_sdk_url')
    def _check_galaxia_live_urls(self):
        """A live provider talks to PortOne's own HTTPS hosts only: a test double or a proxy
        must never see real payments and credentials."""
        for provider in self.filtered(lambda p: p.code == 'galaxia' and p.state == 'enabled'):
            for url, hosts in (
                (provider.galaxia_api_url, const.LIVE_API_HOSTS),
                (provider.galaxia_sdk_url, const.LIVE_SDK_HOSTS),
            ):
                parsed = urlsplit(url or '')
                if parsed.scheme != 'https' or parsed.hostname not in hosts:
                    raise ValidationError(self.env._(
                        "An enabled provider must use PortOne's own addresses (%(hosts)s over"
                        " HTTPS), not %(url)s. Use Test Mode for another server.",
                        hosts=", ".join(sorted(hosts)), url=url,
                    ))

    @api.constrains('galaxia_merchant_code')
    def _check_galaxia_merchant_code(self):
        for provider in self.filtered(lambda p: p.code == 'galaxia' and p.galaxia_merchant_code):
            if not re.fullmatch(const.MERCHANT_CODE_PATTERN, provider.galaxia_merchant_code):
                raise ValidationError(self.env._(
                    "The merchant ID code must be \"imp\" followed by digits, as shown in PortOne's"
                    " console (e.g. imp12345678)."
                ))

    @api.constrains('galaxia_item_code')
    def _check_galaxia_item_code(self):
        for provider in self.filtered(lambda p: p.code == 'galaxia' and p.galaxia_item_code):
            if len(provider.galaxia_item_code.encode()) > rules.MAX_ITEM_CODE_BYTES:
                raise ValidationError(self.env._(
                    "The Galaxia product code is limited to %(max)s bytes (a Korean character"
                    " takes 3).", max=rules.MAX_ITEM_CODE_BYTES,
                ))

    @api.constrains('galaxia_app_scheme')
    def _check_galaxia_app_scheme(self):
        for provider in self.filtered(lambda p: p.code == 'galaxia' and p.galaxia_app_scheme):
            if not rules.APP_SCHEME.fullmatch(provider.galaxia_app_scheme):
                error = rules.GalaxiaRuleError('invalid_app_scheme', 'app_scheme')
                raise ValidationError(provider._galaxia_rule_message(error))

    @api.constrains('galaxia_card_quota')
    def _check_galaxia_card_quota(self):
        for provider in self.filtered(lambda p: p.code == 'galaxia'):
            provider._galaxia_get_card_quota()

    @api.constrains('galaxia_vbank_validity_days')
    def _check_galaxia_vbank_validity_days(self):
        for provider in self.filtered(lambda p: p.code == 'galaxia'):
            if provider.galaxia_vbank_validity_days < 1:
                raise ValidationError(
                    self.env._("A virtual account must stay valid for at least one day.")
                )

    @api.constrains('galaxia_reconcile_delay')
    def _check_galaxia_reconcile_delay(self):
        for provider in self.filtered(lambda p: p.code == 'galaxia'):
            if provider.galaxia_reconcile_delay < 1:
                raise ValidationError(
                    self.env._("The reconciliation delay must be at least one minute.")
                )

    # === CRUD METHODS === #

    def write(self, vals):
        """Override of `orm` to rebuild the PortOne clients of every worker when what they are
        built from changes (`_galaxia_build_client` caches them)."""
        result = super().write(vals)
        if not CLIENT_FIELDS.isdisjoint(vals):
            self.env.registry.clear_cache()
        return result

    def _archive_linked_tokens(self):
        """Override of `payment` to archive the tokens of a provider changing state even when
        PortOne cannot delete their keys (see `payment.token._galaxia_delete_keys`)."""
        return super(
            PaymentProvider, self.with_context(**{const.KEEP_KEYS_ON_ERROR_CONTEXT_KEY: True})
        )._archive_linked_tokens()

    def _get_default_payment_method_codes(self):
        """Override of `payment` to return the default payment method codes."""
        self.ensure_one()
        if self.code != 'galaxia':
            return super()._get_default_payment_method_codes()
        return const.DEFAULT_PAYMENT_METHOD_CODES

    def _get_reset_values(self):
        """Override of `payment` to blank Galaxia's credentials and point back at PortOne."""
        reset_values = super()._get_reset_values()
        if self.code != 'galaxia':
            return reset_values
        return {
            **reset_values,
            'galaxia_merchant_code': False,
            'galaxia_channel_key': False,
            'galaxia_api_key': False,
            'galaxia_api_secret': False,
            'galaxia_api_url': const.DEFAULT_API_URL,
            'galaxia_sdk_url': const.DEFAULT_SDK_URL,
        }

    # === ACTION METHODS === #

    def action_galaxia_test_connection(self):
        """Ask PortOne for an access token with the configured key and secret, and say how it
        went.

        Note: `self.ensure_one()`

        :return: A notification saying whether PortOne accepted the credentials.
        :rtype: dict
        """
        self.ensure_one()
        self.check_access('write')  # The credentials are read as superuser.
        try:
            self._galaxia_get_client().get_token()
        except PortOneAuthError as error:
            notification_type = 'danger'
            message = self.env._(
                "PortOne refused the REST API key and secret: %(reason)s", reason=error.message
            )
        except PortOneError as error:
            notification_type = 'danger'
            message = self.env._(
                "PortOne could not be reached at %(url)s: %(reason)s",
                url=self.galaxia_api_url, reason=error.message,
            )
        else:
            notification_type = 'success'
            message = self.env._("PortOne accepted the REST API key and secret.")
        _logger.info("Connection test of provider %s: %s", self.id, message)
        return {
            'type': 'ir.actions.client',
            'tag': 'display_notification',
            'params': {'type': notification_type, 'message': message, 'sticky': False},
        }

    def action_galaxia_reconcile(self):
        """Have the reconciliation job look up, within a minute, every transaction of the
        provider it still checks (a request waiting on PortOne for each would time out).

        Note: `self.ensure_one()`

        :return: A notification saying how many transactions will be checked.
        :rtype: dict
        """
        self.ensure_one()
        self.check_access('write')
        waiting = self.env['payment.transaction'].sudo().search(
            [('provider_id', '=', self.id), ('galaxia_next_check', '!=', False)]
        )
        waiting.galaxia_next_check = fields.Datetime.now()
        self.env.ref('payment_galaxia.cron_reconcile').sudo()._trigger()
        return {
            'type': 'ir.actions.client',
            'tag': 'display_notification',
            'params': {
                'type': 'info',
                'message': self.env._(
                    "%(count)s transactions will be checked with PortOne within a minute.",
                    count=len(waiting),
                ),
                'sticky': False,
            },
        }

    # === BUSINESS METHODS === #

    def _galaxia_get_card_quota(self):
        """Return the installment months offered in the card window.

        Note: `self.ensure_one()`

        :return: The sorted, distinct months; empty for lump-sum payments only.
        :rtype: list[int]
        :raise ValidationError: If the setting is not a list of months within the allowed range.
        """
        self.ensure_one()
        raw_months = [m.strip() for m in (self.galaxia_card_quota or '').split(',') if m.strip()]
        if not all(
            m.isdigit() and const.MIN_INSTALLMENT_MONTHS <= int(m) <= const.MAX_INSTALLMENT_MONTHS
            for m in raw_months
        ):
            raise ValidationError(self.env._(
                "Card installments must be months between %(min)s and %(max)s separated by commas,"
                " e.g. 2,3,6.",
                min=const.MIN_INSTALLMENT_MONTHS, max=const.MAX_INSTALLMENT_MONTHS,
            ))
        return sorted({int(m) for m in raw_months})

    def _galaxia_get_client(self):
        """Return the PortOne client of the provider, authenticated with its REST API key and
        secret: built once per process and reused (with its connections and access token) until
        the provider's credentials or URL, or the timeout parameter, change.

        Note: `self.ensure_one()`

        :return: The client.
        :rtype: PortOneClient
        """
        self.ensure_one()
        return self._galaxia_build_client(self.id)

    @api.model
    @ormcache('provider_id')
    def _galaxia_build_client(self, provider_id):
        """Build the PortOne client of a provider (cached: see `_galaxia_get_client`).

        :param int provider_id: The provider's id.
        :return: The client.
        :rtype: PortOneClient
        """
        provider_sudo = self.sudo().browse(provider_id)
        timeout = float(self.env['ir.config_parameter'].sudo().get_param(
            const.TIMEOUT_PARAM, DEFAULT_TIMEOUT
        ))
        return PortOneClient(
            provider_sudo.galaxia_api_key,
            provider_sudo.galaxia_api_secret,
            provider_sudo.galaxia_api_url,
            timeout=timeout,
        )

    def _galaxia_reconcile_after(self):
        """:return: When the reconciliation job may look up a transaction that starts waiting
        on PortOne now: after the provider's delay. :rtype: datetime"""
        self.ensure_one()
        return fields.Datetime.now() + timedelta(minutes=self.galaxia_reconcile_delay)

    def _galaxia_rule_message(self, error):
        """Return the customer-facing, translated text of a Galaxia rule refusal.

        :param rules.GalaxiaRuleError error: The refusal.
        :return: The translated message.
        :rtype: str
        """
        return self.env._(error.template, **rules.RULE_MESSAGE_VALUES)
