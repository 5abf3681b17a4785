"""The wheel `make wheel` builds, installed alone into a fresh venv, initializes a database.

Run by `make test` with the fresh venv's Python, whose Odoo and Odoo's requirements come from
the project's source tree and venv (a .pth file) and whose addon comes from the wheel only. The
database was initialized with `-i payment_galaxia` by that Python just before. Prints
`PASS`/`FAIL` lines and `wheel: N passed, N failed`.

Usage: WHEEL_SITE=<the fresh venv's site-packages> python tools/wheel_check.py
       <odoo options, the wheel's addons path and -d DB included>
"""

import os
import sys

from odoo_checks import Checks

checks = Checks('wheel', sys.argv[1:])


def verify(env):
    import odoo.addons.payment_galaxia as addon  # Once the registry has set the addons path.

    checks.check("the addon Odoo loads is the wheel's",
                 addon.__file__.startswith(os.environ['WHEEL_SITE']), addon.__file__)
    module = env['ir.module.module'].search([('name', '=', 'payment_galaxia')])
    checks.check("the module is installed", module.state == 'installed', module.state)
    provider = env.ref('payment_galaxia.payment_provider_galaxia', raise_if_not_found=False)
    checks.check("its provider is there", provider and provider.code == 'galaxia', provider)
    checks.check("its translations came with it",
                 provider and env['res.lang']._lang_get('ko_KR')
                 and provider.with_context(lang='ko_KR').name != provider.name, provider)


checks.in_env(verify)
checks.summary()
