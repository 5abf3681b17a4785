# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""The offline PortOne sandbox, for the Odoo tests and the demo's setup.

It lives at the repository root (``portone_sandbox/``), outside the code Odoo runs, and imports
the core as the top-level package ``payment_galaxia`` (a second, test-only import of the pure
core modules). The root is appended to ``sys.path``, not put first, so that the addon's own
folders (``models``, ``tests``...) never shadow another top-level name.
"""

import sys
from pathlib import Path

# Resolved: the addons path usually links to the repository under the name payment_galaxia.
REPO_DIR = str(Path(__file__).resolve().parents[1])
if REPO_DIR not in sys.path:
    sys.path.append(REPO_DIR)

from portone_sandbox import SandboxConfig, SandboxServer  # noqa: E402

__all__ = ['SandboxConfig', 'SandboxServer']
