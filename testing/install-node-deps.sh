#!/usr/bin/env bash
# Installs the npm packages the end-to-end tests drive (the official `ably` SDK, playwright-core) into
# testing/node/node_modules, once per package-lock.json. Never downloads browsers or node itself.
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/node" && pwd)"
STAMP="$DIR/node_modules/.herald-lock-stamp"
if [ -f "$STAMP" ] && cmp -s "$STAMP" "$DIR/package-lock.json"; then
  exit 0
fi
echo "herald: npm ci in testing/node (ably SDK and test tools) ..." >&2
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
(cd "$DIR" && npm ci --no-audit --no-fund --loglevel=error)
cp "$DIR/package-lock.json" "$STAMP"
