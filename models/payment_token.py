# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

from odoo import api, models
from odoo.exceptions import UserError

from odoo.addons.payment.logging import get_payment_logger
from odoo.addons.payment_galaxia import const
from odoo.addons.payment_galaxia.payment_galaxia.errors import PortOneError, PortOneNotFound

_logger = get_payment_logger(__name__, const.SENSITIVE_KEYS)


class PaymentToken(models.Model):
    _inherit = 'payment.token'

    def _handle_archiving(self):
        """Override of `payment` to delete the billing key at PortOne when its token is archived:
        a key the customer removed must not stay chargeable."""
        result = super()._handle_archiving()
        self._galaxia_filter_live_keys()._galaxia_delete_keys()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_galaxia_billing_keys(self):
        self._galaxia_filter_live_keys()._galaxia_delete_keys()

    def _galaxia_filter_live_keys(self):
        """:return: The active Galaxia tokens, whose keys PortOne still holds."""
        return self.filtered(lambda token: token.active and token.provider_code == 'galaxia')

    def _galaxia_delete_keys(self):
        """Delete the tokens' billing keys at PortOne.

        A key PortOne no longer has is fine. When PortOne cannot be asked, a token the user
        removes stays (and says why), while tokens archived with their provider go and the kept
        key is logged, so that disabling a provider never depends on PortOne.

        :return: None
        :raise UserError: If PortOne could not delete a key the user asked to remove.
        """
        for token in self:
            try:
                token.provider_id._galaxia_get_client().delete_billing_key(token.provider_ref)
            except PortOneNotFound:
                _logger.info("PortOne no longer had the billing key of token %s.", token.id)
            except PortOneError as error:
                if self.env.context.get(const.KEEP_KEYS_ON_ERROR_CONTEXT_KEY):
                    _logger.warning(
                        "Could not delete the billing key of token %s at PortOne: %s",
                        token.id, error,
                    )
                    continue
                raise UserError(self.env._(
                    "The saved payment method could not be deleted at PortOne, so it was kept:"
                    " %(reason)s", reason=error.message,
                )) from error
            else:
                _logger.info("Deleted the billing key of token %s at PortOne.", token.id)
