# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

import logging

from odoo.tests import tagged

from odoo.addons.payment.tests.http_common import PaymentHttpCommon
from odoo.addons.payment_galaxia import const
from odoo.addons.payment_galaxia.tests.test_refunds import RefundCommon

BUYER = {
    'name': "김민지",
    'email': 'minji.kim@example.kr',
    'phone': '010-2468-1357',
    'street': "테헤란로 152",
    'zip': '06236',
}
REFUND_ACCOUNT = {
    'refund_holder': "박서준", 'refund_bank': '004', 'refund_account': '93810204119871',
    'refund_tel': '010-9753-8642',
}


class LogText(logging.Handler):
    """Everything logged, as an operator would read it."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


@tagged('post_install', '-at_install')
class TestLogs(RefundCommon, PaymentHttpCommon):
    """Logs an operator can share: no buyer, account, key or token, at any level."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner.write({**BUYER, 'country_id': cls.env.ref('base.kr').id})
        cls.galaxia.allow_tokenization = True

    def setUp(self):
        super().setUp()
        self.log = LogText()
        root = logging.getLogger()
        root.addHandler(self.log)
        self.addCleanup(root.removeHandler, self.log)
        for name in ('odoo.addons.payment_galaxia', 'odoo.addons.payment'):
            logger = logging.getLogger(name)
            self.addCleanup(logger.setLevel, logger.level)
            logger.setLevel(logging.DEBUG)

    def _window_payment(self, tx, **values):
        """Open `tx`'s window and have PortOne hold what the customer did in it."""
        request_pay = tx._get_processing_values()['galaxia_request_pay']
        buyer = {key: request_pay[key] for key in request_pay if key.startswith('buyer_')}
        return request_pay, self._sandbox_pay(
            tx, merchant_uid=request_pay['merchant_uid'], amount=request_pay['amount'],
            customer_uid=request_pay.get('customer_uid'), **buyer, **values,
        )

    def _notify_both_ways(self, payment, request_pay):
        data = {'imp_uid': payment['imp_uid'], 'merchant_uid': payment['merchant_uid']}
        self._make_http_post_request(request_pay['m_redirect_url'], data=data)
        self._make_json_request(self._build_url(const.WEBHOOK_ROUTE), data={**data, 'status': 'x'})

    def test_checkout_refund_and_key_flows_log_nobody(self):
        """Test that paying by card, saving a card and paying with it, issuing, depositing and
        refunding a virtual account log none of the buyer's details, the account numbers, the
        billing key's id, down to DEBUG."""
        card_tx = self._create_transaction('direct', reference='S00090-A1B2C3')
        request_pay, payment = self._window_payment(card_tx)
        self._notify_both_ways(payment, request_pay)
        secrets = []

        key_tx = self._create_transaction('direct', reference='S00091-A1B2C3', tokenize=True)
        request_pay, payment = self._window_payment(key_tx, card_number='536510******4242')
        self._notify_both_ways(payment, request_pay)
        self.assertEqual(key_tx.state, 'done')
        secrets.append(request_pay['customer_uid'])
        token_tx = self._create_transaction(
            'token', reference='S00092-A1B2C3', token_id=key_tx.token_id.id,
        )
        token_tx._charge_with_token()

        vbank_tx = self._create_transaction(
            'direct', reference='S00093-A1B2C3',
            payment_method_id=self.env.ref('payment_galaxia.payment_method_vbank').id,
        )
        request_pay, payment = self._window_payment(vbank_tx, pay_method='vbank', status='ready')
        self._notify_both_ways(payment, request_pay)
        self.assertEqual(vbank_tx.state, 'pending')
        secrets.append(payment['vbank_num'])
        self._sandbox('POST', f"/__sandbox__/payments/{payment['imp_uid']}/deposit")
        vbank_tx._galaxia_process_from_portone()
        refund = vbank_tx._refund(amount_to_refund=1000, refund_account=REFUND_ACCOUNT)
        self.assertEqual(refund.state, 'done')

        self.assertTrue(len(self.log.lines) > 20, "the flows logged nothing to look at")
        text = '\n'.join(self.log.lines)
        phone_digits = BUYER['phone'].replace('-', '')
        account = [REFUND_ACCOUNT[key] for key in ('refund_holder', 'refund_account', 'refund_tel')]
        for secret in [*BUYER.values(), phone_digits, *account, *secrets]:
            with self.subTest(secret=secret):
                self.assertNotIn(secret, text)
