# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = 'ir.http'

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        """Override of `http_routing` to serve the checkout's translated texts (its error dialog
        among them) to shoppers."""
        return [*super()._get_translation_frontend_modules_name(), 'payment_galaxia']
