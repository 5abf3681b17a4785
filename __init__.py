# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

from odoo.addons.payment import reset_payment_provider, setup_provider

from . import controllers, models, wizards
from .const import PROVIDER_CODE


def post_init_hook(env):
    setup_provider(env, PROVIDER_CODE)


def uninstall_hook(env):
    reset_payment_provider(env, PROVIDER_CODE)
    env['payment.method']._galaxia_declare_support(with_galaxia=False)
