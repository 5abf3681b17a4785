# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

from odoo.exceptions import AccessError, ValidationError
from odoo.modules.neutralize import get_neutralization_queries
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.payment.tests.http_common import PaymentHttpCommon
from odoo.addons.payment_galaxia import const
from odoo.addons.payment_galaxia.tests.common import GalaxiaCommon

PROVIDER_LOGGER = 'odoo.addons.payment_galaxia.payment_galaxia.client'


@tagged('post_install', '-at_install')
class TestPaymentProvider(GalaxiaCommon, PaymentHttpCommon):

    def test_enabling_activates_default_payment_methods(self):
        """Test that enabling the provider activates its four payment methods."""
        self.galaxia.state = 'disabled'
        pms = self.galaxia.with_context(active_test=False).payment_method_ids
        pms.active = False
        self.galaxia.state = 'test'
        self.assertTrue(all(pms.mapped('active')))

    def test_only_krw_is_supported(self):
        """Test that KRW is the only available currency and that adding another one fails."""
        self.assertEqual(self.galaxia.available_currency_ids, self.currency_krw)
        with self.assertRaises(ValidationError):
            self.galaxia.available_currency_ids = [(4, self.currency_euro.id)]

    def test_krw_checkout_offers_galaxia_and_other_currencies_do_not(self):
        """Test that the provider is compatible with KRW amounts only."""
        compatible = self.env['payment.provider']._get_compatible_providers(
            self.company_id, self.partner.id, self.amount, currency_id=self.currency_krw.id
        )
        self.assertIn(self.galaxia, compatible)
        compatible = self.env['payment.provider']._get_compatible_providers(
            self.company_id, self.partner.id, self.amount, currency_id=self.currency_euro.id
        )
        self.assertNotIn(self.galaxia, compatible)

    def test_merchant_code_must_be_imp_followed_by_digits(self):
        """Test that the merchant ID code is validated."""
        self.galaxia.galaxia_merchant_code = 'imp12345678'
        for bad_code in ('12345678', 'imp', 'imp1234a678', 'IMP12345678', ' imp12345678'):
            with self.subTest(code=bad_code), self.assertRaises(ValidationError):
                self.galaxia.galaxia_merchant_code = bad_code

    def test_item_code_is_limited_to_ten_bytes(self):
        """Test that ITEM_CODE is measured in UTF-8 bytes, not characters."""
        self.galaxia.galaxia_item_code = 'A123456789'
        self.galaxia.galaxia_item_code = '상품코'  # 9 bytes
        for bad_code in ('A1234567890', '상품코드'):  # 11 and 12 bytes
            with self.subTest(code=bad_code), self.assertRaises(ValidationError):
                self.galaxia.galaxia_item_code = bad_code

    def test_card_quota_accepts_month_lists_only(self):
        """Test that installment months are parsed, deduplicated and range-checked."""
        self.galaxia.galaxia_card_quota = ' 6, 2,3,3 '
        self.assertEqual(self.galaxia._galaxia_get_card_quota(), [2, 3, 6])
        self.galaxia.galaxia_card_quota = False
        self.assertEqual(self.galaxia._galaxia_get_card_quota(), [])
        for bad_quota in ('1', '2,x', '37', '2;3', '-3'):
            with self.subTest(quota=bad_quota), self.assertRaises(ValidationError):
                self.galaxia.galaxia_card_quota = bad_quota

    def test_virtual_account_validity_is_at_least_one_day(self):
        """Test that a virtual account cannot expire on the day it is issued."""
        with self.assertRaises(ValidationError):
            self.galaxia.galaxia_vbank_validity_days = 0

    def test_credentials_are_required_to_enable(self):
        """Test that the provider cannot be enabled or tested without each credential."""
        self.galaxia.write({'galaxia_api_url': const.DEFAULT_API_URL,
                            'galaxia_sdk_url': const.DEFAULT_SDK_URL})
        for field_name in self.credentials:
            with self.subTest(field=field_name), self.assertRaises(ValidationError):
                self.galaxia.write({field_name: False, 'state': 'enabled'})
        self.galaxia.write({'galaxia_api_secret': False, 'state': 'disabled'})

    def test_secrets_are_readable_by_system_users_only(self):
        """Test that the API key and secret stay hidden from a non-system user who may otherwise
        read providers."""
        self.env['ir.model.access'].create({
            'name': "internal users read providers",
            'model_id': self.env['ir.model']._get_id('payment.provider'),
            'group_id': self.env.ref('base.group_user').id,
            'perm_read': True,
        })
        provider = self.galaxia.with_user(self.internal_user)
        self.assertEqual(provider.galaxia_merchant_code, 'imp00000000')
        for field_name in ('galaxia_api_key', 'galaxia_api_secret'):
            with self.subTest(field=field_name), self.assertRaises(AccessError):
                provider.read([field_name])

    def test_duplicating_the_provider_leaves_credentials_behind(self):
        """Test that a copy of the provider carries none of the credentials."""
        copy = self.galaxia.copy()
        for field_name in self.credentials:
            self.assertFalse(copy[field_name], field_name)

    def _assert_blank_and_pointing_at_portone(self):
        for field_name in self.credentials:
            self.assertFalse(self.galaxia[field_name], field_name)
        self.assertEqual(
            (self.galaxia.galaxia_api_url, self.galaxia.galaxia_sdk_url),
            (const.DEFAULT_API_URL, const.DEFAULT_SDK_URL),
        )

    def test_reset_credentials_blanks_them_and_disables(self):
        """Test that resetting the credentials blanks them, points back at PortOne and
        disables the provider."""
        self.galaxia.action_reset_credentials()
        self.assertEqual(self.galaxia.state, 'disabled')
        self._assert_blank_and_pointing_at_portone()

    def test_neutralize_blanks_credentials(self):
        """Test that the module's neutralization query blanks every credential and points the
        provider back at PortOne."""
        for query in get_neutralization_queries(['payment', 'payment_galaxia']):
            self.env.cr.execute(query)
        self.galaxia.invalidate_recordset()
        self.assertEqual(self.galaxia.state, 'test')  # Test mode is already safe.
        self._assert_blank_and_pointing_at_portone()

    def test_a_live_provider_talks_to_portone_only(self):
        """Test that a provider cannot be enabled with another API or SDK address than
        PortOne's own over HTTPS (the sandbox, a proxy, plain HTTP), while test mode may."""
        for values in (
            {},  # Still the sandbox's, as the tests set it.
            {'galaxia_api_url': const.DEFAULT_API_URL},
            {'galaxia_api_url': 'http://api.iamport.kr', 'galaxia_sdk_url': const.DEFAULT_SDK_URL},
            {'galaxia_api_url': const.DEFAULT_API_URL,
             'galaxia_sdk_url': 'https://cdn.iamport.kr.example.com/v1/iamport.js'},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self.galaxia.write({**values, 'state': 'enabled'})
        self.galaxia.write({'galaxia_api_url': const.DEFAULT_API_URL,
                            'galaxia_sdk_url': const.DEFAULT_SDK_URL, 'state': 'enabled'})
        with self.assertRaises(ValidationError):
            self.galaxia.galaxia_api_url = self.sandbox.url
        self.galaxia.write({'state': 'test', 'galaxia_api_url': self.sandbox.url})

    def test_webhook_url_points_to_the_webhook_route(self):
        """Test that the webhook URL to paste in PortOne's console is this database's route."""
        self.assertEqual(
            self.galaxia.galaxia_webhook_url, self.galaxia.get_base_url() + const.WEBHOOK_ROUTE
        )

    def test_secrets_are_absent_from_the_payment_page(self):
        """Test that the payment page rendered for a customer never contains a secret."""
        self.galaxia.write({
            'galaxia_api_key': 'key-that-must-not-leak',
            'galaxia_api_secret': 'secret-that-must-not-leak',
        })
        response = self._portal_pay(**self._prepare_pay_values())
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertTrue(f'data-provider-id="{self.galaxia.id}"' in page, "Galaxia is not offered")
        self.assertFalse('key-that-must-not-leak' in page, "the API key leaked")
        self.assertFalse('secret-that-must-not-leak' in page, "the API secret leaked")

    def test_connection_test_reports_accepted_credentials(self):
        """Test that the connection test says PortOne accepted good credentials."""
        notification = self.galaxia.action_galaxia_test_connection()['params']
        self.assertEqual(notification['type'], 'success')

    @mute_logger(PROVIDER_LOGGER)
    def test_connection_test_reports_refused_credentials(self):
        """Test that the connection test says PortOne refused a wrong secret."""
        self.galaxia.galaxia_api_secret = 'not-the-secret'
        notification = self.galaxia.action_galaxia_test_connection()['params']
        self.assertEqual(notification['type'], 'danger')
        self.assertIn("refused", notification['message'])

    @mute_logger(PROVIDER_LOGGER)
    def test_connection_test_reports_an_unreachable_portone(self):
        """Test that the connection test says PortOne could not be reached."""
        unused_url = self._unreachable_url()
        self.galaxia.galaxia_api_url = unused_url
        notification = self.galaxia.action_galaxia_test_connection()['params']
        self.assertEqual(notification['type'], 'danger')
        self.assertIn(unused_url, notification['message'])
