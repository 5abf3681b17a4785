# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.payment_galaxia.tests.common import GalaxiaCommon
from odoo.addons.payment_galaxia.tests.shop_setup import setup_krw_shop

PRICE = 55000


@tagged('post_install', '-at_install')
class TestCheckoutTours(GalaxiaCommon, HttpCase):
    """The eCommerce checkout in a real browser, through the sandbox's `iamport.js` window."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._require_modules('website_sale')
        cls.enable_post_process_patcher = False  # The shop confirms orders and books payments.
        website = cls.env['website'].get_current_website()
        pricelist = setup_krw_shop(cls.env, website)
        cls.product = cls.env['product.product'].create({
            'name': "Galaxia Test Chair",
            'list_price': 40,
            'type': 'consu',
            'is_published': True,
            'website_id': website.id,
            'taxes_id': [],
        })
        cls.env['product.pricelist.item'].create({
            'pricelist_id': pricelist.id,
            'applied_on': '0_product_variant',
            'product_id': cls.product.id,
            'compute_price': 'fixed',
            'fixed_price': PRICE,
        })
        cls.galaxia.write({'galaxia_card_quota': '2,3', 'galaxia_phone_carrier': 'LGT'})
        cls.galaxia.with_context(active_test=False).payment_method_ids.active = True
        cls.portal_partner.write({
            'name': "김철수",
            'email': 'chulsoo@example.kr',
            'phone': '010-1234-5678',
            'street': "세종대로 110",
            'city': "Seoul",
            'zip': '04524',
            'country_id': cls.env.ref('base.kr').id,
            'property_product_pricelist': pricelist.id,
        })

    def _pay_through_the_shop(self, tour_name):
        """Run `tour_name` as the portal customer and return the order it created.

        The sandbox's webhooks carry no test cookie: they are let in like PortOne's would be.
        """
        with patch.object(self, 'http_request_allow_all', True):
            self.start_tour(self.product.website_url, tour_name, login=self.portal_user.login)
        order = self.env['sale.order'].search(
            [('partner_id', '=', self.portal_partner.id)], order='id desc', limit=1
        )
        self.assertIn(self.product, order.order_line.product_id)
        return order

    def test_card_payment_confirms_the_order(self):
        """Test that paying by card in the window confirms the order, with its installments."""
        order = self._pay_through_the_shop('galaxia_checkout_card')
        tx = order.transaction_ids
        self.assertEqual(tx.state, 'done')
        self.assertEqual(order.state, 'sale')
        payment = self._sandbox('GET', f'/__sandbox__/payments?merchant_uid={tx.reference}')
        self.assertEqual(payment['payments'][0]['card_quota'], 3)
        self.assertEqual(payment['payments'][0]['amount'], PRICE)

    def test_bank_transfer_confirms_the_order(self):
        """Test that paying by bank transfer in the window confirms the order."""
        order = self._pay_through_the_shop('galaxia_checkout_transfer')
        self.assertEqual(order.transaction_ids.state, 'done')
        self.assertEqual(order.state, 'sale')

    def test_virtual_account_is_shown_then_confirmed_by_the_deposit(self):
        """Test that a virtual account leaves the order waiting with the account shown, and
        that the deposit confirms it."""
        order = self._pay_through_the_shop('galaxia_checkout_vbank')
        tx = order.transaction_ids
        self.assertEqual(tx.state, 'pending')
        self.assertTrue(tx.galaxia_vbank_num)
        self.assertNotEqual(order.state, 'sale')

        self._sandbox('POST', f'/__sandbox__/payments/{tx.provider_reference}/deposit')
        self.assertEqual(tx.state, 'done')
        tx._post_process()
        self.assertEqual(order.state, 'sale')

    def test_mobile_redirect_confirms_the_order(self):
        """Test that the mobile window's redirection confirms a phone payment."""
        order = self._pay_through_the_shop('galaxia_checkout_mobile')
        self.assertEqual(order.transaction_ids.state, 'done')
        self.assertEqual(order.state, 'sale')

    def test_saved_card_pays_the_next_order_without_a_window(self):
        """Test that saving the card at checkout charges the order with its new key, and that the
        next order is paid with the saved card alone."""
        self.galaxia.allow_tokenization = True
        first_order = self._pay_through_the_shop('galaxia_checkout_save_card')
        token = self.env['payment.token'].search([('partner_id', '=', self.portal_partner.id)])
        self.assertEqual(first_order.state, 'sale')
        self.assertEqual(first_order.transaction_ids.token_id, token)

        second_order = self._pay_through_the_shop('galaxia_checkout_saved_card')
        self.assertEqual(second_order.state, 'sale')
        self.assertEqual(second_order.transaction_ids.token_id, token)
        charges = self._sandbox('GET', '/__sandbox__/payments')['payments']
        self.assertEqual(
            [(p['amount'], p['customer_uid'], p['customer_uid_usage']) for p in charges],
            [(0, token.provider_ref, 'issue'), (PRICE, token.provider_ref, 'payment'),
             (PRICE, token.provider_ref, 'payment')],
        )

    # === THE BROWSER NEVER DECIDES === #

    def test_callback_with_only_the_ids_confirms_a_paid_order(self):
        """Test that a callback carrying only `imp_uid` and `merchant_uid` (no success flag)
        leads the customer who paid to the confirmation."""
        self._sandbox_fault(callback='ids_only')
        order = self._pay_through_the_shop('galaxia_checkout_card')
        self.assertEqual(order.transaction_ids.state, 'done')
        self.assertEqual(order.state, 'sale')

    def test_callback_saying_failure_for_a_paid_payment_confirms_the_order(self):
        """Test that a callback saying `success: false` for a payment PortOne reports paid
        leads to the confirmation, not to a second payment."""
        self._sandbox_fault(callback='success_false')
        order = self._pay_through_the_shop('galaxia_checkout_card')
        self.assertEqual(order.transaction_ids.state, 'done')
        self.assertEqual(order.state, 'sale')

    def test_virtual_account_with_only_the_ids_is_shown(self):
        """Test that a virtual account whose callback carries only the ids is shown to the
        customer, on the confirmation page."""
        self._sandbox_fault(callback='ids_only')
        order = self._pay_through_the_shop('galaxia_checkout_vbank')
        self.assertEqual(order.transaction_ids.state, 'pending')

    def test_mobile_redirect_with_only_the_ids_confirms_the_order(self):
        """Test that the mobile redirection carrying only the ids confirms a paid order."""
        self._sandbox_fault(callback='ids_only')
        order = self._pay_through_the_shop('galaxia_checkout_mobile')
        self.assertEqual(order.state, 'sale')

    def test_ios_app_hands_its_url_scheme_to_the_window(self):
        """Test that a checkout shown inside an iOS app gives the window the app's URL scheme,
        and pays as a mobile checkout does."""
        self.galaxia.galaxia_app_scheme = 'myshop://'
        order = self._pay_through_the_shop('galaxia_checkout_ios_app')
        self.assertEqual(order.state, 'sale')
        payment = self.sandbox.state.payments[order.transaction_ids.provider_reference]
        self.assertEqual(payment['_param']['app_scheme'], 'myshop://')
        self.assertEqual(payment['channel'], 'mobile')

    @mute_logger('odoo.addons.payment_galaxia.controllers.main')
    def test_declined_payment_lets_the_customer_try_again(self):
        """Test that a declined payment shows why, errors the transaction and keeps the order."""
        order = self._pay_through_the_shop('galaxia_checkout_declined')
        self.assertEqual(order.transaction_ids.state, 'error')
        self.assertNotEqual(order.state, 'sale')
