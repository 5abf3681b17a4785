# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

from datetime import datetime, time, timedelta, timezone

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.payment.tests.http_common import PaymentHttpCommon
from odoo.addons.payment_galaxia.tests.common import GalaxiaCommon

KST = timezone(timedelta(hours=9))
LOGGERS = (
    'odoo.addons.payment_galaxia.models.payment_transaction',
    'odoo.addons.payment.models.payment_transaction',
)


@tagged('post_install', '-at_install')
class TestVirtualAccounts(GalaxiaCommon, PaymentHttpCommon):
    """Where the customer finds the virtual account to pay into, once the page is closed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.enable_post_process_patcher = False  # The e-mail is sent by the post-processing.
        cls.env['res.lang']._activate_lang('ko_KR')
        cls.env['ir.module.module']._load_module_terms(['payment_galaxia'], ['ko_KR'])
        cls.due = datetime.combine(datetime.now(KST).date() + timedelta(days=3), time(23, 59, 59),
                                   tzinfo=KST)

    def _issued_account(self, reference, **values):
        tx = self._create_transaction(
            'direct', reference=reference,
            payment_method_id=self.env.ref('payment_galaxia.payment_method_vbank').id, **values,
        )
        payment = self._sandbox_pay(tx, pay_method='vbank', status='ready',
                                    vbank_date=int(self.due.timestamp()))
        tx._galaxia_process_from_portone(imp_uid=payment['imp_uid'])
        self.assertEqual(tx.state, 'pending')
        return tx

    def _account_mail(self, tx):
        return self.env['mail.mail'].search([
            ('model', '=', 'payment.transaction'), ('res_id', '=', tx.id),
            ('recipient_ids', 'in', tx.partner_id.ids),
        ])

    @mute_logger(*LOGGERS)
    def test_the_account_is_emailed_in_the_customers_language(self):
        """Test that post-processing an issued virtual account e-mails its customer the bank,
        number, holder, amount and due date in Korean time, in Korean for a Korean customer."""
        self.partner.lang = 'ko_KR'
        tx = self._issued_account('S00100-A1B2C3')
        tx._post_process()
        mail = self._account_mail(tx)
        self.assertEqual(len(mail), 1)
        body = mail.body_html
        for value in (tx.galaxia_vbank_name, tx.galaxia_vbank_num, tx.galaxia_vbank_holder,
                      '55,000', '23:59:59', self.due.strftime('%m')):
            self.assertIn(value, body)
        self.assertIn("계좌번호", body)
        self.assertIn(tx.reference, mail.subject)

        # The job and the status page post-process only what is not post-processed yet.
        self.assertTrue(tx.is_post_processed)

    @mute_logger(*LOGGERS)
    def test_no_account_email_for_other_payments(self):
        """Test that a payment without a virtual account sends no account e-mail."""
        tx = self._create_transaction('direct', reference='S00101-A1B2C3')
        tx._galaxia_process_from_portone(imp_uid=self._sandbox_pay(tx)['imp_uid'])
        tx._post_process()
        self.assertFalse(self._account_mail(tx))

    @mute_logger(*LOGGERS)
    def test_the_portal_order_page_shows_the_account(self):
        """Test that the customer's order page in the portal shows the account to pay into."""
        self._require_modules('sale')
        order = self.env['sale.order'].create({
            'partner_id': self.partner.id,
            'order_line': [Command.create({
                'product_id': self.env['product.product'].create({'name': "Lamp"}).id,
                'price_unit': 55000,
            })],
        })
        tx = self._issued_account('S00102-A1B2C3', sale_order_ids=[Command.set(order.ids)])
        token = order._portal_ensure_token()
        response = self.url_open(f'/my/orders/{order.id}?access_token={token}')
        self.assertEqual(response.status_code, 200)
        self.assertIn(tx.galaxia_vbank_num, response.text)
        self.assertIn('o_galaxia_vbank_account', response.text)
