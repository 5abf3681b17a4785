#!/usr/bin/env bash
# `make bench-webhooks [ARGS='--txs 300 --senders 16']`: tools/bench_webhooks.py in a fresh
# database with payment_galaxia, website_sale and payment_toss_payments (dropped afterwards):
# our webhook against Odoo's own Toss Payments one on one Odoo with --workers=2. Prints the
# figures, `webhooks/s ratio ours/toss: ...`, `SQL per webhook: ...`, the checks and
# `bench-webhooks: N passed, N failed`; fails on any failed check (see docs/benchmarks.md).
# The server's log (its access log included) and the benchmark's own stay in
# ~/.cache/payment_galaxia/last-bench-webhooks-run.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

fresh_demo_db bench-webhooks payment_galaxia,website_sale,payment_toss_payments
log "bench-webhooks: ${*:-the defaults} (about 40 s for the defaults); logs in $LOG_DIR"
"$PY" "$REPO_DIR/tools/bench_webhooks.py" "$@" "${ODOO_ARGS[@]}" -d "$TEMP_DB" \
    >"$LOG_DIR/bench.log" 2>&1 || true
# Everything but the passed checks and the summary: the figures, failed checks, warnings.
grep -vE '^(PASS |bench-webhooks: [0-9]+ passed)' "$LOG_DIR/bench.log" || true
print_summary bench-webhooks "$LOG_DIR/bench.log"
