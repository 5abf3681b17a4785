# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

import socket
import time
from contextlib import nullcontext
from unittest import SkipTest

import requests

from odoo.tests import HttpCase

from odoo.addons.payment.controllers.post_processing import PaymentPostProcessing
from odoo.addons.payment.tests.common import PaymentCommon
from odoo.addons.payment_galaxia import const
from odoo.addons.payment_galaxia.tests.sandbox import SandboxConfig, SandboxServer
from odoo.addons.payment_galaxia.tests.shop_setup import sandbox_provider_values


class GalaxiaCommon(PaymentCommon):
    """A Galaxia provider in test mode against a real offline PortOne sandbox on 127.0.0.1.

    Webhooks the sandbox sends reach the Odoo server of `HttpCase` classes; plain transaction
    cases only use the REST API.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The window's webhook waits so that the browser usually wins, as at PortOne.
        cls.sandbox = SandboxServer(SandboxConfig(webhook_delay=0.2)).start()
        cls.addClassCleanup(cls.sandbox.stop)

        cls.currency_krw = cls._enable_currency('KRW')
        cls.currency = cls.currency_krw
        cls.amount = 55000.0
        provider_values = sandbox_provider_values(cls.sandbox.url, cls.sandbox.config)
        cls.credentials = {
            name: value for name, value in provider_values.items()
            if name in ('galaxia_merchant_code', 'galaxia_channel_key', 'galaxia_api_key',
                        'galaxia_api_secret')
        }
        cls.galaxia = cls._prepare_provider('galaxia', update_values=provider_values)
        cls.provider = cls.galaxia
        cls.payment_method = cls.env.ref('payment.payment_method_card')
        cls.payment_method_id = cls.payment_method.id
        cls.payment_method_code = cls.payment_method.code
        # Timeouts are exercised with a sandbox that hangs longer than this.
        cls.env['ir.config_parameter'].set_param(const.TIMEOUT_PARAM, 2)

    def setUp(self):
        super().setUp()
        self._sandbox('POST', '/__sandbox__/reset')

    @classmethod
    def _require_modules(cls, *modules):
        """Skip the tests unless `modules` are installed: the module depends on `payment`
        alone, and `make test` installs website_sale, which brings them all.

        :param str modules: The technical names of the modules the tests need.
        :raise SkipTest: If one is not installed.
        """
        missing = set(modules) - set(cls.env['ir.module.module'].search(
            [('name', 'in', modules), ('state', '=', 'installed')]
        ).mapped('name'))
        if missing:
            raise SkipTest(f"These tests need {', '.join(sorted(missing))}.")

    def _go_live(self, channel_key=None):
        """Enable the provider while it still talks to the sandbox, which no user may do (a
        live provider talks to PortOne's hosts only): written past the ORM's constraint.

        :param str channel_key: The channel to use, default the sandbox's live one.
        """
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE payment_provider SET state = 'enabled', galaxia_channel_key = %s"
            " WHERE id = %s",
            [channel_key or 'channel-key-galaxia-live', self.galaxia.id],
        )
        self.galaxia.invalidate_recordset()

    def _browse_as_customer_of(self, tx):
        """Make the test browser the customer's own, whose session monitors `tx` as the
        checkout that created it left it (HTTP cases only).

        :param payment.transaction tx: The customer's transaction.
        """
        self.authenticate(
            None, None, session_extra={PaymentPostProcessing.MONITORED_TX_ID_KEY: tx.id}
        )

    def _sandbox(self, method, path, **body):
        """Call the sandbox (REST or control API) and return its JSON answer.

        :param str method: The HTTP method.
        :param str path: The path, e.g. `/__sandbox__/payments`.
        :param dict body: The JSON body, if any.
        :return: The decoded answer.
        :rtype: dict
        """
        # The sandbox may notify Odoo before it answers: write what the test changed for the
        # server to see, let the webhooks in, then forget what the test has cached.
        self.env.flush_all()
        webhooks_allowed = (
            self.allow_requests(all_requests=True) if isinstance(self, HttpCase) else nullcontext()
        )
        with webhooks_allowed:
            response = requests.request(
                method, f'{self.sandbox.url}{path}', json=body or None, timeout=30
            )
        self.env.invalidate_all()
        return response.json()

    def _sandbox_pay(self, tx, **values):
        """Make PortOne hold a payment for `tx`, as if its window had been completed.

        :param payment.transaction tx: The transaction paid.
        :param dict values: What differs from a paid card payment of the transaction's amount,
                            without webhook (`webhook=True` to send it).
        :return: The payment as PortOne shows it.
        :rtype: dict
        """
        body = {
            'merchant_uid': tx.reference,
            'amount': int(tx.amount),
            'pay_method': 'card',
            'status': 'paid',
            'webhook': False,
            'notice_url': self.galaxia.get_base_url() + const.WEBHOOK_ROUTE,
            **values,
        }
        return self._sandbox('POST', '/__sandbox__/payments', **body)['payment']

    @staticmethod
    def _wait_for(condition, timeout=10):
        """Wait until `condition()` holds, as something outside Odoo (PortOne) finishes.

        :param callable condition: What must become true.
        :param float timeout: Seconds after which the test fails.
        """
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"still not true after {timeout} s: {condition}")
            time.sleep(0.05)

    @staticmethod
    def _unreachable_url():
        """:return: The URL of a port nothing listens on, for a PortOne that cannot be reached."""
        with socket.socket() as closed:
            closed.bind(('127.0.0.1', 0))
            return f'http://127.0.0.1:{closed.getsockname()[1]}'

    def _sandbox_fault(self, **faults):
        """Inject faults into the sandbox until the test ends.

        :param dict faults: The faults, as the sandbox's control API takes them.
        """
        self._sandbox('POST', '/__sandbox__/faults', **faults)
        self.addCleanup(self._sandbox, 'DELETE', '/__sandbox__/faults')
