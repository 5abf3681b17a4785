# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""Odoo-free core of the Galaxia MoneyTree provider: the PortOne V1 client (`client`, with
`errors`, `api_objects` and `token_cache`), Galaxia's request rules (`rules`, with `banks` and
`amounts`) and the verdict on a payment (`verdict`). Import the submodules themselves.

The offline PortOne sandbox is beside it, in ``portone_sandbox``.
"""
