#!/usr/bin/env bash
# `make pot`: export payment_galaxia's terms into i18n/payment_galaxia.pot and merge them into
# i18n/ko.po (new terms arrive untranslated; the Odoo tests fail until each has its Korean).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

prepare_all
DB=galaxia_i18n
if ! psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1; then
    odoo_run -d "$DB" -i payment_galaxia,website_sale --stop-after-init --log-level=warn
else
    odoo_run -d "$DB" -u payment_galaxia --stop-after-init --log-level=warn
fi
"$PY" "$ODOO_BIN" i18n export "${ODOO_ARGS[@]}" -d "$DB" payment_galaxia
"$PY" "$REPO_DIR/tools/po_merge.py" "$REPO_DIR/i18n/payment_galaxia.pot" "$REPO_DIR/i18n/ko.po"
# The layout OCA's translation check (make lint) expects.
"$VENV_DIR/bin/oca-checks-po" --fix --no-verbose "$REPO_DIR/i18n/ko.po" "$REPO_DIR/i18n/payment_galaxia.pot" || true
