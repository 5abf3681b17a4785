"""What the scripted checks of `make test` (and `make load`) share: an Odoo configured from the
command line, environments on fresh cursors, `PASS`/`FAIL` lines summed up for the test runner,
requests fired together, and KRW quotations with their draft Galaxia transactions paying at the
sandbox (the multi-worker server they start is `odoo_server.py`'s).

The checks run outside Odoo's test framework because they need what it cannot give: a module
uninstalled and reinstalled, or data committed for a separate multi-worker server.
"""

import logging
import os
import sys
import threading
from collections import namedtuple
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.environ['PAYMENT_GALAXIA_ODOO_SRC'])

import odoo
from odoo.modules.registry import Registry
from odoo.tools import config


class Checks:
    """Collects named checks and prints them as the test runner reads them."""

    def __init__(self, name, argv):
        """
        :param str name: The name of the tier, printed with its summary.
        :param list argv: Odoo's command-line options, `-d DB` included.
        """
        self.name = name
        self.results = []
        config.parse_config(argv, setup_logging=True)
        logging.getLogger('odoo').setLevel(logging.WARNING)

    def check(self, label, condition, detail=''):
        """Record and print one check.

        :param str label: What is checked.
        :param bool condition: Whether it holds.
        :param detail: What to print when it does not.
        """
        self.results.append(bool(condition))
        outcome = 'PASS' if condition else 'FAIL'
        print(f"{outcome} {self.name}: {label}{'' if condition else f' ({detail})'}", flush=True)

    def in_env(self, function):
        """Run `function(env)` as superuser on a new cursor, committed when it returns.

        :return: What `function` returns.
        """
        with Registry(config['db_name'][0]).cursor() as cr:
            return function(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}))

    def summary(self):
        """Print the tier's last line, `<name>: N passed, N failed`."""
        passed = sum(self.results)
        print(f"{self.name}: {passed} passed, {len(self.results) - passed} failed", flush=True)


def fire_together(calls):
    """Run the calls at the same instant from as many threads; return their HTTP statuses."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call().status_code

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


# The website selling in KRW, its KRW pricelist and the Galaxia provider paying at the sandbox.
SandboxShop = namedtuple('SandboxShop', ['website', 'pricelist', 'provider'])


def sandbox_shop(env, sandbox_url):
    """Make the first website sell in KRW through Galaxia, in test mode at the sandbox.

    :param odoo.api.Environment env: A superuser environment.
    :param str sandbox_url: The sandbox's base URL.
    :rtype: SandboxShop
    """
    # Importable once the registry has set the addons path up.
    from odoo.addons.payment_galaxia.tests.shop_setup import (
        sandbox_provider_values,
        setup_krw_shop,
    )

    website = env['website'].search([], limit=1)
    pricelist = setup_krw_shop(env, website)
    provider = env['payment.provider'].search(
        [('code', '=', 'galaxia'), ('company_id', '=', website.company_id.id)], limit=1
    )
    provider.write(sandbox_provider_values(sandbox_url))
    return SandboxShop(website, pricelist, provider)


def quotation_with_transaction(env, shop, partner, product, price, payment_method):
    """Create a quotation of one `product` at `price` with a draft Galaxia transaction, as the
    checkout leaves it when the payment window opens.

    :param SandboxShop shop: Where the order is placed and paid.
    :param payment.method payment_method: Card, virtual account, ...
    :return: `(order, transaction)`.
    """
    from odoo import Command

    order = env['sale.order'].create({
        'partner_id': partner.id,
        'pricelist_id': shop.pricelist.id,
        'website_id': shop.website.id,
        'order_line': [Command.create({
            'product_id': product.id, 'product_uom_qty': 1, 'price_unit': price,
        })],
    })
    tx = env['payment.transaction'].create({
        'provider_id': shop.provider.id,
        'payment_method_id': payment_method.id,
        'amount': order.amount_total,
        'currency_id': order.currency_id.id,
        'partner_id': partner.id,
        'operation': 'online_direct',
        'sale_order_ids': [Command.set(order.ids)],
    })
    return order, tx
