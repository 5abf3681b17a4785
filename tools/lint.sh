#!/usr/bin/env bash
# `make lint`: ruff over the addon, the core and the tools.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

ensure_odoo
ensure_venv
cd "$REPO_DIR" && exec "$VENV_DIR/bin/ruff" check .
