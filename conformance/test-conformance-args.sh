#!/usr/bin/env bash
# conformance/test-conformance-args.sh: checks how `./herald conformance` reads its arguments and picks the test
# files, against a small made-up ably-js repository (and ably-common) built in a temporary directory. Uses --dry-run,
# so it builds nothing, installs nothing and starts no server; needs git only. Prints one line per check.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0

g() { git -c user.name=test -c user.email=test@example.com -c init.defaultBranch=main "$@"; }

# ably-common: one commit with the fixtures ably-js pins
g init -q "$TMP/common"
mkdir -p "$TMP/common/test-resources"
echo '{}' > "$TMP/common/test-resources/test-app-setup.json"
g -C "$TMP/common" add -A && g -C "$TMP/common" commit -qm fixtures
common_commit=$(git -C "$TMP/common" rev-parse HEAD)

# ably-js: test files of every kind the selection has to tell apart, the submodule link, two release tags
g init -q "$TMP/js"
for f in unit/msgpack rest/auth rest/push rest/liveobjects realtime/channel realtime/liveobjects; do
  mkdir -p "$TMP/js/test/$(dirname "$f")"
  echo "// $f" > "$TMP/js/test/$f.test.js"
done
mkdir -p "$TMP/js/test/realtime/nested" "$TMP/js/test/common/modules"
echo '// not a top-level test file' > "$TMP/js/test/realtime/nested/deep.test.js"
echo '// a helper' > "$TMP/js/test/common/modules/helper.js"
echo '{}' > "$TMP/js/package.json"
g -C "$TMP/js" add -A
g -C "$TMP/js" update-index --add --cacheinfo "160000,$common_commit,test/common/ably-common"
g -C "$TMP/js" commit -qm tests
g -C "$TMP/js" tag 2.26.0
g -C "$TMP/js" rm -q test/rest/push.test.js && g -C "$TMP/js" commit -qm 'no push' && g -C "$TMP/js" tag 2.27.0
g clone -q --bare "$TMP/js" "$TMP/js.git"

run() { # the command's output and exit status, in OUT and RC
  OUT=$("$ROOT/herald" conformance --dry-run "$@" 2>&1)
  RC=$?
}

expect() { # $1 = what is checked, $2 = expected status, $3 = a line the output must contain (fixed string)
  if [ "$RC" = "$2" ] && grep -qF -- "$3" <<< "$OUT"; then
    echo "ok   $1"
  else
    echo "FAIL $1: expected status $2 and the line '$3'; got status $RC and:"
    sed 's/^/       /' <<< "$OUT"
    failures=$((failures + 1))
  fi
}

refuse() { # $1 = what is checked, $2 = a fixed string the error must contain
  expect "$1" 2 "$2"
}

both=(--ably-js "$TMP/js" --ably-common "$TMP/common")

run "${both[@]}"
expect "default files: unit, rest, realtime, top level only" 0 "  files: unit/msgpack rest/auth realtime/channel"
expect "LiveObjects and push listed as skipped by default" 0 "  skipped (LiveObjects: name the file to run it; push: not in Herald): rest/liveobjects rest/push realtime/liveobjects"
expect "default transport and engine" 0 "transport web_socket, one memory-engine node"

run --ably-js "$TMP/js.git" --ably-common "$TMP/common" --ref 2.27.0
expect "a bare clone, another ref: the files at that ref" 0 "  skipped (LiveObjects: name the file to run it; push: not in Herald): rest/liveobjects realtime/liveobjects"

run "${both[@]}" rest/auth test/realtime/channel.test.js ./test/unit/msgpack.test.js rest/push
expect "files by short name or path, a skipped one when named" 0 "  files: rest/auth realtime/channel unit/msgpack rest/push"
if grep -q skipped <<< "$OUT"; then echo "FAIL named files: nothing should be listed as skipped"; failures=$((failures + 1)); fi

run "${both[@]}" --transport both --cluster rest/auth
expect "--transport both, --cluster" 0 "transport web_socket comet, cluster of two Redis-engine nodes"

run "${both[@]}" --transport=comet --max-seconds=60 --ref=2.26.0 rest/auth
expect "--option=value forms" 0 "transport comet, one memory-engine node"

g clone -q "$TMP/common" "$TMP/js/test/common/ably-common"
run --ably-js "$TMP/js" rest/auth
expect "a checkout's initialised submodule when --ably-common is left out" 0 "  files: rest/auth"
rm -rf "$TMP/js/test/common/ably-common"

run "${both[@]}" rest/nope
refuse "an unknown file" "no test file 'rest/nope' at 2.26.0"
run "${both[@]}" realtime/nested/deep
refuse "a file below the top level" "no test file 'realtime/nested/deep'"
run "${both[@]}" --transport xhr
refuse "an unknown transport" "--transport is web_socket, comet or both, not 'xhr'"
run "${both[@]}" --max-seconds 0
refuse "a zero time cap" "--max-seconds needs a positive whole number"
run "${both[@]}" --ref main
refuse "a ref that is not a release tag" "--ref is an ably-js release tag"
run "${both[@]}" --ref 9.9.9
refuse "a tag the clone does not have" "no ref '9.9.9'"
run "${both[@]}" --frobnicate
refuse "an unknown option" "unknown option '--frobnicate'"
run --ably-common "$TMP/common"
refuse "no --ably-js" "--ably-js names your git clone"
run --ably-js "$TMP/not-there" --ably-common "$TMP/common"
refuse "an --ably-js that is not a git clone" "is not a git clone"
run --ably-js "$TMP/js.git"
refuse "no --ably-common and no submodule checkout" "--ably-common names your git clone"
g init -q "$TMP/empty-common" && g -C "$TMP/empty-common" commit -q --allow-empty -m empty
run --ably-js "$TMP/js" --ably-common "$TMP/empty-common"
refuse "an ably-common without the pinned commit" "ably-common commit $common_commit"

if [ $failures -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
