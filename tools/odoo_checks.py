"""What the scripted checks of `make test` share: an Odoo configured from the command line,
environments on fresh cursors, and `PASS`/`FAIL` lines summed up for the test runner.

The checks run outside Odoo's test framework because they need what it cannot give: a module
uninstalled and reinstalled, or data committed for a separate multi-worker server.
"""

import logging
import os
import sys

sys.path.insert(0, os.environ['PAYMENT_GALAXIA_ODOO_SRC'])

import odoo
from odoo.modules.registry import Registry
from odoo.tools import config


class Checks:
    """Collects named checks and prints them as the test runner reads them."""

    def __init__(self, name, argv):
        """
        :param str name: The name of the tier, printed with its summary.
        :param list argv: Odoo's command-line options, `-d DB` included.
        """
        self.name = name
        self.results = []
        config.parse_config(argv, setup_logging=True)
        logging.getLogger('odoo').setLevel(logging.WARNING)

    def check(self, label, condition, detail=''):
        """Record and print one check.

        :param str label: What is checked.
        :param bool condition: Whether it holds.
        :param detail: What to print when it does not.
        """
        self.results.append(bool(condition))
        outcome = 'PASS' if condition else 'FAIL'
        print(f"{outcome} {self.name}: {label}{'' if condition else f' ({detail})'}", flush=True)

    def in_env(self, function):
        """Run `function(env)` as superuser on a new cursor, committed when it returns.

        :return: What `function` returns.
        """
        with Registry(config['db_name'][0]).cursor() as cr:
            return function(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}))

    def summary(self):
        """Print the tier's last line, `<name>: N passed, N failed`."""
        passed = sum(self.results)
        print(f"{self.name}: {passed} passed, {len(self.results) - passed} failed", flush=True)
