#!/usr/bin/env bash
# Builds the demo's front end for the Maven build (generate-resources): `npm ci` when package-lock.json
# changed since the last install, then `vite build` into $1 (target/classes/public). Uses the machine's
# node and npm; never downloads node itself.
set -euo pipefail
OUT=${1:?usage: build.sh OUT_DIR}
cd "$(dirname "${BASH_SOURCE[0]}")"

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  cat >&2 <<'MSG'
herald-demo: node and npm are needed to build the demo's front end (herald-demo/web, React + Vite),
but they are not on the PATH. Install Node.js >= 20.19 with npm (e.g. `apt-get install nodejs npm`),
or skip the front end with -Ddemo.web.skip=true (the backend then serves no page).
MSG
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "herald-demo: Vite 8 needs Node.js >= 20.19; found $(node --version)" >&2
  exit 1
fi

STAMP=node_modules/.herald-lock-stamp
if [ ! -f "$STAMP" ] || ! cmp -s "$STAMP" package-lock.json; then
  echo "herald-demo: npm ci in herald-demo/web ..." >&2
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$STAMP"
fi
exec node node_modules/vite/bin/vite.js build --outDir "$OUT" --emptyOutDir --logLevel warn
