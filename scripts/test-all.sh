#!/usr/bin/env bash
# One command from a fresh Debian/Ubuntu machine to every test passing: installs what the tests
# need (system packages, npm dependencies, the Python virtualenvs), then runs `npm test`.
# Idempotent: every step already satisfied is skipped, so a second run only tests.
# `npm test` alone runs the same tests on a machine that is already prepared.
#
#   scripts/test-all.sh            # install what is missing, then run every test
#   scripts/test-all.sh --no-test  # install only (what .ci/run and a new contributor's setup need)
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
log() { printf '\n== %s (%ss)\n' "$*" "$(( $(date +%s) - started ))"; }
run_tests=1
[ "${1:-}" = "--no-test" ] && run_tests=0

# --- system packages (apt) -------------------------------------------------------------------
need_apt=()
# npm bootstraps the install; the `node` npm dependency then pins Node 24 for npm scripts and npx.
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
# The compatibility matrix's Python half and the Python SDK's tests need venv + pip.
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need_apt+=(python3 python3-venv)
# A real PostgreSQL runs the scale-out metadata tests (packages/server/test/postgres-metadata.int.test.ts).
command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need_apt+=(postgresql)
# A real Prometheus scrapes /metrics in packages/server/test/prometheus.int.test.ts (the test runs the binary).
command -v prometheus >/dev/null 2>&1 || need_apt+=(prometheus)
# Debian's Chromium drives the web console's end-to-end tests (packages/ui/e2e, playwright-core);
# fonts-liberation is a Recommends that --no-install-recommends would skip.
[ -x /usr/bin/chromium ] || need_apt+=(chromium fonts-liberation)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
  # The tests start their own Prometheus on a free port; the Debian service must not run.
  if [[ " ${need_apt[*]} " == *" prometheus "* ]] && command -v systemctl >/dev/null 2>&1; then
    "${sudo[@]}" systemctl disable --now prometheus >/dev/null 2>&1 || true
  fi
fi

# --- npm dependencies ------------------------------------------------------------------------
# `npm install` rather than `npm ci`: it follows the lockfile too, and tolerates lockfile entries
# for other platforms' optional packages that npm 11 sometimes leaves out. Skipped when the
# lockfile has not changed since the last successful install.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -d node_modules ] || [ "$(cat node_modules/.argus-lock-sha256 2>/dev/null)" != "$lock_hash" ]; then
  log "npm install"
  npm install --no-audit --no-fund
  echo "$lock_hash" > node_modules/.argus-lock-sha256
fi

# --- Python virtualenvs ----------------------------------------------------------------------
# One venv per requirements file, recreated only when the file's hash changes (the marker holds it;
# the tests that use a venv write the same marker when they create it themselves).
ensure_venv() { # <venv dir> <requirements file> [pip install arguments …]
  local dir=$1 req=$2 hash
  shift 2
  hash=$(sha256sum "$req" | cut -d' ' -f1)
  [ "$(cat "$dir/.requirements-sha256" 2>/dev/null)" = "$hash" ] && return 0
  log "python venv $dir"
  python3 -m venv --clear "$dir"
  timeout 900 "$dir/bin/pip" install -q --disable-pip-version-check -r "$req" "$@"
  echo "$hash" > "$dir/.requirements-sha256"
}
# The pip half of the compatibility matrix (packages/server/test/compat/python.test.ts).
ensure_venv .venv-compat packages/server/test/compat/python/requirements.txt
# The Python SDK (packages/python) installed as a user installs it, with pytest and the clients it
# instruments; its pytest suite runs from packages/python/test/pytest.test.ts.
ensure_venv .venv-sdk-python packages/python/requirements-test.txt './packages/python[dev]'
# argus-explain (packages/python-explain) with torch and transformers (CPU is enough: its tests use a
# tiny random GPT-2); the only venv with torch (~5 GB, a few minutes the first time). Its pytest
# suite runs from packages/python-explain/test/pytest.test.ts.
ensure_venv .venv-explain packages/python-explain/requirements-test.txt './packages/python-explain[dev]'
# Further Python packages add their venv here, one line each: ensure_venv <dir> <requirements file> [args]

# --- tests -----------------------------------------------------------------------------------
if [ "$run_tests" = 1 ]; then
  log "npm test"
  npm test
fi
log "done"
