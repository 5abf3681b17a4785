#!/usr/bin/env bash
# `make demo`: a demo shop with website_sale and payment_galaxia in test mode against the offline
# PortOne sandbox, served at http://localhost:8069. Ctrl-C stops everything this script started.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

DB="${PAYMENT_GALAXIA_DEMO_DB:-galaxia_demo}"
HTTP_PORT="${PAYMENT_GALAXIA_HTTP_PORT:-8069}"
SANDBOX_PORT="${PAYMENT_GALAXIA_SANDBOX_PORT:-8070}"
SANDBOX_URL="http://localhost:$SANDBOX_PORT"

started=()
stop_all() {
    trap - INT TERM EXIT
    for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    stop_postgres_if_started
}

ensure_system_packages
ensure_odoo
ensure_venv
trap stop_all INT TERM EXIT
ensure_postgres
ensure_addons_link

log "starting the PortOne sandbox on $SANDBOX_URL"
(cd "$REPO_DIR" && exec "$PY" -m portone_sandbox --host 127.0.0.1 --port "$SANDBOX_PORT") &
started+=($!)

setup_demo_db "$DB" "$SANDBOX_URL"

log "demo shop: http://localhost:$HTTP_PORT/shop  (backend: http://localhost:$HTTP_PORT/odoo, login admin / admin)"
log "the payment window is the sandbox's; its control API lives at $SANDBOX_URL/__sandbox__/payments"
odoo_run -d "$DB" --db-filter="^$DB\$" --http-port="$HTTP_PORT" --log-level=info &
started+=($!)
wait "${started[@]}"
