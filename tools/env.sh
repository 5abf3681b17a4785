# shellcheck shell=bash
# Shared environment for `make demo`, `make test` and `make bench`: a venv with Odoo 19.0's
# requirements, a private PostgreSQL cluster and Chromium, all kept under one cache directory.
# Every step checks before it acts, so running it again only does what is missing.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${PAYMENT_GALAXIA_CACHE:-$HOME/.cache/payment_galaxia}"
VENV_DIR="$CACHE_DIR/venv"
PY="$VENV_DIR/bin/python"
PG_DIR="$CACHE_DIR/pg"
PG_PORT="${PAYMENT_GALAXIA_PG_PORT:-54329}"
PG_USER=odoo
ODOO_SRC_RECORD="$CACHE_DIR/odoo_src"
ODOO_UPSTREAM=https://github.com/odoo/odoo.git
# Packages Odoo needs beyond its requirements.txt: websocket-client, or Odoo skips browser tests
# without a word; setuptools<81 because the gevent worker of --workers mode imports pkg_resources,
# and >=75 because older pkg_resources cannot find zope.interface under its normalized name.
EXTRA_REQUIREMENTS=("websocket-client" "setuptools>=75,<81" "pytest" "ruff" "hypothesis" "whool" "build"
    "pre-commit" "pylint-odoo" "oca-odoo-pre-commit-hooks")
# The PyPI client the benchmark measures ours against; its pinned `requests` would replace Odoo's.
PEER_REQUIREMENT="iamport-rest-client==0.9.0"

log() { printf '[payment_galaxia] %s\n' "$*" >&2; }
die() { printf '[payment_galaxia] ERROR: %s\n' "$*" >&2; exit 2; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
    log "installing Debian packages: $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null \
        || { as_root apt-get update -qq >/dev/null && \
             as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
}

