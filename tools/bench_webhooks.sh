#!/usr/bin/env bash
# `make bench-webhooks [ARGS='--txs 300 --senders 16']`: tools/bench_webhooks.py in a fresh
# database with payment_galaxia, website_sale and payment_toss_payments (dropped afterwards):
# our webhook against Odoo's own Toss Payments one on one Odoo with --workers=2. Prints the
# figures, `webhooks/s ratio ours/toss: ...`, `SQL per webhook: ...`, the checks and
# `bench-webhooks: N passed, N failed`; fails on any failed check (see docs/benchmarks.md).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

prepare_all
export PAYMENT_GALAXIA_ODOO_SRC="$ODOO_SRC"
use_temp_db "galaxia_benchwh_$$"
# The server's log (its access log included) and the benchmark's own stay here for inspection.
LOG_DIR="$CACHE_DIR/last-bench-webhooks-run"
rm -rf "$LOG_DIR" && mkdir -p "$LOG_DIR"
export PAYMENT_GALAXIA_LOG_DIR="$LOG_DIR"

log "bench-webhooks: installing payment_galaxia + website_sale + payment_toss_payments into $TEMP_DB (about a minute)"
odoo_run -d "$TEMP_DB" -i payment_galaxia,website_sale,payment_toss_payments --without-demo=False \
    --stop-after-init --log-level=warn >"$LOG_DIR/install.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/install.log" >&2; die "the install failed; see $LOG_DIR/install.log"; }
log "bench-webhooks: ${*:-the defaults} (about 3 minutes on 2 cores for the defaults); logs in $LOG_DIR"
"$PY" "$REPO_DIR/tools/bench_webhooks.py" "$@" "${ODOO_ARGS[@]}" -d "$TEMP_DB" \
    >"$LOG_DIR/bench.log" 2>&1 || true
# Everything but the passed checks and the summary: the figures, failed checks, warnings.
grep -vE '^(PASS |bench-webhooks: [0-9]+ passed)' "$LOG_DIR/bench.log" || true
summary=$(grep -E '^bench-webhooks: [0-9]+ passed, [0-9]+ failed$' "$LOG_DIR/bench.log" | tail -n 1)
if [ -z "$summary" ]; then
    tail -n 20 "$LOG_DIR/bench.log" >&2
    die "the benchmark did not run to its end; see $LOG_DIR/bench.log"
fi
echo "$summary"
case "$summary" in *" 0 failed") ;; *) exit 1 ;; esac
