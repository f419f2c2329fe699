#!/bin/bash
# Starts a published server the way the benchmark does (Development, SQLite in a fresh temporary folder, the benchmark's
# policy and API key, no scheduled jobs), for bench/scripts/load.mjs. SERVER is a SmsMcp.Server.dll (run with dotnet) or a self-contained publish's executable.
# Usage: bench/scripts/serve.sh SERVER PORT
set -euo pipefail
d=$(mktemp -d /tmp/smsmcp-serve-XXXX)
cat > "$d/policy.json" <<'JSON'
{
  "recipients": { "demo": { "number": "+12025550123" } },
  "profiles": { "bench": { "allow": { "recipients": ["demo"] }, "countries": ["US"],
                           "quotas": { "messagesPerDay": 100000000, "messagesPerMonth": 100000000 } } },
  "callers": { "dev": "bench" }
}
JSON
DOTNET_ENVIRONMENT=Development SMSMCP_DATA_DIR="$d" SMSMCP_DEV_API_KEY=bench-key-0123456789abcdefghijklmnopqrstuv \
ASPNETCORE_URLS="http://127.0.0.1:$2" Schedule__Enabled=false Logging__LogLevel__Default=Warning Policy__Path="$d/policy.json" \
  exec $( [[ "$1" == *.dll ]] && echo dotnet ) "$1"
