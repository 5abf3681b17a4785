#!/usr/bin/env bash
# `make bench`: payment lookups through our PortOne client and through the PyPI peer, against the
# same offline sandbox; prints requests per lookup and the time ratio (see docs/benchmarks.md).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

ensure_system_packages
ensure_odoo
ensure_venv
cd "$REPO_DIR" && exec "$PY" tools/bench_lookup.py "$@"
