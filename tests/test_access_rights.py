# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.payment_galaxia.tests.test_refunds import LOGGERS, RefundCommon


@tagged('post_install', '-at_install')
class TestAccessRights(RefundCommon, HttpCase):
    """What a portal customer and an internal user without accounting rights can reach over
    Odoo's RPC and button routes: nothing of the provider's actions or of refunds."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._require_modules('account_payment')  # The accountant who may refund.
        cls.enable_post_process_patcher = False

    def _call(self, user, route, model, method, args, kwargs=None):
        """Call `method` as `user` through `route` (JSON-RPC).

        :return: The decoded answer, with `result` or `error`.
        :rtype: dict
        """
        self.authenticate(user.login, user.login)
        response = self.url_open(route, json={'jsonrpc': '2.0', 'method': 'call', 'params': {
            'model': model, 'method': method, 'args': args, 'kwargs': kwargs or {},
        }})
        self.assertEqual(response.status_code, 200)
        return response.json()

    def _error(self, *call):
        """:return: The name of the error `_call(*call)` answered, if any. :rtype: str|None"""
        error = self._call(*call).get('error')
        return error and error['data']['name']

    def _lookups(self):
        return self._sandbox('GET', '/__sandbox__/stats')['total']

    @mute_logger('odoo.http')
    def test_provider_actions_need_write_access_on_the_provider(self):
        """Test that testing the connection or reconciling is refused to a portal customer and
        to an internal user, over RPC and as a button, without PortOne being asked."""
        self._sandbox('DELETE', '/__sandbox__/stats')
        for user in (self.portal_user, self.internal_user):
            for route in ('/web/dataset/call_kw', '/web/dataset/call_button'):
                for method in ('action_galaxia_test_connection', 'action_galaxia_reconcile'):
                    with self.subTest(user=user.login, route=route, method=method):
                        error = self._error(user, route, 'payment.provider', method,
                                          [[self.galaxia.id]])
                        self.assertEqual(error, 'odoo.exceptions.AccessError')
        self.assertEqual(self._lookups(), 0)

    @mute_logger('odoo.http', *LOGGERS)
    def test_refunds_need_the_rights_of_odoos_refund(self):
        """Test that a portal customer and an internal user without accounting rights can
        neither refund nor open the refund form of a virtual account, while an accountant can."""
        tx = self._paid_tx(payment_method='payment_galaxia.payment_method_vbank')
        account = {'refund_holder': "홍길동", 'refund_bank': '088', 'refund_account': '110123456'}
        for user in (self.portal_user, self.internal_user):
            with self.subTest(user=user.login):
                self.assertEqual(
                    self._error(user, '/web/dataset/call_kw', 'payment.transaction',
                              'action_refund', [[tx.id]], {'amount_to_refund': 1000}),
                    'odoo.exceptions.AccessError',
                )
                self.assertEqual(
                    self._error(user, '/web/dataset/call_kw', 'payment.galaxia.refund.wizard',
                              'create', [{'transaction_id': tx.id, 'amount_to_refund': 1000,
                                          **account}]),
                    'odoo.exceptions.AccessError',
                )
        self.assertEqual(self._portone_payment(tx).cancel_amount, 0)

        accountant = self._prepare_user(
            self._create_new_internal_user(login='accountant'), 'account.group_account_invoice'
        )
        wizard_id = self._call(
            accountant, '/web/dataset/call_kw', 'payment.galaxia.refund.wizard', 'create',
            [{'transaction_id': tx.id, 'amount_to_refund': 1000, **account}],
        )['result']
        self.assertFalse(self._error(accountant, '/web/dataset/call_button',
                                     'payment.galaxia.refund.wizard', 'action_refund',
                                     [[wizard_id]]))
        self.assertEqual(self._portone_payment(tx).cancel_amount, 1000)
