#!/usr/bin/env bash
# `make test`: the core tests (pytest), then payment_galaxia's Odoo tests (browser tours included)
# in a fresh database with website_sale, which is dropped afterwards. Ends with `N passed, N failed`.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

prepare_all
export PAYMENT_GALAXIA_ODOO_SRC="$ODOO_SRC"
# Logs of the last run stay here for inspection.
RESULTS_DIR="$CACHE_DIR/last-test-run"
rm -rf "$RESULTS_DIR" && mkdir -p "$RESULTS_DIR"
DB="galaxia_test_$$"
use_temp_db "$DB"

passed=0 failed=0
count() { passed=$((passed + $1)); failed=$((failed + $2)); }

log "lint: make lint (OCA's checks, pylint-odoo, ruff)"
if run_lint > "$RESULTS_DIR/lint.log" 2>&1; then
    count 1 0
else
    grep -vE "\.+Passed$" "$RESULTS_DIR/lint.log" | head -n 20
    count 0 1
fi

log "core tier: pytest payment_galaxia/tests portone_sandbox/tests"
(cd "$REPO_DIR" && "$PY" -m pytest -q --junitxml="$RESULTS_DIR/core.xml") || true
read -r core_passed core_failed < <("$PY" "$REPO_DIR/tools/junit_counts.py" "$RESULTS_DIR/core.xml")
count "$core_passed" "$core_failed"

log "odoo tier: installing payment_galaxia + website_sale into $DB and running /payment_galaxia"
HTTP_PORT=$(free_port)
odoo_run -d "$DB" -i payment_galaxia,website_sale --without-demo=False \
    --test-tags /payment_galaxia --stop-after-init --http-port="$HTTP_PORT" \
    --log-level=test 2>&1 | tee "$RESULTS_DIR/odoo.log" \
    | grep -E --line-buffered " (ERROR|CRITICAL) | (FAIL|ERROR): |tests when loading database" || true
read -r odoo_passed odoo_failed < <("$PY" "$REPO_DIR/tools/odoo_log_counts.py" "$RESULTS_DIR/odoo.log")
count "$odoo_passed" "$odoo_failed"

# A scripted tier prints PASS/FAIL lines and ends with `<tier>: N passed, N failed`; a tier
# that never gets to say it counts as a failure.
count_tier() {
    local tier=$1
    grep -E "^(PASS|FAIL) " "$RESULTS_DIR/$tier.log" || true
    read -r tier_passed tier_failed < <(
        sed -nE "s/^$tier: ([0-9]+) passed, ([0-9]+) failed$/\\1 \\2/p" "$RESULTS_DIR/$tier.log" \
            | grep . || echo 0 1)
    count "$tier_passed" "$tier_failed"
}
run_checks() {
    local tier=$1 script=$2
    "$PY" "$REPO_DIR/tools/$script" "${@:3}" "${ODOO_ARGS[@]}" -d "$DB" > "$RESULTS_DIR/$tier.log" 2>&1
    count_tier "$tier"
}
export PAYMENT_GALAXIA_LOG_DIR="$RESULTS_DIR"

# Before the concurrency check: Odoo refuses to uninstall a provider that booked payments.
log "lifecycle: uninstalling and reinstalling payment_galaxia"
run_checks lifecycle lifecycle_check.py

log "wheel: make wheel, installed alone into a fresh venv, a database initialized from it"
wheel_stage() {
    local wheel venv site db="galaxia_wheel_$$"
    wheel=$("$REPO_DIR/tools/wheel.sh" | tail -n 1) || return 1
    venv="$CHECKOUT_DIR/wheel-venv"
    rm -rf "$venv" && python3 -m venv "$venv"
    site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    # Odoo and its requirements from the project; the addon from the wheel alone.
    printf '%s\n%s\n' "$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
        "$ODOO_SRC" > "$site/odoo_from_the_project.pth"
    "$venv/bin/python" -m pip install --quiet --no-deps "$wheel"
    local args=("${ODOO_ARGS[@]}" "--addons-path=$ODOO_SRC/addons,$site/odoo/addons" -d "$db")
    "$venv/bin/python" "$ODOO_BIN" "${args[@]}" -i payment_galaxia --load-language=ko_KR \
        --stop-after-init --log-level=warn
    WHEEL_SITE="$site" "$venv/bin/python" "$REPO_DIR/tools/wheel_check.py" "${args[@]}"
    drop_db "$db"
}
wheel_stage > "$RESULTS_DIR/wheel.log" 2>&1
count_tier wheel

log "concurrency: parallel webhooks and returns against Odoo with --workers=2"
run_checks concurrency concurrency_check.py

log "load (slice): 200 webhook + return pairs for 40 orders from 16 clients, PortOne slow and failing"
run_checks load load_check.py --orders 40 --pairs 200 --clients 16

[ "$failed" -eq 0 ] || log "logs of this run: $RESULTS_DIR"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
