# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

from odoo import models

# The eCommerce confirmation page shows only the provider's static pending message; a virtual
# account must show the account issued for the order. The module depends on `payment` alone, so
# the extension is created when (and as soon as) website_sale is present.
SHOP_CONFIRMATION_VIEW_KEY = 'website_sale.payment_confirmation_status'
SHOP_CONFIRMATION_EXTENSION_XMLID = 'payment_galaxia.shop_confirmation_vbank_account'
SHOP_CONFIRMATION_EXTENSION_ARCH = """
<data>
    <xpath expr="//t[@t-if=&quot;tx_sudo.state == 'pending'&quot;]" position="inside">
        <t t-if="tx_sudo.provider_code == 'galaxia'" t-call="payment_galaxia.vbank_account">
            <t t-set="tx" t-value="tx_sudo"/>
        </t>
    </xpath>
</data>
"""


class IrUiView(models.Model):
    _inherit = 'ir.ui.view'

    def _register_hook(self):
        """Override of `base` to extend website_sale's confirmation page when it is installed."""
        super()._register_hook()
        self._galaxia_extend_shop_confirmation()

    def _galaxia_extend_shop_confirmation(self):
        """Show the issued virtual account on website_sale's confirmation page.

        The extension belongs to this module (deleted with it) and is flagged `noupdate` so that
        updating the module keeps it; it goes away with website_sale's view when website_sale is
        uninstalled.

        :return: None
        """
        confirmation_view = self.sudo().search([('key', '=', SHOP_CONFIRMATION_VIEW_KEY)], limit=1)
        if not confirmation_view:
            return
        module, name = SHOP_CONFIRMATION_EXTENSION_XMLID.split('.')
        # The xmlid outlives its view when website_sale's uninstall deletes the view in cascade.
        xmlid = self.env['ir.model.data'].sudo().search(
            [('module', '=', module), ('name', '=', name)]
        )
        if xmlid and self.sudo().browse(xmlid.res_id).exists():
            return
        extension = self.sudo().create({
            'name': "Galaxia virtual account on the shop confirmation",
            'type': 'qweb',
            'inherit_id': confirmation_view.id,
            'arch': SHOP_CONFIRMATION_EXTENSION_ARCH,
        })
        if xmlid:
            xmlid.res_id = extension.id
        else:
            self.env['ir.model.data'].sudo().create({
                'module': module,
                'name': name,
                'model': 'ir.ui.view',
                'res_id': extension.id,
                'noupdate': True,
            })
