#!/usr/bin/env bash
# `make load [ARGS='--orders 40 --pairs 200 --clients 16']`: tools/load_check.py in a fresh
# database with payment_galaxia and website_sale (dropped afterwards). By default 1,000 webhook
# + return pairs for 200 orders from 32 clients against Odoo with --workers=2, PortOne slow for
# 20% of its payment lookups and failing 5%. Prints the checks, the figures and
# `load: N passed, N failed`; fails on any failed check.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

prepare_all
export PAYMENT_GALAXIA_ODOO_SRC="$ODOO_SRC"
use_temp_db "galaxia_load_$$"
# The server's log and the check's own stay here for inspection.
LOG_DIR="$CACHE_DIR/last-load-run"
rm -rf "$LOG_DIR" && mkdir -p "$LOG_DIR"
export PAYMENT_GALAXIA_LOG_DIR="$LOG_DIR"

log "load: installing payment_galaxia + website_sale into $TEMP_DB (about a minute)"
odoo_run -d "$TEMP_DB" -i payment_galaxia,website_sale --without-demo=False --stop-after-init \
    --log-level=warn >"$LOG_DIR/install.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/install.log" >&2; die "the install failed; see $LOG_DIR/install.log"; }
log "load: ${*:-the defaults} (about 7 minutes on 2 cores for the defaults); logs in $LOG_DIR"
"$PY" "$REPO_DIR/tools/load_check.py" "$@" "${ODOO_ARGS[@]}" -d "$TEMP_DB" \
    >"$LOG_DIR/load.log" 2>&1 || true
FIGURES="^(PASS|FAIL) |^[0-9]+ notifications, |^(requests|PortOne|settled|time): "
grep -E "$FIGURES" "$LOG_DIR/load.log" || true
summary=$(grep -E '^load: [0-9]+ passed, [0-9]+ failed$' "$LOG_DIR/load.log" | tail -n 1)
if [ -z "$summary" ]; then
    tail -n 20 "$LOG_DIR/load.log" >&2
    die "the load check did not run to its end; see $LOG_DIR/load.log"
fi
echo "$summary"
case "$summary" in *" 0 failed") ;; *) exit 1 ;; esac
