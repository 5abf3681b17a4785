#!/usr/bin/env bash
# `make lint`: the pre-commit hooks of .pre-commit-config.yaml on every file: OCA's module and
# translation checks, pylint-odoo and ruff, all from the project's venv.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

ensure_odoo
ensure_venv
cd "$REPO_DIR" && PATH="$VENV_DIR/bin:$PATH" exec "$VENV_DIR/bin/pre-commit" run --all-files --color never
