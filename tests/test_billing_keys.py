# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.payment.tests.http_common import PaymentHttpCommon
from odoo.addons.payment_galaxia import const
from odoo.addons.payment_galaxia.tests.common import GalaxiaCommon

LOGGERS = (
    'odoo.addons.payment_galaxia.controllers.main',
    'odoo.addons.payment_galaxia.models.payment_transaction',
    'odoo.addons.payment_galaxia.models.payment_token',
    'odoo.addons.payment.models.payment_transaction',
)


@tagged('post_install', '-at_install')
class TestBillingKeys(GalaxiaCommon, PaymentHttpCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.galaxia.allow_tokenization = True
        cls.partner.phone = '010-9876-5432'
        cls.mobile = cls.env.ref('payment.payment_method_mobile')

    def _return_from_window(self, payment):
        self._make_http_post_request(self._build_url(const.RETURN_ROUTE), data={
            'imp_uid': payment['imp_uid'], 'merchant_uid': payment['merchant_uid'],
        })

    def _issue_key_in_window(self, tx):
        """Open the card key window of `tx` and have the customer approve it."""
        request_pay = tx._get_processing_values()['galaxia_request_pay']
        return self._sandbox_pay(
            tx,
            merchant_uid=request_pay['merchant_uid'],
            amount=request_pay['amount'],
            customer_uid=request_pay['customer_uid'],
            card_number='536510******4242',
        )

    def _saved_card(self, partner=None):
        """A token whose billing key PortOne holds, as a previous checkout left it."""
        tx = self._create_transaction(
            'direct', reference='V-SAVE-A1B2C3', operation='validation', amount=0, tokenize=True,
            partner_id=(partner or self.partner).id,
        )
        payment = self._issue_key_in_window(tx)
        self._return_from_window(payment)
        self.assertTrue(tx.token_id)
        return tx.token_id

    # === ISSUING KEYS === #

    @mute_logger(*LOGGERS)
    def test_adding_a_card_issues_a_key_without_charging(self):
        """Test that saving a card from the portal opens the key window with nothing to pay and
        saves the key PortOne issued as a token."""
        tx = self._create_transaction(
            'direct', reference='V-CARD-A1B2C3', operation='validation', amount=0, tokenize=True,
        )
        request_pay = tx._get_processing_values()['galaxia_request_pay']
        self.assertEqual(request_pay['amount'], 0)
        self.assertEqual(request_pay['merchant_uid'], 'V-CARD-A1B2C3-K')
        self.assertTrue(request_pay['customer_uid'].startswith(request_pay['customer_id']))
        payment = self._issue_key_in_window(tx)
        self._return_from_window(payment)
        self.assertEqual(tx.state, 'done')
        token = tx.token_id
        self.assertEqual(token.provider_ref, request_pay['customer_uid'])
        self.assertEqual(token.payment_details, '4242')
        self.assertEqual(token.partner_id, self.partner)
        payments = self._sandbox('GET', '/__sandbox__/payments')['payments']
        self.assertEqual([p['amount'] for p in payments], [0])

    @mute_logger(*LOGGERS)
    def test_saving_a_card_at_checkout_issues_the_key_then_charges_it(self):
        """Test that "save my card" at checkout issues a key in the window, then the server
        charges the order with it once, however many notifications arrive."""
        tx = self._create_transaction('direct', reference='S00050-A1B2C3', tokenize=True)
        payment = self._issue_key_in_window(tx)
        self._return_from_window(payment)
        self._sandbox('POST', f"/__sandbox__/payments/{payment['imp_uid']}/webhook")
        self.assertEqual(tx.state, 'done')
        self.assertEqual(tx.token_id.provider_ref, payment['customer_uid'])
        charges = self._sandbox('GET', f'/__sandbox__/payments?merchant_uid={tx.reference}')
        self.assertEqual([(p['amount'], p['status']) for p in charges['payments']],
                         [(55000, 'paid')])
        self.assertEqual(tx.provider_reference, charges['payments'][0]['imp_uid'])

    @mute_logger(*LOGGERS)
    def test_saving_a_phone_issues_the_key_with_the_payment(self):
        """Test that saving a phone at checkout pays and issues the key in one window."""
        tx = self._create_transaction(
            'direct', reference='S00051-A1B2C3', tokenize=True, payment_method_id=self.mobile.id,
        )
        request_pay = tx._get_processing_values()['galaxia_request_pay']
        self.assertEqual((request_pay['pay_method'], request_pay['amount']), ('phone', 55000))
        self.assertEqual(request_pay['merchant_uid'], tx.reference)
        payment = self._sandbox_pay(
            tx, pay_method='phone', customer_uid=request_pay['customer_uid'],
            buyer_tel='010-9876-5432',
        )
        self._return_from_window(payment)
        self.assertEqual(tx.state, 'done')
        self.assertEqual(tx.token_id.provider_ref, request_pay['customer_uid'])
        self.assertEqual(tx.token_id.payment_details, '5432')

    @mute_logger(*LOGGERS)
    def test_a_phone_cannot_be_saved_without_a_payment(self):
        """Test that saving a phone from the portal is refused with the reason."""
        tx = self._create_transaction(
            'direct', reference='V-PHONE-A1B2C3', operation='validation', amount=0, tokenize=True,
            payment_method_id=self.mobile.id,
        )
        processing_values = tx._get_processing_values()
        self.assertEqual(processing_values['state'], 'error')
        self.assertIn("together with a payment", processing_values['state_message'])

    # === PAYING WITH KEYS === #

    @mute_logger(*LOGGERS)
    def test_paying_with_a_saved_card_charges_its_key(self):
        """Test that a payment by token charges the key at PortOne and confirms the order."""
        token = self._saved_card()
        tx = self._create_transaction('token', reference='S00052-A1B2C3', token_id=token.id)
        tx._charge_with_token()
        self.assertEqual(tx.state, 'done')
        charge = self._sandbox('GET', f'/__sandbox__/payments?merchant_uid={tx.reference}')
        self.assertEqual(charge['payments'][0]['customer_uid'], token.provider_ref)

    @mute_logger(*LOGGERS)
    def test_backend_charge_with_a_saved_card(self):
        """Test that an offline charge (from the backend) uses the key the same way."""
        token = self._saved_card()
        tx = self._create_transaction(
            'token', reference='S00053-A1B2C3', token_id=token.id, operation='offline',
        )
        tx._charge_with_token()
        self.assertEqual(tx.state, 'done')

    @mute_logger(*LOGGERS)
    def test_declined_key_charge_sets_error(self):
        """Test that a charge PortOne answers with a failed payment errors the transaction."""
        token = self._saved_card()
        self._sandbox_fault(decline={'count': 1, 'reason': "잔액부족"})
        tx = self._create_transaction('token', reference='S00054-A1B2C3', token_id=token.id)
        tx._charge_with_token()
        self.assertEqual(tx.state, 'error')
        self.assertIn("잔액부족", tx.state_message)

    @mute_logger(*LOGGERS)
    def test_unanswered_key_charge_stays_pending(self):
        """Test that a charge PortOne did not answer leaves the transaction pending, never done
        nor lost."""
        token = self._saved_card()
        self._sandbox_fault(fail={'path_prefix': '/subscribe/payments/again', 'status': 504})
        tx = self._create_transaction('token', reference='S00055-A1B2C3', token_id=token.id)
        tx._charge_with_token()
        self.assertEqual(tx.state, 'pending')

    @mute_logger(*LOGGERS, 'odoo.http')
    def test_a_token_is_never_charged_for_another_partner(self):
        """Test that the checkout refuses to pay an order with another customer's saved card,
        before anything reaches PortOne."""
        token = self._saved_card(partner=self.portal_partner)
        self._sandbox('DELETE', '/__sandbox__/stats')
        with self.assertRaises(JsonRpcException):
            self._get_processing_values(
                **self._prepare_transaction_values(None, token.id, 'token')
            )
        self.assertEqual(self._sandbox('GET', '/__sandbox__/stats')['total'], 0)

    # === DELETING KEYS === #

    @mute_logger(*LOGGERS)
    def test_archiving_a_token_deletes_its_key(self):
        """Test that archiving a token deletes the billing key at PortOne."""
        token = self._saved_card()
        self.assertIn(token.provider_ref, self.sandbox.state.billing_keys)
        token.action_archive()
        self.assertFalse(token.active)
        self.assertNotIn(token.provider_ref, self.sandbox.state.billing_keys)

    @mute_logger(*LOGGERS)
    def test_deleting_a_token_deletes_its_key(self):
        """Test that deleting a token (one no transaction used) deletes its key at PortOne."""
        customer_uid = 'p-unused-key'
        self._sandbox(
            'POST', '/__sandbox__/payments', merchant_uid='V-UNUSED-K', amount=0,
            customer_uid=customer_uid, webhook=False,
        )
        token = self._create_token(provider_ref=customer_uid)
        self.assertIn(customer_uid, self.sandbox.state.billing_keys)
        token.unlink()
        self.assertNotIn(customer_uid, self.sandbox.state.billing_keys)

    @mute_logger(*LOGGERS)
    def test_token_stays_when_portone_cannot_delete_its_key(self):
        """Test that a token the user removes stays active when PortOne cannot be reached."""
        token = self._saved_card()
        self.galaxia.galaxia_api_url = self._unreachable_url()
        with self.assertRaises(UserError):
            token.action_archive()
        self.assertTrue(token.active)

    @mute_logger(*LOGGERS)
    def test_disabling_the_provider_archives_tokens_even_if_portone_is_down(self):
        """Test that a provider can be disabled while PortOne is unreachable."""
        token = self._saved_card()
        self.galaxia.galaxia_api_url = self._unreachable_url()
        self.galaxia.state = 'disabled'
        self.assertFalse(token.active)
