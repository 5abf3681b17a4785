# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""Offline stand-in for PortOne V1 (REST API, ``iamport.js`` and its payment window, webhooks)
with Galaxia MoneyTree's rules, for tests and demos. See docs/sandbox.md."""

from .config import SandboxConfig
from .server import SandboxServer

__all__ = ['SandboxConfig', 'SandboxServer']
