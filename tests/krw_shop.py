# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""Turn a website_sale shop into a KRW shop, for the checkout tours and the demo.

Galaxia settles KRW only: without a KRW pricelist the provider never shows at checkout.
"""

from odoo import Command, fields

# Demo exchange rate: 1 unit of the company currency buys this many won.
DEMO_KRW_RATE = 1400


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
