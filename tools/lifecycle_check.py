"""Uninstall payment_galaxia from a database, then install it again, checking what a merchant
would see after each step. Prints one `PASS`/`FAIL` line per check and ends with
`lifecycle: N passed, N failed`.

Usage: python tools/lifecycle_check.py <odoo options, -d DB included>
Run by `make test` on its test database, after the Odoo tests.
"""

import logging
import sys

from odoo_checks import Checks

checks = Checks('lifecycle', sys.argv[1:])


class GalaxiaWarnings(logging.Handler):
    """Collects the warnings and errors about payment_galaxia that an install would log."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        if 'payment_galaxia' in record.name or 'payment_galaxia' in record.getMessage():
                   self.records.append(record.getMessage())


def galaxia_module(env):
    return env['ir.module.module'].search([('name', '=', 'payment_galaxia')])


def after_uninstall(env):
    checks.check("module uninstalled", galaxia_module(env).state == 'uninstalled')
    checks.check("no provider keeps the code galaxia",
                 not env['payment.provider'].search_count([('code', '=', 'galaxia')]))
    checks.check("the virtual account method is gone",
                 not env['payment.method'].with_context(active_test=False).search_count(
                     [('code', '=', 'vbank')]))
    mobile = env.ref('payment.payment_method_mobile')
    checks.check("phone payments are declared as Odoo declares them without Galaxia",
                 (mobile.support_tokenization, mobile.support_refund) == (False, 'none'))
    checks.check("the provider columns are dropped",
                 'galaxia_api_secret' not in env['payment.provider']._fields)


def after_reinstall(env):
    checks.check("module installed again", galaxia_module(env).state == 'installed')
    provider = env.ref('payment_galaxia.payment_provider_galaxia', raise_if_not_found=False)
    checks.check("the provider record is back", provider and provider.code == 'galaxia')
    methods = provider.with_context(active_test=False).payment_method_ids.mapped('code')
    checks.check("its four payment methods are linked",
                 set(methods) == {'card', 'bank_transfer', 'mobile', 'vbank'}, methods)
    mobile = env.ref('payment.payment_method_mobile')
    checks.check("phone payments are declared savable and refundable in full again",
                 (mobile.support_tokenization, mobile.support_refund) == (True, 'full_only'))
    provider.write({
        'state': 'test',
        'galaxia_merchant_code': 'imp00000000',
        'galaxia_channel_key': 'channel-key-galaxia-test',
        'galaxia_api_key': 'key',
        'galaxia_api_secret': 'secret',
    })
    checks.check("it can be enabled in test mode", provider.state == 'test')
    companies = env['res.company'].search([('parent_id', '=', False)])
    galaxia_providers = env['payment.provider'].search([('code', '=', 'galaxia')])
    checks.check("every company has a Galaxia provider", galaxia_providers.company_id == companies)
    env.cr.rollback()


checks.in_env(lambda env: galaxia_module(env).button_immediate_uninstall())
checks.in_env(after_uninstall)
install_warnings = GalaxiaWarnings()
logging.getLogger().addHandler(install_warnings)
checks.in_env(lambda env: galaxia_module(env).button_immediate_install())
logging.getLogger().removeHandler(install_warnings)
checks.check("installing from Apps logs no warning",
      not install_warnings.records, install_warnings.records)
checks.in_env(after_reinstall)
checks.summary()
