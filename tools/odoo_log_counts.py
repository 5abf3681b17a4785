"""Print `passed failed` from an Odoo test run's log.

Odoo ends a test run with `X failed, Y error(s) of Z tests when loading database 'db'`. A run that
never got there (crash, install error) counts as one failure, and so do:
- a skipped test: Odoo skips browser tours without a word when Chromium or websocket-client is
  missing;
- a warning or error about payment_galaxia while installing it (before the post-install tests),
  which a merchant installing from Apps would see in their log.
"""

import re
import sys

SUMMARY = re.compile(r'(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database')
SKIPPED = re.compile(r'INFO \S+ odoo\.\S+: skipped .*payment_galaxia')
INSTALL_PROBLEM = re.compile(r'^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) .*payment_galaxia.*$', re.M)

with open(sys.argv[1], encoding='utf-8', errors='replace') as log_file:
    log = log_file.read()
summary = SUMMARY.findall(log)
if not summary:
    print(0, 1)
    sys.exit()
failures, errors, total = map(int, summary[-1])
install_log = log.split('Starting post tests')[0]
problems = SKIPPED.findall(log) + INSTALL_PROBLEM.findall(install_log)
for line in SKIPPED.finditer(log):
    print(f"counted as failed: {line.group(0)}", file=sys.stderr)
for line in INSTALL_PROBLEM.finditer(install_log):
    print(f"counted as failed (install): {line.group(0)}", file=sys.stderr)
print(total - failures - errors, failures + errors + len(problems))
