#!/usr/bin/env bash
# `make screenshots`: the Apps page's screenshots (static/description/screenshot_*.png), taken by
# tools/screenshots.py in Chromium from the demo shop of `make demo`, set up the same way in a
# temporary database dropped afterwards. The logs stay in ~/.cache/payment_galaxia/last-screenshots-run.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

prepare_all
# The shop and the payment window speak Korean: without a Korean font Chromium draws boxes.
fc-list :lang=ko | grep -q . || apt_install fonts-nanum
export PAYMENT_GALAXIA_ODOO_SRC="$ODOO_SRC"
use_temp_db "galaxia_screenshots_$$"
LOG_DIR="$CACHE_DIR/last-screenshots-run"
rm -rf "$LOG_DIR" && mkdir -p "$LOG_DIR"

SANDBOX_URL="http://127.0.0.1:$(free_port)"
log "setting the demo shop up in $TEMP_DB (about two minutes)"
setup_demo_db "$TEMP_DB" "$SANDBOX_URL" >"$LOG_DIR/setup.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/setup.log" >&2; die "the demo setup failed; see $LOG_DIR/setup.log"; }
log "taking the screenshots (Odoo's log: $LOG_DIR/odoo.log)"
"$PY" "$REPO_DIR/tools/screenshots.py" --sandbox-url "$SANDBOX_URL" --log "$LOG_DIR/odoo.log" \
    "${ODOO_ARGS[@]}" -d "$TEMP_DB" --db-filter="^$TEMP_DB\$"
