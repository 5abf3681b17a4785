# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.payment.tests.http_common import PaymentHttpCommon
from odoo.addons.payment_galaxia import const
from odoo.addons.payment_galaxia.tests.common import GalaxiaCommon

CONTROLLER_LOGGER = 'odoo.addons.payment_galaxia.controllers.main'
TRANSACTION_LOGGER = 'odoo.addons.payment_galaxia.models.payment_transaction'
PAYMENT_LOGGER = 'odoo.addons.payment.models.payment_transaction'


@tagged('post_install', '-at_install')
class TestProcessingFlows(GalaxiaCommon, PaymentHttpCommon):

    def setUp(self):
        super().setUp()
        self.tx = self._create_transaction('direct', reference='S00042-A1B2C3')
        self.webhook_url = self._build_url(const.WEBHOOK_ROUTE)
        self.return_url = self._build_url(const.RETURN_ROUTE)

    def _post_webhook(self, data, as_form=False):
        if as_form:
            return self._make_http_post_request(self.webhook_url, data=data)
        return self._make_json_request(self.webhook_url, data=data)

    def _notify(self, payment, **extra):
        return self._post_webhook({
            'imp_uid': payment['imp_uid'],
            'merchant_uid': payment['merchant_uid'],
            'status': payment['status'],
            **extra,
        })

    # === RETURN ROUTE === #

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER)
    def test_pc_callback_confirms_a_paid_payment(self):
        """Test that the PC callback's post confirms the payment PortOne says is paid."""
        payment = self._sandbox_pay(self.tx)
        response = self._make_http_post_request(self.return_url, data={
            'imp_uid': payment['imp_uid'], 'merchant_uid': self.tx.reference,
        })
        self.assertEqual(self.tx.state, 'done')
        self.assertEqual(self.tx.provider_reference, payment['imp_uid'])
        self.assertTrue(response.url.endswith('/payment/status'))

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER)
    def test_mobile_redirect_confirms_a_paid_payment(self):
        """Test that the mobile redirection (GET with PortOne's query) confirms the payment."""
        payment = self._sandbox_pay(self.tx, channel='mobile')
        response = self._make_http_get_request(self.return_url, params={
            'imp_uid': payment['imp_uid'],
            'merchant_uid': self.tx.reference,
            'imp_success': 'true',
        })
        self.assertEqual(self.tx.state, 'done')
        self.assertTrue(response.url.endswith('/payment/status'))

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER)
    def test_return_without_imp_uid_finds_the_payment_by_merchant_uid(self):
        """Test that a return without imp_uid looks the payment up by merchant_uid."""
        self._sandbox_pay(self.tx)
        self._make_http_get_request(self.return_url, params={'merchant_uid': self.tx.reference})
        self.assertEqual(self.tx.state, 'done')

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER)
    def test_return_claiming_success_changes_nothing_without_a_payment(self):
        """Test that a return saying "success" without any payment at PortOne changes nothing."""
        self._make_http_get_request(self.return_url, params={
            'imp_uid': 'imp_999999999999', 'merchant_uid': self.tx.reference, 'imp_success': 'true',
        })
        self.assertEqual(self.tx.state, 'draft')

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER)
    def test_return_with_another_orders_payment_changes_nothing(self):
        """Test that posting the imp_uid of another order's paid payment changes nothing."""
        other_tx = self._create_transaction('direct', reference='S00043-D4E5F6', amount=1000)
        other_payment = self._sandbox_pay(other_tx)
        self._make_http_post_request(self.return_url, data={
            'imp_uid': other_payment['imp_uid'], 'merchant_uid': self.tx.reference,
        })
        self.assertEqual(self.tx.state, 'draft')
        self.assertEqual(other_tx.state, 'draft')

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER)
    def test_window_ended_without_payment_sets_error_from_the_customers_browser(self):
        """Test that the customer's own browser reporting a window closed before any payment
        existed sets the transaction in error, and that no other browser can."""
        data = {'merchant_uid': self.tx.reference, 'error_msg': "사용자가 결제를 취소하셨습니다",
                'mode': 'json'}
        self.authenticate(None, None)  # A stranger who knows the order's reference.
        self._make_http_post_request(self.return_url, data=data)
        self.assertEqual(self.tx.state, 'draft')
        self._browse_as_customer_of(self.tx)
        response = self._make_http_post_request(self.return_url, data=data)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.tx.state, 'error')
        self.assertEqual(self.tx.state_message, "사용자가 결제를 취소하셨습니다")

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER)
    def test_return_with_nothing_usable_just_shows_the_status_page(self):
        """Test that a return naming no order, an unknown one or a malformed payment id shows
        the status page and changes nothing."""
        for params in ({}, {'merchant_uid': 'not-ours'},
                       {'merchant_uid': self.tx.reference, 'imp_uid': '../../users/getToken'}):
            with self.subTest(params=params):
                response = self._make_http_get_request(self.return_url, params=params)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.url.endswith('/payment/status'))
        self.assertEqual(self.tx.state, 'draft')

    # === WEBHOOK: STATUSES === #

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER)
    def test_webhook_confirms_a_paid_payment(self):
        """Test that a JSON webhook for a paid payment confirms the transaction."""
        payment = self._sandbox_pay(self.tx)
        response = self._notify(payment)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.tx.state, 'done')

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER)
    def test_form_encoded_webhook_is_accepted(self):
        """Test that a form-encoded webhook (a PortOne console setting) is processed."""
        payment = self._sandbox_pay(self.tx)
        response = self._post_webhook({
            'imp_uid': payment['imp_uid'], 'merchant_uid': self.tx.reference, 'status': 'paid',
        }, as_form=True)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.tx.state, 'done')

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER)
    def test_webhook_status_is_not_trusted(self):
        """Test that the status in the webhook body is ignored in favour of PortOne's."""
        payment = self._sandbox_pay(self.tx, status='failed')
        self._notify(payment, status='paid')
        self.assertEqual(self.tx.state, 'error')

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER)
    def test_issued_virtual_account_is_pending_then_done_on_deposit(self):
        """Test that an issued virtual account makes the transaction pending with the account
        stored, and that the deposit's webhook confirms it."""
        self.tx.payment_method_id = self.env.ref('payment_galaxia.payment_method_vbank')
        payment = self._sandbox_pay(self.tx, pay_method='vbank', status='ready', webhook=True)
        self.assertEqual(self.tx.state, 'pending')
        self.assertEqual(self.tx.galaxia_vbank_num, payment['vbank_num'])
        self.assertEqual(self.tx.galaxia_vbank_name, payment['vbank_name'])
        self.assertTrue(self.tx.galaxia_vbank_due)
        deposit = self._sandbox('POST', f"/__sandbox__/payments/{payment['imp_uid']}/deposit")
        self.assertEqual([w['http_status'] for w in deposit['webhooks']], [200])
        self.assertEqual(self.tx.state, 'done')

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER)
    def test_failed_payment_sets_error_with_the_reason(self):
        """Test that a failed payment sets the transaction in error with PortOne's reason."""
        payment = self._sandbox_pay(self.tx, status='failed', fail_reason="한도초과")
        self._notify(payment)
        self.assertEqual(self.tx.state, 'error')
        self.assertIn("한도초과", self.tx.state_message)

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER)
    def test_payment_cancelled_before_odoo_knew_it_cancels_the_transaction(self):
        """Test that a payment cancelled in PortOne's console before Odoo learned it was paid
        cancels the transaction instead of confirming it."""
        payment = self._sandbox_pay(self.tx)  # its webhook was lost
        self._sandbox('POST', f"/__sandbox__/payments/{payment['imp_uid']}/console-cancel",
                      reason="고객 요청")
        self.assertEqual(self.tx.state, 'cancel')
        self.assertEqual(self.tx.state_message, "고객 요청")

    # === WEBHOOK: VERIFICATION === #

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER, PAYMENT_LOGGER)
    def test_amount_mismatch_sets_error(self):
        """Test that a payment of another amount than the transaction's is refused."""
        payment = self._sandbox_pay(self.tx, amount=int(self.tx.amount) - 1)
        self._notify(payment)
        self.assertEqual(self.tx.state, 'error')

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER, PAYMENT_LOGGER)
    def test_currency_mismatch_sets_error(self):
        """Test that a payment in another currency than the transaction's is refused."""
        payment = self._sandbox_pay(self.tx)
        self.tx._process('galaxia', {**payment, 'currency': 'USD'})
        self.assertEqual(self.tx.state, 'error')

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER, PAYMENT_LOGGER)
    def test_missing_amount_sets_error(self):
        """Test that a payment without an amount is refused rather than guessed."""
        payment = self._sandbox_pay(self.tx)
        del payment['amount']
        self.tx._process('galaxia', payment)
        self.assertEqual(self.tx.state, 'error')

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER)
    def test_live_provider_does_not_see_sandbox_payments(self):
        """Test that a live provider asks without include_sandbox and so never confirms a test
        payment."""
        self._go_live()
        payment = self._sandbox_pay(self.tx)  # made on the test channel
        self._notify(payment)
        self.assertEqual(self.tx.state, 'draft')

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER)
    def test_live_provider_confirms_live_payments(self):
        """Test that a live provider confirms a payment of a live channel."""
        self._go_live()
        payment = self._sandbox_pay(self.tx, sandbox=False)
        self._notify(payment)
        self.assertEqual(self.tx.state, 'done')

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER)
    def test_sandbox_payment_data_is_refused_by_a_live_provider(self):
        """Test that payment data flagged sandbox never confirms a live provider's transaction."""
        payment = self._sandbox_pay(self.tx)
        self._go_live()
        self.tx._process('galaxia', payment)
        self.assertEqual(self.tx.state, 'error')

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER)
    def test_unknown_imp_uid_changes_nothing(self):
        """Test that a webhook naming a payment PortOne does not know changes nothing."""
        response = self._post_webhook({
            'imp_uid': 'imp_000000000404', 'merchant_uid': self.tx.reference, 'status': 'paid',
        })
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.tx.state, 'draft')

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER)
    def test_unknown_merchant_uid_is_acknowledged(self):
        """Test that a webhook for an order this database does not know is acknowledged."""
        response = self._post_webhook({
            'imp_uid': 'imp_1', 'merchant_uid': 'not-ours', 'status': 'paid'
        })
        self.assertEqual(response.status_code, 200)

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER)
    def test_webhook_without_imp_uid_finds_the_payment_by_merchant_uid(self):
        """Test that a webhook without imp_uid is resolved by merchant_uid."""
        self._sandbox_pay(self.tx)
        self._post_webhook({'merchant_uid': self.tx.reference, 'status': 'paid'})
        self.assertEqual(self.tx.state, 'done')

    @mute_logger(CONTROLLER_LOGGER)
    def test_malformed_and_empty_bodies_are_refused_without_error(self):
        """Test that unreadable bodies get a 400, never a 500, and change nothing."""
        bodies = [
            ('application/json', b'{not json'),
            ('application/json', b''),
            ('application/json', b'[1, 2]'),
            ('application/json', b'{"merchant_uid": 42}'),
            ('application/x-www-form-urlencoded', b''),
            ('text/plain', b'hello'),
        ]
        for content_type, body in bodies:
            with self.subTest(content_type=content_type, body=body):
                response = self.url_open(
                    self.webhook_url, data=body, headers={'Content-Type': content_type},
                    method='POST',
                )
                self.assertEqual(response.status_code, 400)
        self.assertEqual(self.tx.state, 'draft')

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER, PAYMENT_LOGGER)
    def test_duplicate_webhooks_are_processed_once(self):
        """Test that the same notification received three times is applied once."""
        payment = self._sandbox_pay(self.tx)
        self._notify(payment)
        self.assertEqual(self.tx.state, 'done')
        # Applying the state again would reset the flag for a second post-processing.
        self.tx.is_post_processed = True
        for _attempt in range(2):
            self.assertEqual(self._notify(payment).status_code, 200)
        self.assertEqual(self.tx.state, 'done')
        self.assertTrue(self.tx.is_post_processed)

    def _portone_requests(self):
        return self._sandbox('GET', '/__sandbox__/stats')['total']

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER, PAYMENT_LOGGER)
    def test_notification_that_changes_nothing_costs_no_call_nor_write(self):
        """Test that a webhook or return naming the payment and status a done transaction is
        already final on is acknowledged without asking PortOne and without writing."""
        payment = self._sandbox_pay(self.tx)
        self._notify(payment)
        self.assertEqual(self.tx.state, 'done')
        self.env.flush_all()
        written_at = self.tx.write_date
        self._sandbox('DELETE', '/__sandbox__/stats')
        self.assertEqual(self._notify(payment).status_code, 200)
        self._make_http_post_request(self.return_url, data={
            'imp_uid': payment['imp_uid'], 'merchant_uid': self.tx.reference,
        })
        self.assertEqual(self._portone_requests(), 0)
        self.env.invalidate_all()
        self.assertEqual(self.tx.write_date, written_at)

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER, PAYMENT_LOGGER)
    def test_notification_that_may_change_something_is_verified(self):
        """Test that any other claim about a transaction is verified at PortOne: another
        payment, another status, a cancellation, a transaction not final yet."""
        payment = self._sandbox_pay(self.tx)
        self._sandbox('DELETE', '/__sandbox__/stats')
        self._notify(payment)  # Not final yet.
        self.assertEqual(self._portone_requests(), 1)
        for claim in ({'imp_uid': 'imp_000000000404'}, {'status': 'cancelled'},
                      {'cancellation_id': 'cancel_000000000001'}):
            with self.subTest(claim=claim):
                self._sandbox('DELETE', '/__sandbox__/stats')
                self._post_webhook({'imp_uid': payment['imp_uid'],
                                    'merchant_uid': self.tx.reference, 'status': 'paid', **claim})
                self.assertEqual(self._portone_requests(), 1)
        self.assertEqual(self.tx.state, 'done')

    def test_the_portone_client_is_built_once_per_provider(self):
        """Test that the provider's client is reused from call to call, and rebuilt when its
        URL or credentials change."""
        client = self.galaxia._galaxia_get_client()
        self.assertIs(self.galaxia._galaxia_get_client(), client)
        self.galaxia.galaxia_api_url = self._unreachable_url()
        rebuilt = self.galaxia._galaxia_get_client()
        self.assertIsNot(rebuilt, client)
        self.assertEqual(rebuilt.base_url, self.galaxia.galaxia_api_url)

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER)
    def test_webhook_is_refused_from_outside_portone_when_asked(self):
        """Test that the sender check refuses a notification from another address."""
        self.galaxia.galaxia_check_webhook_ip = True
        payment = self._sandbox_pay(self.tx)
        response = self._notify(payment)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.tx.state, 'draft')

    # === PORTONE FAILURES === #

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER)
    def test_portone_server_error_leaves_the_transaction_recoverable(self):
        """Test that a PortOne 5xx leaves the transaction as it was, and that the next
        notification confirms it."""
        payment = self._sandbox_pay(self.tx)
        self._sandbox_fault(fail={'path_prefix': '/payments/', 'status': 503, 'count': 1})
        self.assertEqual(self._notify(payment).status_code, 200)
        self.assertEqual(self.tx.state, 'draft')
        self._notify(payment)
        self.assertEqual(self.tx.state, 'done')

    @mute_logger(CONTROLLER_LOGGER, TRANSACTION_LOGGER)
    def test_portone_timeout_leaves_the_transaction_recoverable(self):
        """Test that a PortOne that does not answer in time leaves the transaction unchanged."""
        payment = self._sandbox_pay(self.tx)
        self._sandbox_fault(timeout={'path_prefix': '/payments/', 'seconds': 4})
        response = self._notify(payment)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.tx.state, 'draft')

    # === PROCESSING VALUES === #

    def test_reference_is_a_short_unique_merchant_uid(self):
        """Test that references are valid merchant_uids that two databases never share."""
        references = {
            self.env['payment.transaction']._compute_reference('galaxia', prefix='S00012')
            for _i in range(5)
        }
        self.assertEqual(len(references), 5)
        for reference in references:
            self.assertRegex(reference, r'^S00012-[0-9A-F]{6}$')
        long_reference = self.env['payment.transaction']._compute_reference(
            'galaxia', prefix='INV/2026/00001, INV/2026/00002, INV/2026/00003'
        )
        self.assertRegex(long_reference, r'^[A-Za-z0-9_-]+$')
        self.assertLessEqual(len(long_reference), 37)  # room for Odoo's -N suffix up to 40

    def test_processing_values_hold_the_request_pay_parameters(self):
        """Test that the window's parameters are built by the server from the transaction."""
        self.galaxia.write({'galaxia_item_code': 'ITEM01', 'galaxia_card_quota': '2,3'})
        processing_values = self.tx._get_processing_values()
        request_pay = processing_values['galaxia_request_pay']
        self.assertEqual(processing_values['galaxia_merchant_code'], 'imp00000000')
        self.assertEqual(processing_values['galaxia_sdk_url'], f'{self.sandbox.url}/v1/iamport.js')
        self.assertEqual(request_pay['channelKey'], 'channel-key-galaxia-test')
        self.assertEqual(request_pay['pay_method'], 'card')
        self.assertEqual(request_pay['merchant_uid'], self.tx.reference)
        self.assertEqual(request_pay['amount'], 55000)
        self.assertIsInstance(request_pay['amount'], int)
        self.assertLessEqual(len(request_pay['customer_id']), 20)
        self.assertEqual(request_pay['display'], {'card_quota': [2, 3]})
        self.assertEqual(request_pay['bypass'], {'galaxia': {'ITEM_CODE': 'ITEM01'}})
        self.assertEqual(request_pay['notice_url'], self.webhook_url)
        self.assertEqual(request_pay['m_redirect_url'], self.return_url)

    def test_processing_values_register_the_amount_at_portone(self):
        """Test that the amount is registered at PortOne before the window opens."""
        self.tx._get_processing_values()
        self.assertEqual(self.sandbox.state.prepared[self.tx.reference]['amount'], 55000)

    @mute_logger(TRANSACTION_LOGGER)
    def test_registration_failure_errors_the_transaction(self):
        """Test that PortOne refusing the amount registration puts the transaction in error."""
        self._sandbox_fault(fail={'path_prefix': '/payments/prepare', 'status': 500, 'count': 1})
        processing_values = self.tx._get_processing_values()
        self.assertEqual(processing_values['state'], 'error')
        self.assertNotIn('galaxia_request_pay', processing_values)

    @mute_logger(TRANSACTION_LOGGER)
    def test_galaxia_refusal_errors_the_transaction_in_the_customers_words(self):
        """Test that a request Galaxia would refuse never opens the window."""
        self.tx.payment_method_id = self.env.ref('payment.payment_method_bank_transfer')
        self.tx.partner_name = False
        processing_values = self.tx._get_processing_values()
        self.assertEqual(processing_values['state'], 'error')
        self.assertTrue(processing_values['state_message'])

    def test_card_company_window_is_opened_directly_when_set(self):
        """Test that a provider set to one card company opens its window directly (card.direct,
        lump sum), that the window accepts it, and that other methods do not carry it."""
        self.galaxia.galaxia_card_direct_code = '366'
        request_pay = self.tx._get_processing_values()['galaxia_request_pay']
        self.assertEqual(request_pay['card'], {'direct': {'code': '366', 'quota': 0}})
        opened = self._sandbox('POST', '/v1/window/open', imp_code='imp00000000',
                               param=request_pay)
        self.assertTrue(opened['ok'], opened)
        vbank_tx = self._create_transaction(
            'direct', reference='S00042-D4E5F6',
            payment_method_id=self.env.ref('payment_galaxia.payment_method_vbank').id,
        )
        self.assertNotIn('card', vbank_tx._get_processing_values()['galaxia_request_pay'])

    def test_ios_app_url_scheme_is_checked_and_handed_to_the_checkout(self):
        """Test that the iOS app's URL scheme must be a scheme alone, and that the checkout gets
        it to add when it runs inside an iOS app (not in the server-built parameter)."""
        for wrong in ('myshop', 'myshop://pay', 'https://shop.example/'):
            with self.subTest(scheme=wrong), self.assertRaises(ValidationError):
                self.galaxia.galaxia_app_scheme = wrong
        self.galaxia.galaxia_app_scheme = 'myshop://'
        processing_values = self.tx._get_processing_values()
        self.assertEqual(processing_values['galaxia_app_scheme'], 'myshop://')
        self.assertNotIn('app_scheme', processing_values['galaxia_request_pay'])

    def test_virtual_account_gets_a_deadline_and_escrow(self):
        """Test that virtual accounts carry the deposit deadline and the escrow option."""
        self.galaxia.write({'galaxia_escrow': True, 'galaxia_vbank_validity_days': 5})
        self.tx.payment_method_id = self.env.ref('payment_galaxia.payment_method_vbank')
        request_pay = self.tx._get_processing_values()['galaxia_request_pay']
        self.assertEqual(request_pay['pay_method'], 'vbank')
        self.assertRegex(request_pay['vbank_due'], r'^\d{8}$')
        self.assertIs(request_pay['escrow'], True)
