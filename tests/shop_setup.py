# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""What the tests, the demo and the scripted checks set up alike: a Galaxia provider talking to
the offline sandbox, and a website_sale shop selling in KRW (Galaxia settles KRW only: without a
KRW pricelist the provider never shows at checkout)."""

from odoo import Command, fields

from odoo.addons.payment_galaxia.tests.sandbox import SandboxConfig

# Demo exchange rate: 1 unit of the company currency buys this many won.
DEMO_KRW_RATE = 1400


def sandbox_provider_values(sandbox_url, config=None):
    """Return the provider values that make it pay through a sandbox, in test mode.

    :param str sandbox_url: The sandbox's base URL.
    :param SandboxConfig config: The sandbox's configuration, default the default one.
    :return: The values to write on the provider.
    :rtype: dict
    """
    config = config or SandboxConfig()
    test_channel_key = next(key for key, channel in config.channels.items() if channel['sandbox'])
    return {
        'state': 'test',
        'is_published': True,
        'galaxia_merchant_code': config.merchant_code,
        'galaxia_channel_key': test_channel_key,
        'galaxia_api_key': config.api_key,
        'galaxia_api_secret': config.api_secret,
        'galaxia_api_url': sandbox_url,
        'galaxia_sdk_url': f'{sandbox_url}/v1/iamport.js',
    }


def setup_krw_shop(env, website):
    """Make `website` sell in KRW through a KRW pricelist that customers get first.

    :param odoo.api.Environment env: The environment to write with (superuser).
    :param website website: The website to set up.
    :return: The KRW pricelist.
    :rtype: product.pricelist
    """
    krw = env.ref('base.KRW')
    krw.active = True
    company = website.company_id
    if company.currency_id != krw and not krw.rate_ids.filtered(lambda r: r.company_id == company):
        env['res.currency.rate'].create({
            'currency_id': krw.id,
            'company_id': company.id,
            'name': fields.Date.today(),
            'rate': DEMO_KRW_RATE,
        })
    env.ref('base.group_user').implied_ids = [
        Command.link(env.ref('product.group_product_pricelist').id)
    ]
    pricelist = env['product.pricelist'].search(
        [('currency_id', '=', krw.id), ('website_id', '=', website.id)], limit=1
    ) or env['product.pricelist'].create({
        'name': "KRW",
        'currency_id': krw.id,
        'website_id': website.id,
        'company_id': company.id,
        'selectable': True,
    })
    pricelist.sequence = min(env['product.pricelist'].search([]).mapped('sequence')) - 1
    return pricelist
