#!/usr/bin/env sh
# The one packaging command: publishes the isolated-worker app into a folder the Functions host can run
# (worker executable, host.json, functions.metadata, worker.config.json) with the send policy as policy.json,
# then checks that every one of those is there. Used by azd (azure.yaml), the tests and docs/deploy.md.
#
#   SMSMCP_POLICY_FILE=policy/production.json infra/package.sh artifacts/package
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: infra/package.sh OUTPUT_DIR}
project="$root/src/SmsMcp.Functions"
policy=${SMSMCP_POLICY_FILE:-}

if [ ! -d "$project" ]; then
  echo "package: $project does not exist" >&2
  exit 1
fi
if [ -z "$policy" ] || [ ! -f "$policy" ]; then
  echo "package: set SMSMCP_POLICY_FILE to the send policy to deploy (see policy/example.production.json)" >&2
  exit 1
fi
# MSBuild would read a relative path against the project folder; the caller meant their own.
policy="$(cd "$(dirname "$policy")" && pwd)/$(basename "$policy")"

dotnet publish "$project" -c Release -o "$out" --nologo -v quiet -clp:ErrorsOnly "-p:SmsMcpPolicyFile=$policy"

missing=0
for file in SmsMcp.Functions SmsMcp.Functions.dll host.json functions.metadata worker.config.json policy.json; do
  if [ ! -e "$out/$file" ]; then
    echo "package: $out/$file is missing" >&2
    missing=1
  fi
done
exit "$missing"