ensure_system_packages() {
    local missing=()
    command -v pg_ctl >/dev/null || [ -x /usr/lib/postgresql/15/bin/pg_ctl ] || missing+=(postgresql-15)
    command -v chromium >/dev/null || missing+=(chromium)
    command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
    command -v node >/dev/null || missing+=(nodejs)  # runs the sandbox's iamport.js in the pytest tier
    dpkg -s libldap2-dev >/dev/null 2>&1 || missing+=(libldap2-dev)
    dpkg -s libsasl2-dev >/dev/null 2>&1 || missing+=(libsasl2-dev)
    dpkg -s libpq-dev >/dev/null 2>&1 || missing+=(libpq-dev)
    if [ "$(id -u)" -eq 0 ]; then command -v setfacl >/dev/null || missing+=(acl); fi
    if ((${#missing[@]})); then apt_install "${missing[@]}"; fi
}

# Odoo 19.0, looked for in this order: importable by the venv's (or the system's) Python,
# $ODOO_SRC, the copy recorded by an earlier run, a clone of the official 19.0 branch.
find_odoo_src() {
    local candidate
    for python in "$PY" python3; do
        command -v "$python" >/dev/null 2>&1 || continue
        candidate=$("$python" - <<'PY' 2>/dev/null || true
import os, odoo.release as r
if r.version_info[:2] == (19, 0):
    print(os.path.dirname(os.path.dirname(os.path.abspath(r.__file__))))
PY
)
        if [ -n "$candidate" ] && is_odoo19 "$candidate"; then echo "$candidate"; return; fi
    done
    if [ -n "${ODOO_SRC:-}" ]; then
        is_odoo19 "$ODOO_SRC" || die "ODOO_SRC=$ODOO_SRC is not an Odoo 19.0 source tree (no odoo-bin, odoo/release.py 19.0 and addons/payment)."
        (cd "$ODOO_SRC" && pwd); return
    fi
    if [ -f "$ODOO_SRC_RECORD" ] && is_odoo19 "$(cat "$ODOO_SRC_RECORD")"; then
        cat "$ODOO_SRC_RECORD"; return
    fi
    if timeout 20 git ls-remote --heads "$ODOO_UPSTREAM" 19.0 >/dev/null 2>&1; then
        log "cloning Odoo 19.0 from $ODOO_UPSTREAM into $CACHE_DIR/odoo"
        rm -rf "$CACHE_DIR/odoo"
        git clone -q --depth 1 --branch 19.0 "$ODOO_UPSTREAM" "$CACHE_DIR/odoo" >&2
        echo "$CACHE_DIR/odoo"; return
    fi
    die "no Odoo 19.0 found. Set ODOO_SRC=/path/to/odoo-19.0 (a source tree with odoo-bin and addons/) and run again; it is remembered in $ODOO_SRC_RECORD."
}

is_odoo19() {
    [ -f "$1/odoo-bin" ] && [ -d "$1/addons/payment" ] \
        && grep -qE '^version_info = \(19, 0,' "$1/odoo/release.py" 2>/dev/null
}

ensure_odoo() {
    mkdir -p "$CACHE_DIR"
    ODOO_SRC="$(find_odoo_src)"
    export ODOO_SRC
    echo "$ODOO_SRC" > "$ODOO_SRC_RECORD"
    ODOO_BIN="$ODOO_SRC/odoo-bin"
    odoo_args
}

ensure_venv() {
    [ -x "$PY" ] || { log "creating venv $VENV_DIR"; python3 -m venv "$VENV_DIR"; }
    local stamp="$VENV_DIR/.requirements.sha" want
    want=$(cat "$ODOO_SRC/requirements.txt" <(printf '%s\n' "${EXTRA_REQUIREMENTS[@]}" "$PEER_REQUIREMENT") \
        | sha1sum | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        log "installing Odoo's requirements into the venv (first run takes a few minutes)"
        local pip_log="$CACHE_DIR/pip.log"
        { "$PY" -m pip install --upgrade "pip<25" wheel \
            && "$PY" -m pip install -r "$ODOO_SRC/requirements.txt" \
            && "$PY" -m pip install "${EXTRA_REQUIREMENTS[@]}" \
            && "$PY" -m pip install --no-deps "$PEER_REQUIREMENT"; } >"$pip_log" 2>&1 \
            || { tail -n 30 "$pip_log" >&2; die "pip failed; the whole log is $pip_log"; }
        echo "$want" > "$stamp"
    fi
}

pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
    echo "${dir:-$(dirname "$(command -v pg_ctl)")}/$1"
}

# PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` system user,
# which then needs search permission on the directories above the cache (granted by ACL only).
pg_run() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

grant_postgres_path() {
    [ "$(id -u)" -eq 0 ] || return 0
    local dir="$PG_DIR"
    while [ "$dir" != "/" ]; do
        dir=$(dirname "$dir")
        runuser -u postgres -- test -x "$dir" 2>/dev/null || setfacl -m u:postgres:x "$dir"
    done
}

ensure_postgres() {
    mkdir -p "$PG_DIR"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$PG_DIR"; grant_postgres_path; fi
    if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
        log "initialising a private PostgreSQL cluster in $PG_DIR/data"
        pg_run "$(pg_bin initdb)" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 \
            --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
    fi
    if ! pg_run "$(pg_bin pg_ctl)" -D "$PG_DIR/data" status >/dev/null 2>&1; then
        PG_STARTED_HERE=1
        log "starting PostgreSQL on port $PG_PORT (socket in $PG_DIR)"
        pg_run "$(pg_bin pg_ctl)" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 start \
            -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off" >/dev/null \
            || { tail -n 20 "$PG_DIR/postgres.log" >&2; die "PostgreSQL did not start"; }
    fi
    if ! psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname='$PG_USER'" | grep -q 1; then
        psql_admin -qc "CREATE ROLE $PG_USER LOGIN CREATEDB" >/dev/null
    fi
}

psql_admin() { pg_run psql -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres -X "$@"; }

# Leave PostgreSQL as it was found: stop it if this command started it.
PG_STARTED_HERE=0
stop_postgres_if_started() {
    if [ "$PG_STARTED_HERE" -eq 1 ]; then
        pg_run "$(pg_bin pg_ctl)" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
        log "PostgreSQL stopped"
    fi
}

# A database of its own for one run, dropped with its filestore (and PostgreSQL stopped if this
# command started it) when the run ends, however it ends.
use_temp_db() {
    TEMP_DB="$1"
    trap drop_temp_db EXIT
}
drop_temp_db() {
    drop_db "$TEMP_DB"
    stop_postgres_if_started
}
# Database $1 and its filestore, gone.
drop_db() {
    psql_admin -qc "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$CACHE_DIR/filestore/filestore/$1"
}

free_port() { "$PY" "$REPO_DIR/tools/free_port.py"; }

# The database of `make load` and `make bench-webhooks`, name $1: the modules $2 with their demo
# data, installed into a temporary database (dropped on exit). LOG_DIR, the run's logs, is
# $CACHE_DIR/last-$1-run, emptied first and exported for the tool as PAYMENT_GALAXIA_LOG_DIR.
fresh_demo_db() {
    local name=$1 modules=$2
    prepare_all
    export PAYMENT_GALAXIA_ODOO_SRC="$ODOO_SRC"
    use_temp_db "galaxia_${name//-/_}_$$"
    LOG_DIR="$CACHE_DIR/last-$name-run"
    rm -rf "$LOG_DIR" && mkdir -p "$LOG_DIR"
    export PAYMENT_GALAXIA_LOG_DIR="$LOG_DIR"
    log "$name: installing ${modules//,/ + } into $TEMP_DB (about a minute)"
    odoo_run -d "$TEMP_DB" -i "$modules" --without-demo=False --stop-after-init --log-level=warn \
        >"$LOG_DIR/install.log" 2>&1 \
        || { tail -n 20 "$LOG_DIR/install.log" >&2; die "the install failed; see $LOG_DIR/install.log"; }
}

# Print the last `$1: N passed, N failed` line of the tool's log $2; fail unless none failed.
print_summary() {
    local name=$1 tool_log=$2 summary
    summary=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed\$" "$tool_log" | tail -n 1)
    if [ -z "$summary" ]; then
        tail -n 20 "$tool_log" >&2
        die "$name did not run to its end; see $tool_log"
    fi
    echo "$summary"
    case "$summary" in *" 0 failed") ;; *) return 1 ;; esac
}

# Per checkout (several clones may run at once): the addons path puts this repository, whatever
# its folder is called, into Odoo under the name `payment_galaxia`, and Odoo's configuration.
CHECKOUT_DIR="$CACHE_DIR/checkouts/$(printf '%s' "$REPO_DIR" | sha1sum | cut -c1-12)"
ADDONS_LINK_DIR="$CHECKOUT_DIR/addons"
ensure_addons_link() {
    mkdir -p "$ADDONS_LINK_DIR"
    ln -sfn "$REPO_DIR" "$ADDONS_LINK_DIR/payment_galaxia"
}

# Written on every run (paths may change between runs); every Odoo command reads it.
ODOO_CONF="$CHECKOUT_DIR/odoo.conf"
odoo_args() {
    mkdir -p "$CHECKOUT_DIR"
    cat > "$ODOO_CONF" <<CONF
[options]
addons_path = $ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$ADDONS_LINK_DIR
db_host = $PG_DIR
db_port = $PG_PORT
db_user = $PG_USER
data_dir = $CACHE_DIR/filestore
http_interface = 127.0.0.1
CONF
    ODOO_ARGS=(-c "$ODOO_CONF")
}

odoo_run() { "$PY" "$ODOO_BIN" "${ODOO_ARGS[@]}" "$@"; }

# The pre-commit hooks of .pre-commit-config.yaml on every file (`make lint`, and `make test`'s
# first stage), from the project's venv.
run_lint() {
    (cd "$REPO_DIR" && PATH="$VENV_DIR/bin:$PATH" "$VENV_DIR/bin/pre-commit" run --all-files \
        --color never)
}

# The demo shop in database $1 (`make demo`, `make screenshots`): website_sale with its demo
# data, English and Korean, the Galaxia provider in test mode paying at the sandbox at $2
# (tools/demo_setup.py). An existing database has payment_galaxia upgraded instead.
setup_demo_db() {
    local db=$1 sandbox_url=$2
    if psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1; then
        log "upgrading payment_galaxia in the demo database $db"
        odoo_run -d "$db" -u payment_galaxia --stop-after-init --log-level=warn
    else
        log "creating the demo database $db (website_sale, demo data, Korean; about two minutes)"
        odoo_run -d "$db" -i website_sale,payment_galaxia --without-demo=False \
            --load-language=ko_KR --stop-after-init --log-level=warn
    fi
    SANDBOX_URL="$sandbox_url" "$PY" "$ODOO_BIN" shell "${ODOO_ARGS[@]}" -d "$db" --no-http \
        --log-level=warn < "$REPO_DIR/tools/demo_setup.py"
}

prepare_all() {
    ensure_system_packages
    ensure_odoo
    ensure_venv
    ensure_postgres
    ensure_addons_link
}
