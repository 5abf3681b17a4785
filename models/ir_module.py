# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

from odoo import models


class IrModuleModule(models.Model):
    _inherit = 'ir.module.module'

    def _load_module_terms(self, modules, langs, overwrite=False):
        """Override of `base` to name Odoo's generic phone method in Korean when Korean terms
        are loaded (this module installed with Korean active, or Korean activated later)."""
        result = super()._load_module_terms(modules, langs, overwrite=overwrite)
        if 'ko_KR' in langs and 'payment_galaxia' in modules:
            self.env['payment.method']._galaxia_name_in_korean()
        return result
