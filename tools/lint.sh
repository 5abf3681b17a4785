#!/usr/bin/env bash
# `make lint`: the pre-commit hooks of .pre-commit-config.yaml on every file: OCA's module and
# translation checks, pylint-odoo and ruff, all from the project's venv.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

ensure_odoo
ensure_venv
run_lint
