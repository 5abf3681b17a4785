#!/usr/bin/env bash
# `make fuzz N=10000`: the verification's property suite with at least N generated events, in a
# fresh database with website_sale (dropped afterwards). Prints
# `N sequences, N events, N invariant violations`, then the first violations; fails on any.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

EVENTS="${1:-10000}"
prepare_all
export PAYMENT_GALAXIA_ODOO_SRC="$ODOO_SRC"
use_temp_db "galaxia_fuzz_$$"
LOG="$CACHE_DIR/last-fuzz-run.log"
log "fuzz: at least $EVENTS events (about a minute to install, then 2,000 to 3,000 events a minute); log in $LOG"
PAYMENT_GALAXIA_FUZZ_EVENTS="$EVENTS" odoo_run -d "$TEMP_DB" -i payment_galaxia,website_sale \
    --without-demo=False --test-tags /payment_galaxia:TestVerificationProperties \
    --stop-after-init --http-port="$(free_port)" --log-level=test >"$LOG" 2>&1 || true
summary=$(grep -oE '[0-9]+ sequences, [0-9]+ events, [0-9]+ invariant violations' "$LOG" | tail -n 1)
grep -oE 'violation: .*' "$LOG" | head -n 20 || true
if [ -z "$summary" ]; then
    grep -E ' (ERROR|CRITICAL) ' "$LOG" | tail -n 20 >&2
    die "the property suite did not run to its end; see $LOG"
fi
echo "$summary"
case "$summary" in *" 0 invariant violations") ;; *) exit 1 ;; esac
