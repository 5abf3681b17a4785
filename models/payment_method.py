# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

from odoo import api, models

from odoo.addons.payment_galaxia import const


class PaymentMethod(models.Model):
    _inherit = 'payment.method'

    @api.model
    def _galaxia_declare_support(self, with_galaxia=True):
        """Declare what Odoo's generic phone and bank transfer methods support.

        Odoo declares them neither tokenizable nor refundable, for every provider. With Galaxia a
        phone is saved together with a payment and refunded in full, and a transfer is refunded
        in part; a provider that supports neither feature still offers neither. Called on each
        install and update of the module, and undone when it is uninstalled.

        :param bool with_galaxia: Whether to declare Galaxia's abilities or Odoo's defaults.
        :return: None
        """
        support_by_code = (
            const.PAYMENT_METHOD_SUPPORT if with_galaxia
            else const.PAYMENT_METHOD_SUPPORT_WITHOUT_GALAXIA
        )
        for code, (support_tokenization, support_refund) in support_by_code.items():
            self.with_context(active_test=False).search([('code', '=', code)]).write({
                'support_tokenization': support_tokenization,
                'support_refund': support_refund,
            })

    @api.model
    def _galaxia_name_in_korean(self):
        """Give Odoo's generic methods Galaxia offers the Korean names Odoo's own translation
        lacks (the phone method's), unless someone named them already. Called whenever Korean
        terms are loaded.

        :return: None
        """
        if 'ko_KR' not in dict(self.env['res.lang'].get_installed()):
            return
        for code, name in const.KOREAN_METHOD_NAMES.items():
            for method in self.with_context(active_test=False).search([('code', '=', code)]):
                if method.with_context(lang='ko_KR').name == method.with_context(lang='en_US').name:
                    method.update_field_translations('name', {'ko_KR': name})
