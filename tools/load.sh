#!/usr/bin/env bash
# `make load [ARGS='--orders 40 --pairs 200 --clients 16']`: tools/load_check.py in a fresh
# database with payment_galaxia and website_sale (dropped afterwards). By default 1,000 webhook
# + return pairs for 200 orders from 32 clients against Odoo with --workers=2, PortOne slow for
# 20% of its payment lookups and failing 5%. Prints the checks, the figures and
# `load: N passed, N failed`; fails on any failed check. Logs in ~/.cache/payment_galaxia/last-load-run.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

fresh_demo_db load payment_galaxia,website_sale
log "load: ${*:-the defaults} (about 7 minutes on 2 cores for the defaults); logs in $LOG_DIR"
"$PY" "$REPO_DIR/tools/load_check.py" "$@" "${ODOO_ARGS[@]}" -d "$TEMP_DB" \
    >"$LOG_DIR/load.log" 2>&1 || true
FIGURES="^(PASS|FAIL) |^[0-9]+ notifications, |^(requests|PortOne|settled|time): "
grep -E "$FIGURES" "$LOG_DIR/load.log" || true
print_summary load "$LOG_DIR/load.log"
