# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""Offline stand-in for PortOne V1 (REST API, ``iamport.js`` and its payment window, webhooks)
with Galaxia MoneyTree's rules, for tests and demos. See docs/sandbox.md.

It lives beside the core, outside the code Odoo runs, and imports the core's rules, banks and
amounts as the top-level package ``payment_galaxia``: put the repository root on ``sys.path``
first (``python -m portone_sandbox`` from the root, pytest and the tools do).
"""

from .config import SandboxConfig
from .server import SandboxServer

__all__ = ['SandboxConfig', 'SandboxServer']
