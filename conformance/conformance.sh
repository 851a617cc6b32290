# ./herald conformance: the official ably-js test suite (its mocha tests, read at run time from the user's git clone
# of github.com/ably/ably-js, run against the published npm `ably` of the same version) against a Herald this command
# starts itself: one in-memory node, or with --cluster two Redis-engine nodes behind a round-robin balancer.
# Sourced by ./herald (it uses ROOT, JAR, LOG_DIR, build_server, await_http and port_busy from there); the mocha
# side is in conformance/harness/. Nothing it downloads or extracts is kept in the repository: everything lives in
# .herald/conformance/.

CONF_HERE="$ROOT/conformance"
CONF_CACHE="$ROOT/.herald/conformance"

conf_usage() {
  cat <<'USAGE'
Usage: ./herald conformance --ably-js DIR [--ably-common DIR] [--ref 2.26.0] [--transport web_socket|comet|both]
                            [--cluster] [--max-seconds 3600] [--no-record] [--dry-run] [FILE...]
Runs ably-js's own mocha suite against a Herald started for the run, then prints one tally line per transport and
the failing tests per file, and rewrites the tally block of conformance/known-failures.md.

  --ably-js DIR      a git clone of github.com/ably/ably-js (bare, or a checkout); the tests are read from it at --ref
  --ably-common DIR  a git clone of github.com/ably/ably-common, for the test app fixtures (test-resources) at the
                     commit ably-js pins; default: the checkout's initialised submodule
  --ref REF          the ably-js release tag; the npm package ably@REF is the library under test (default 2.26.0)
  --transport T      web_socket (default), comet, or both (one mocha run each, one tally line each)
  --cluster          two Herald nodes (Redis engine, one redis-server) behind a round-robin balancer (conformance/lb.js), with the
                     suite's app provisioner (conformance/provisioner.js) copying each test app to both nodes;
                     default: one node, `serve --engine memory --sandbox`
  --max-seconds N    cap on the whole mocha time, all transports together (default 3600); a run that hits it is
                     stopped and its tally marked partial
  --no-record        print the tally only; leave conformance/known-failures.md alone
  --dry-run          check the arguments, print the files that would run and those skipped, and stop
  FILE               rest/auth or test/rest/auth.test.js; default: every test/{unit,rest,realtime}/*.test.js at the
                     ref except LiveObjects (run when named) and push, which are listed as skipped

Environment: ABLY_LOG_LEVEL (the SDK's log level, printed live; by default only failing tests' logs are shown),
HERALD_JAVA_OPTS (JVM options for the Herald nodes).
Needs git, node 20 with npm (the registry, the first time for a version), java, and for --cluster redis-server.
Exit status: 0 when nothing failed, 1 when a test failed, 124 when the time cap stopped the run.
Logs and the installed packages: .herald/conformance/. See conformance/known-failures.md.
USAGE
}

conf_die() { echo "herald conformance: $*" >&2; exit 2; }

conf_free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

conf_git_dir() { # $1 = a bare clone or a checkout: its git directory, absolute
  git -C "$1" rev-parse --absolute-git-dir 2>/dev/null
}

# The test files at the ref, as test/<dir>/<name>.test.js, one a line
conf_all_files() {
  local dir
  for dir in unit rest realtime; do
    git --git-dir="$1" ls-tree --name-only "$2" -- "test/$dir/" | grep -E '^test/[a-z]+/[^/]+\.test\.js$' || true
  done
}

conf_skipped_by_default() { # $1 = test/<dir>/<name>.test.js
  case "$1" in
    *liveobjects*|test/rest/push.test.js|test/realtime/push.test.js) return 0 ;;
    *) return 1 ;;
  esac
}

conf_short() { local f=${1#test/}; printf '%s' "${f%.test.js}"; }

conf_npm_install() { # $1 = ably-js git dir, $2 = ref, $3 = npm version: ably and the suite's test deps, pinned
  local dir="$CONF_CACHE/npm/$3" spec
  # versions from the package-lock at the ref; a dependency taken from git there (async: a fork of 1.5.2) falls
  # back to the npm release it forks
  spec=$(git --git-dir="$1" show "$2:package-lock.json" 2>/dev/null | node -e '
    const wanted = { mocha: "8.4.0", chai: "4.4.1", async: "1.5.2", "source-map-support": "0.5.21",
      "@ably/vcdiff-decoder": "1.0.6", ulid: "2.3.0", dequal: "2.0.3" };
    let lock = {};
    try { lock = JSON.parse(require("fs").readFileSync(0, "utf8")).packages || {}; } catch (e) {}
    const deps = { ably: process.argv[1] };
    for (const [name, fallback] of Object.entries(wanted)) {
      const entry = lock["node_modules/" + name];
      const fromRegistry = entry && /^https:\/\/registry\.npmjs\.org\//.test(entry.resolved || "");
      deps[name] = fromRegistry ? entry.version : fallback;
    }
    console.log(JSON.stringify({ name: "herald-conformance", private: true, dependencies: deps }, null, 2));' "$3")
  mkdir -p "$dir"
  if [ -f "$dir/node_modules/.herald-installed" ] && [ "$(cat "$dir/node_modules/.herald-installed")" = "$spec" ]; then
    return 0
  fi
  echo "herald conformance: installing ably@$3 and the suite's test packages into $dir ..." >&2
  printf '%s\n' "$spec" > "$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error > "$CONF_LOGS/npm-install.log" 2>&1) || {
    tail -20 "$CONF_LOGS/npm-install.log" >&2
    conf_die "npm install failed; log: $CONF_LOGS/npm-install.log"
  }
  printf '%s' "$spec" > "$dir/node_modules/.herald-installed"
}

conf_extract() { # $1 = ably-js git dir, $2 = ref, $3 = ably-common git dir, $4 = ably-common commit, $5 = npm dir
  local work="$CONF_CACHE/work" f
  rm -rf "$work"
  mkdir -p "$work/test/common/ably-common"
  git --git-dir="$1" archive "$2" test .mocharc.js package.json promises.js promises.d.ts callbacks.js callbacks.d.ts \
    | tar -x -C "$work" || conf_die "could not extract the tests at $2"
  git --git-dir="$3" archive "$4" test-resources | tar -x -C "$work/test/common/ably-common" \
    || conf_die "could not extract ably-common's test-resources at $4"
  ln -s "$5/node_modules" "$work/node_modules"
  ln -s node_modules/ably/build "$work/build" # the tests load the library from build/, as in an ably-js checkout
  # the auth tests call Ably's public echo service over https: point them at the local stand-in (harness/preload.js)
  for f in test/rest/auth.test.js test/realtime/auth.test.js; do
    [ -f "$work/$f" ] && sed -i "s#https://echo\\.ably\\.io#http://127.0.0.1:$CONF_ECHO_PORT#g" "$work/$f"
  done
  CONF_WORK=$work
}

# A self-signed certificate for the TLS stand-in of Ably's public hosts (harness/preload.js), made once
conf_tls_cert() {
  local dir="$CONF_CACHE/tls"
  [ -s "$dir/cert.pem" ] && [ -s "$dir/key.pem" ] && return 0
  command -v openssl >/dev/null 2>&1 || conf_die "openssl is needed (a local certificate for the TLS stand-in)"
  mkdir -p "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=herald-conformance-stand-in" \
    -addext "subjectAltName=DNS:echo.ably.io,DNS:internet-up.ably-realtime.com,DNS:sandbox.realtime.ably-nonprod.net" \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1 || conf_die "openssl could not make the stand-in certificate"
}

# ---- the servers ---------------------------------------------------------------------------------------------------

CONF_PIDS=()

conf_stop_all() {
  local pid i
  for pid in ${CONF_PIDS[@]+"${CONF_PIDS[@]}"}; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in ${CONF_PIDS[@]+"${CONF_PIDS[@]}"}; do
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  CONF_PIDS=()
}

conf_await_port() { # $1 port, $2 pid, $3 name: until something accepts on 127.0.0.1:$1
  local i
  for ((i = 0; i < 150; i++)); do
    kill -0 "$2" 2>/dev/null || { tail -20 "$CONF_LOGS/$3.log" >&2; conf_die "$3 exited at start; log: $CONF_LOGS/$3.log"; }
    port_busy "$1" && return 0
    sleep 0.2
  done
  conf_die "$3 did not listen on port $1 within 30 s; log: $CONF_LOGS/$3.log"
}

conf_start_node() { # $1 = log name, rest = serve arguments
  local name=$1; shift
  java ${HERALD_JAVA_OPTS:-} -jar "$JAR" serve --host 127.0.0.1 --sandbox "$@" > "$CONF_LOGS/$name.log" 2>&1 &
  CONF_PIDS+=($!)
}

# Sets CONF_PORT (where clients go), CONF_SETUP (for the tally) and, for the cluster, CONF_PROVISIONER
conf_start_servers() {
  local saved_log_dir=$LOG_DIR
  LOG_DIR=$CONF_LOGS # await_http names the log it points at from LOG_DIR
  if [ "$1" = 0 ]; then
    CONF_PORT=$(conf_free_port)
    conf_start_node herald --engine memory --port "$CONF_PORT"
    await_http "http://127.0.0.1:$CONF_PORT/health/live" "${CONF_PIDS[-1]}" herald "herald conformance" || exit 1
    CONF_SETUP="one Herald node (memory engine)"
    echo "herald conformance: Herald on 127.0.0.1:$CONF_PORT (memory engine); log $CONF_LOGS/herald.log" >&2
  else
    local redis a b provisioner
    redis=$(conf_free_port); a=$(conf_free_port); b=$(conf_free_port)
    CONF_PORT=$(conf_free_port); provisioner=$(conf_free_port)
    redis-server --port "$redis" --bind 127.0.0.1 --save '' --appendonly no > "$CONF_LOGS/redis.log" 2>&1 &
    CONF_PIDS+=($!)
    conf_await_port "$redis" "${CONF_PIDS[-1]}" redis
    conf_start_node node-a --engine redis --redis "redis://127.0.0.1:$redis" --server-id node-a --port "$a"
    conf_start_node node-b --engine redis --redis "redis://127.0.0.1:$redis" --server-id node-b --port "$b"
    await_http "http://127.0.0.1:$a/health/live" "${CONF_PIDS[-2]}" node-a "herald conformance" || exit 1
    await_http "http://127.0.0.1:$b/health/live" "${CONF_PIDS[-1]}" node-b "herald conformance" || exit 1
    node "$CONF_HERE/lb.js" "$CONF_PORT" "$a" "$b" > "$CONF_LOGS/lb.log" 2>&1 &
    CONF_PIDS+=($!)
    conf_await_port "$CONF_PORT" "${CONF_PIDS[-1]}" lb
    node "$CONF_HERE/provisioner.js" "$provisioner" "$CONF_PORT" "$a" "$b" > "$CONF_LOGS/provisioner.log" 2>&1 &
    CONF_PIDS+=($!)
    conf_await_port "$provisioner" "${CONF_PIDS[-1]}" provisioner
    CONF_PROVISIONER="http://127.0.0.1:$provisioner"
    CONF_SETUP="two Herald nodes (Redis engine) behind a round-robin balancer"
    echo "herald conformance: redis $redis, nodes $a and $b, balancer $CONF_PORT, provisioner $provisioner; logs $CONF_LOGS" >&2
  fi
  LOG_DIR=$saved_log_dir
}

# ---- the command ---------------------------------------------------------------------------------------------------

conformance() {
  local ably_js="" ably_common="" ref=2.26.0 transport=web_socket cluster=0 max_seconds=3600 record=1 dry_run=0
  local wanted=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --ably-js) ably_js=${2:?--ably-js needs a directory}; shift 2 ;;
      --ably-js=*) ably_js=${1#*=}; shift ;;
      --ably-common) ably_common=${2:?--ably-common needs a directory}; shift 2 ;;
      --ably-common=*) ably_common=${1#*=}; shift ;;
      --ref) ref=${2:?--ref needs a tag}; shift 2 ;;
      --ref=*) ref=${1#*=}; shift ;;
      --transport) transport=${2:?--transport needs web_socket, comet or both}; shift 2 ;;
      --transport=*) transport=${1#*=}; shift ;;
      --cluster) cluster=1; shift ;;
      --max-seconds) max_seconds=${2:?--max-seconds needs a number}; shift 2 ;;
      --max-seconds=*) max_seconds=${1#*=}; shift ;;
      --no-record) record=0; shift ;;
      --dry-run) dry_run=1; shift ;;
      -h|--help) conf_usage; return 0 ;;
      -*) conf_die "unknown option '$1' (see ./herald conformance --help)" ;;
      *) wanted+=("$1"); shift ;;
    esac
  done

  local transports=()
  case "$transport" in
    web_socket|comet) transports=("$transport") ;;
    both) transports=(web_socket comet) ;;
    *) conf_die "--transport is web_socket, comet or both, not '$transport'" ;;
  esac
  [[ "$max_seconds" =~ ^[1-9][0-9]*$ ]] || conf_die "--max-seconds needs a positive whole number, not '$max_seconds'"
  [[ "$ref" =~ ^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] \
    || conf_die "--ref is an ably-js release tag such as 2.26.0 (the npm package of the same version is tested), not '$ref'"
  local version=${ref#v}
  command -v git >/dev/null 2>&1 || conf_die "git is needed"
  command -v node >/dev/null 2>&1 || conf_die "node (20 or later, with npm) is needed"

  [ -n "$ably_js" ] || conf_die "--ably-js names your git clone of github.com/ably/ably-js (see --help)"
  local js_git common_git common_commit
  js_git=$(conf_git_dir "$ably_js") || conf_die "--ably-js: '$ably_js' is not a git clone"
  git --git-dir="$js_git" rev-parse -q --verify "$ref^{commit}" >/dev/null \
    || conf_die "no ref '$ref' in $js_git (git fetch --tags there?)"
  common_commit=$(git --git-dir="$js_git" ls-tree "$ref" test/common/ably-common | awk '$2 == "commit" { print $3 }')
  [ -n "$common_commit" ] || conf_die "$ref has no test/common/ably-common submodule: not an ably-js tree?"
  if [ -z "$ably_common" ]; then
    [ -e "$ably_js/test/common/ably-common/.git" ] \
      || conf_die "--ably-common names your git clone of github.com/ably/ably-common (or init the submodule in --ably-js)"
    ably_common="$ably_js/test/common/ably-common"
  fi
  common_git=$(conf_git_dir "$ably_common") || conf_die "--ably-common: '$ably_common' is not a git clone"
  git --git-dir="$common_git" cat-file -e "$common_commit^{commit}" 2>/dev/null \
    || conf_die "ably-common commit $common_commit (pinned by ably-js $ref) is not in $common_git; git fetch there"

  # the files: as named, or every test file at the ref but the skipped ones
  local all=() files=() skipped=() f name found all_default=0
  mapfile -t all < <(conf_all_files "$js_git" "$ref")
  [ ${#all[@]} -gt 0 ] || conf_die "no test/{unit,rest,realtime}/*.test.js at $ref"
  if [ ${#wanted[@]} -eq 0 ]; then
    all_default=1
    for f in "${all[@]}"; do
      if conf_skipped_by_default "$f"; then skipped+=("$f"); else files+=("$f"); fi
    done
  else
    for name in "${wanted[@]}"; do
      name=${name#./}; name=${name#test/}; name=${name%.test.js}
      found=""
      for f in "${all[@]}"; do [ "$f" = "test/$name.test.js" ] && found=$f; done
      [ -n "$found" ] || conf_die "no test file '$name' at $ref (names look like rest/auth or test/rest/auth.test.js)"
      files+=("$found")
    done
  fi

  local shorts=() s
  for f in "${files[@]}"; do shorts+=("$(conf_short "$f")"); done
  echo "herald conformance: ably-js $ref (npm ably@$version), ${#files[@]} file(s), transport ${transports[*]}," \
    "$([ $cluster = 1 ] && echo "cluster of two Redis-engine nodes" || echo "one memory-engine node")"
  echo "  files: ${shorts[*]}"
  if [ ${#skipped[@]} -gt 0 ]; then
    local skipped_shorts=()
    for f in "${skipped[@]}"; do skipped_shorts+=("$(conf_short "$f")"); done
    echo "  skipped (LiveObjects: name the file to run it; push: not in Herald): ${skipped_shorts[*]}"
  fi
  [ $dry_run = 0 ] || return 0

  command -v npm >/dev/null 2>&1 || conf_die "npm is needed"
  command -v java >/dev/null 2>&1 || conf_die "java (17) is needed"
  command -v curl >/dev/null 2>&1 || conf_die "curl is needed (to wait for the servers)"
  [ $cluster = 0 ] || command -v redis-server >/dev/null 2>&1 || conf_die "--cluster needs redis-server"

  CONF_LOGS="$CONF_CACHE/logs"
  mkdir -p "$CONF_LOGS"
  build_server
  conf_npm_install "$js_git" "$ref" "$version"
  CONF_ECHO_PORT=$(conf_free_port)
  CONF_TLS_PORT=$(conf_free_port)
  conf_tls_cert
  conf_extract "$js_git" "$ref" "$common_git" "$common_commit" "$CONF_CACHE/npm/$version"

  trap 'conf_stop_all' EXIT
  trap 'echo "herald conformance: interrupted, stopping ..." >&2; conf_stop_all; exit 130' INT TERM
  CONF_PROVISIONER=""
  conf_start_servers "$cluster"

  local deadline=$((SECONDS + max_seconds)) runs=() t left status worst=0 results
  for t in "${transports[@]}"; do
    results="$CONF_LOGS/results-$t.jsonl"
    rm -f "$results"
    left=$((deadline - SECONDS))
    if [ "$left" -le 0 ]; then
      runs+=("$t=$results=not-run"); worst=124
      continue
    fi
    echo "herald conformance: mocha, transport $t (at most ${left} s); log $CONF_LOGS/mocha-$t.log" >&2
    # mocha runs in the background and is waited for, so that a signal to this script reaches the trap at once
    # (timeout passes the trap's TERM on to mocha); tail shows its output as it comes
    local log="$CONF_LOGS/mocha-$t.log" mocha_pid tail_pid
    : > "$log"
    (
      cd "$CONF_WORK" || exit 2
      exec env ABLY_ENDPOINT=localhost ABLY_PORT="$CONF_PORT" ABLY_TLS_PORT="$CONF_PORT" ABLY_USE_TLS=false \
        ABLY_TEST_TRANSPORTS="$t" ABLY_LOCAL_SANDBOX_URL="$CONF_PROVISIONER" \
        HERALD_ECHO_PORT="$CONF_ECHO_PORT" HERALD_RESULTS="$results" HERALD_TLS_PORT="$CONF_TLS_PORT" \
        HERALD_TLS_CERT="$CONF_CACHE/tls/cert.pem" HERALD_TLS_KEY="$CONF_CACHE/tls/key.pem" NODE_TLS_REJECT_UNAUTHORIZED=0 \
        timeout --foreground -k 15 "$left" node node_modules/.bin/mocha --reporter "$CONF_HERE/harness/reporter.js" \
        --require "$CONF_HERE/harness/preload.js" --exit "${files[@]}"
    ) > "$log" 2>&1 &
    mocha_pid=$!
    tail --pid="$mocha_pid" -n +1 -f "$log" &
    tail_pid=$!
    CONF_PIDS=("$mocha_pid" "$tail_pid" ${CONF_PIDS[@]+"${CONF_PIDS[@]}"})
    status=0
    wait "$mocha_pid" || status=$?
    wait "$tail_pid" 2>/dev/null || true
    CONF_PIDS=("${CONF_PIDS[@]:2}")
    if [ "$status" = 124 ] || [ "$status" = 137 ]; then
      runs+=("$t=$results=cut"); worst=124
    else
      runs+=("$t=$results=complete")
      [ "$status" = 0 ] || [ $worst = 124 ] || worst=1
    fi
  done
  conf_stop_all

  local tally_args=(--ref "$ref" --setup "$CONF_SETUP" --files "${shorts[*]}")
  [ $all_default = 0 ] || tally_args+=(--all-default)
  [ $record = 0 ] || tally_args+=(--record "$CONF_HERE/known-failures.md")
  node "$CONF_HERE/harness/tally.js" "${tally_args[@]}" "${runs[@]}"
  return $worst
}
