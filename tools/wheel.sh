#!/usr/bin/env bash
# `make wheel`: the addon as OCA packages addons, a wheel `odoo-addon-payment_galaxia` built by
# whool from the committed tree (HEAD), into dist/. whool names the addon after its folder, which
# a clone need not call payment_galaxia: the tree is exported under that name first.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

ensure_odoo
ensure_venv
DIST_DIR="$REPO_DIR/dist"
BUILD_DIR="$(mktemp -d)"
trap 'rm -rf "$BUILD_DIR"' EXIT
mkdir -p "$BUILD_DIR/payment_galaxia" "$DIST_DIR"
git -C "$REPO_DIR" archive HEAD | tar -x -C "$BUILD_DIR/payment_galaxia"
"$PY" -m build --wheel --no-isolation --outdir "$DIST_DIR" "$BUILD_DIR/payment_galaxia" \
    >"$BUILD_DIR/build.log" 2>&1 || { cat "$BUILD_DIR/build.log" >&2; die "the wheel did not build"; }
ls -1t "$DIST_DIR"/odoo_addon_payment_galaxia-*.whl | head -n 1
