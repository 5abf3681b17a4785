# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.payment.tests.http_common import PaymentHttpCommon
from odoo.addons.payment_galaxia import const
from odoo.addons.payment_galaxia.tests.common import GalaxiaCommon

LOGGERS = (
    'odoo.addons.payment_galaxia.controllers.main',
    'odoo.addons.payment_galaxia.models.payment_transaction',
    'odoo.addons.payment.models.payment_transaction',
)


@tagged('post_install', '-at_install')
class TestVerification(GalaxiaCommon, PaymentHttpCommon):
    """What an attacker who controls the browser, replays and reorders notifications and pays
    small amounts under any visible `merchant_uid` cannot make of a transaction."""

    def setUp(self):
        super().setUp()
        self.tx = self._create_transaction('direct', reference='S00080-A1B2C3')

    def _notify(self, payment):
        return self._make_json_request(self._build_url(const.WEBHOOK_ROUTE), data={
            'imp_uid': payment['imp_uid'],
            'merchant_uid': payment['merchant_uid'],
            'status': payment['status'],
        })

    def _return(self, payment, **extra):
        return self._make_http_post_request(self._build_url(const.RETURN_ROUTE), data={
            'imp_uid': payment['imp_uid'], 'merchant_uid': payment['merchant_uid'], **extra,
        })

    def _reconcile(self, tx):
        tx._galaxia_reconcile()

    def _charges(self, tx):
        """:return: PortOne's payments under the transaction's reference, oldest first."""
        return self._sandbox('GET', f'/__sandbox__/payments?merchant_uid={tx.reference}')[
            'payments'
        ]

    # === A WRONG PAYMENT IS REFUSED FOR GOOD === #

    @mute_logger(*LOGGERS)
    def test_wrong_amount_stays_refused_on_every_later_notification(self):
        """Test that a payment of another amount never confirms the transaction, whatever
        notification comes after the first: a return, duplicate webhooks, the job."""
        payment = self._sandbox_pay(self.tx, amount=100)
        self._notify(payment)
        self.assertEqual(self.tx.state, 'error')
        self._return(payment)
        self._notify(payment)
        self._notify(payment)
        self._reconcile(self.tx)
        self.assertEqual(self.tx.state, 'error')
        self.assertIn('100', self.tx.state_message)
        self.assertIn(payment['imp_uid'], self.tx.state_message)

    @mute_logger(*LOGGERS)
    def test_sandbox_payment_stays_refused_by_a_live_provider(self):
        """Test that a test-channel payment never confirms a live provider's transaction, even
        delivered again."""
        payment = self._sandbox_pay(self.tx)
        self._go_live()
        self.tx._process('galaxia', payment)
        self.tx._process('galaxia', payment)
        self.assertEqual(self.tx.state, 'error')

    @mute_logger(*LOGGERS)
    def test_a_payment_of_another_order_is_ignored(self):
        """Test that another order's paid payment, claimed for this transaction, changes
        nothing and is not even an error of this transaction."""
        other = self._create_transaction('direct', reference='S00081-D4E5F6')
        payment = self._sandbox_pay(other)
        self.tx._process('galaxia', payment)
        self._return({**payment, 'merchant_uid': self.tx.reference})
        self.assertEqual(self.tx.state, 'draft')

    # === THE CARD KEY WINDOW'S MERCHANT_UID === #

    def _card_key_tx(self):
        tx = self._create_transaction('direct', reference='S00082-A1B2C3', tokenize=True)
        self.galaxia.allow_tokenization = True
        request_pay = tx._get_processing_values()['galaxia_request_pay']
        self.assertEqual(request_pay['merchant_uid'], f'{tx.reference}{const.KEY_ISSUE_SUFFIX}')
        return tx, request_pay

    @mute_logger(*LOGGERS)
    def test_small_payment_under_the_key_window_id_is_ignored(self):
        """Test that a 100 KRW payment made under `<reference>-K` neither confirms a 55,000 KRW
        order nor disturbs it."""
        tx, request_pay = self._card_key_tx()
        payment = self._sandbox_pay(tx, merchant_uid=request_pay['merchant_uid'], amount=100)
        self._notify(payment)
        self._return(payment)
        self._reconcile(tx)
        self.assertEqual(tx.state, 'draft')
        self.assertFalse(tx.token_id)

    @mute_logger(*LOGGERS)
    def test_key_window_payment_with_another_customer_uid_is_ignored(self):
        """Test that a key issued under `<reference>-K` for another customer_uid saves nothing
        and charges nothing."""
        tx, request_pay = self._card_key_tx()
        payment = self._sandbox_pay(
            tx, merchant_uid=request_pay['merchant_uid'], amount=0, customer_uid='p-attacker-1',
        )
        self._notify(payment)
        self.assertEqual(tx.state, 'draft')
        self.assertFalse(tx.token_id)
        self.assertFalse(self._charges(tx))

    @mute_logger(*LOGGERS)
    def test_key_window_payment_that_charged_something_is_ignored(self):
        """Test that a key window payment that charged money (not a bare key) is not taken for
        an issued key."""
        tx, request_pay = self._card_key_tx()
        payment = self._sandbox_pay(
            tx, merchant_uid=request_pay['merchant_uid'], amount=100,
            customer_uid=request_pay['customer_uid'],
        )
        self.assertEqual(payment['customer_uid_usage'], 'issue')
        self._notify(payment)
        self.assertEqual(tx.state, 'draft')
        self.assertFalse(self._charges(tx))

    # === A PAID PAYMENT IS NEVER A BARE KEY === #

    @mute_logger(*LOGGERS)
    def test_paid_phone_payment_flagged_issue_is_not_charged_again(self):
        """Test that a paid payment of the order flagged `customer_uid_usage='issue'` confirms
        the order as the payment it is, and is never charged again with its key."""
        self.galaxia.allow_tokenization = True
        tx = self._create_transaction(
            'direct', reference='S00083-A1B2C3', tokenize=True,
            payment_method_id=self.env.ref('payment.payment_method_mobile').id,
        )
        request_pay = tx._get_processing_values()['galaxia_request_pay']
        payment = self._sandbox_pay(
            tx, pay_method='phone', customer_uid=request_pay['customer_uid'],
            customer_uid_usage='issue',
        )
        self._return(payment)
        self._notify(payment)
        self.assertEqual(tx.state, 'done')
        self.assertEqual(tx.provider_reference, payment['imp_uid'])
        self.assertEqual(tx.token_id.provider_ref, request_pay['customer_uid'])
        self.assertEqual(len(self._charges(tx)), 1)

    # === THE TRANSACTION KEEPS THE PAYMENT IT SETTLED ON === #

    @mute_logger(*LOGGERS)
    def test_earlier_failed_attempt_does_not_replace_the_paid_one(self):
        """Test that returning with an earlier failed attempt of the order leaves a confirmed
        transaction on the payment that paid it."""
        failed = self._sandbox_pay(self.tx, status='failed')
        paid = self._sandbox_pay(self.tx)
        self._notify(paid)
        self.assertEqual(self.tx.state, 'done')
        receipt_url = self.tx.galaxia_receipt_url
        self._return(failed)
        self.assertEqual(self.tx.state, 'done')
        self.assertEqual(self.tx.provider_reference, paid['imp_uid'])
        self.assertEqual(self.tx.galaxia_receipt_url, receipt_url)

    @mute_logger(*LOGGERS)
    def test_earlier_failed_attempt_does_not_error_an_issued_virtual_account(self):
        """Test that returning with an earlier failed attempt leaves a pending virtual account
        pending, on its account, and still reconciled."""
        self.tx.payment_method_id = self.env.ref('payment_galaxia.payment_method_vbank')
        failed = self._sandbox_pay(self.tx, pay_method='vbank', status='failed')
        issued = self._sandbox_pay(self.tx, pay_method='vbank', status='ready')
        self._notify(issued)
        self.assertEqual(self.tx.state, 'pending')
        self._return(failed)
        self.assertEqual(self.tx.state, 'pending')
        self.assertEqual(self.tx.provider_reference, issued['imp_uid'])
        self.assertEqual(self.tx.galaxia_vbank_num, issued['vbank_num'])

    @mute_logger(*LOGGERS)
    def test_another_attempt_paid_confirms_a_pending_virtual_account(self):
        """Test that a pending virtual account is confirmed by another attempt of the order that
        PortOne reports paid (the customer paid by card after all)."""
        self.tx.payment_method_id = self.env.ref('payment_galaxia.payment_method_vbank')
        issued = self._sandbox_pay(self.tx, pay_method='vbank', status='ready')
        self._notify(issued)
        paid = self._sandbox_pay(self.tx)
        self._notify(paid)
        self.assertEqual(self.tx.state, 'done')
        self.assertEqual(self.tx.provider_reference, paid['imp_uid'])

    @mute_logger(*LOGGERS)
    def test_declined_attempt_then_paid_one_confirms_the_transaction(self):
        """Test that a declined attempt (error) is no verdict on the order: the paid attempt
        that follows it in the same window confirms the transaction."""
        failed = self._sandbox_pay(self.tx, status='failed')
        self._return(failed)
        self.assertEqual(self.tx.state, 'error')
        self.assertEqual(self.tx.provider_reference, failed['imp_uid'])
        paid = self._sandbox_pay(self.tx)
        self._notify(paid)
        self.assertEqual(self.tx.state, 'done')
        self.assertEqual(self.tx.provider_reference, paid['imp_uid'])

    @mute_logger(*LOGGERS)
    def test_paid_again_after_a_cancelled_attempt_confirms_the_transaction(self):
        """Test that a transaction cancelled with an attempt PortOne cancelled is confirmed by
        the payment PortOne then holds for the order: the money is there."""
        first = self._sandbox_pay(self.tx)
        self._sandbox('POST', f"/__sandbox__/payments/{first['imp_uid']}/console-cancel")
        self._notify(first)
        self.assertEqual(self.tx.state, 'cancel')
        second = self._sandbox_pay(self.tx)
        self._notify(second)
        self.assertEqual(self.tx.state, 'done')
        self.assertEqual(self.tx.provider_reference, second['imp_uid'])

    @mute_logger(*LOGGERS)
    def test_waiting_payment_writes_nothing(self):
        """Test that a window still open at PortOne changes nothing on the transaction."""
        payment = self._sandbox_pay(self.tx, status='ready')
        self._notify(payment)
        self.assertEqual(self.tx.state, 'draft')
        self.assertFalse(self.tx.provider_reference)

    # === THE RETURN ROUTE'S VERDICT === #

    def _report(self, imp_uid='', error_msg='', customer=True):
        """Report the end of the window as the checkout does (from the customer's browser, or
        another's), and return the server's verdict."""
        data = {'imp_uid': imp_uid, 'merchant_uid': self.tx.reference, 'error_msg': error_msg,
                'mode': 'json'}
        if customer:
            self._browse_as_customer_of(self.tx)
        else:
            self.authenticate(None, None)
        response = self._make_http_post_request(self._build_url(const.RETURN_ROUTE), data=data)
        self.assertEqual(response.status_code, 200)
        return response.json()

    @mute_logger(*LOGGERS)
    def test_verdict_sends_a_paid_customer_to_the_status_page(self):
        """Test that a report with only the ids of a paid payment is answered with the status
        page, whatever the window said."""
        payment = self._sandbox_pay(self.tx)
        self.assertEqual(self._report(payment['imp_uid'], error_msg="실패"),
                         {'redirect_url': '/payment/status'})
        self.assertEqual(self.tx.state, 'done')

    @mute_logger(*LOGGERS)
    def test_verdict_sends_an_issued_virtual_account_to_the_status_page(self):
        """Test that an issued virtual account reported by its ids leads to the status page."""
        self.tx.payment_method_id = self.env.ref('payment_galaxia.payment_method_vbank')
        payment = self._sandbox_pay(self.tx, pay_method='vbank', status='ready')
        self.assertEqual(self._report(payment['imp_uid']), {'redirect_url': '/payment/status'})
        self.assertEqual(self.tx.state, 'pending')

    @mute_logger(*LOGGERS)
    def test_verdict_says_the_windows_reason_for_a_declined_payment(self):
        """Test that a declined payment is answered with the window's message, or PortOne's
        reason when the window gave none."""
        payment = self._sandbox_pay(self.tx, status='failed', fail_reason="한도초과")
        self.assertEqual(self._report(payment['imp_uid'], error_msg="카드 거절"),
                         {'error': "카드 거절"})
        self.assertEqual(self._report(payment['imp_uid']), {'error': "한도초과"})

    @mute_logger(*LOGGERS)
    def test_verdict_says_why_a_payment_was_refused_to_its_customer_only(self):
        """Test that the customer is told why their payment was refused, and a stranger's browser
        only that it was not completed."""
        payment = self._sandbox_pay(self.tx, amount=100)
        refused = self._report(payment['imp_uid'])
        self.assertIn(payment['imp_uid'], refused['error'])
        self.assertEqual(self.tx.state, 'error')
        stranger = self._report(payment['imp_uid'], customer=False)
        self.assertNotIn(payment['imp_uid'], stranger['error'])

    @mute_logger(*LOGGERS)
    def test_verdict_sends_to_the_status_page_when_portone_cannot_be_asked(self):
        """Test that a report PortOne cannot confirm leaves the transaction as it was and sends
        the customer to the status page, which waits for the webhook, not to a second payment."""
        payment = self._sandbox_pay(self.tx)
        self._sandbox_fault(fail={'path_prefix': '/payments/', 'status': 503, 'count': 1})
        self.assertEqual(self._report(payment['imp_uid'], error_msg="x"),
                         {'redirect_url': '/payment/status'})
        self.assertEqual(self.tx.state, 'draft')

    @mute_logger(*LOGGERS)
    def test_window_left_open_and_reported_closed_errors_the_transaction(self):
        """Test that a window PortOne still holds open, reported ended by its customer, sets the
        transaction in error, and that its payment still confirms it if it completes later."""
        payment = self._sandbox_pay(self.tx, status='ready')
        self.assertEqual(self._report(payment['imp_uid'], error_msg="닫힘"), {'error': "닫힘"})
        self.assertEqual(self.tx.state, 'error')
        self._sandbox('POST', f"/v1/window/{payment['imp_uid']}/approve")
        self._notify({**payment, 'status': 'paid'})
        self.assertEqual(self.tx.state, 'done')
