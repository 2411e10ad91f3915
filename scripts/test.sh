#!/usr/bin/env bash
# Runs every Cognate test: the Go suite (unit, conformance on SQLite and a
# throw-away PostgreSQL, end-to-end through aws-sdk-go-v2) and the interop
# tests with the aws CLI and Amplify JS, whose node packages it installs from
# test/js/package-lock.json. It ends with a one-line summary of what ran
# and what was skipped, and why.
set -euo pipefail
cd "$(dirname "$0")/.."

# PostgreSQL 15 and the aws CLI are part of the machine image; install them
# from Debian's packages if a fresh machine lacks them (needs root).
missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v aws >/dev/null 2>&1 || missing+=(awscli)
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if command -v npm >/dev/null 2>&1; then
  if [ ! -d test/js/node_modules ] || [ test/js/package-lock.json -nt test/js/node_modules/.package-lock.json ]; then
    echo "==> installing JS test clients (npm ci)"
    (cd test/js && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi

echo "==> go vet"
go vet ./...

# The race detector needs cgo and a C compiler; without them the tests
# still run, unraced.
race=()
if [ "$(go env CGO_ENABLED)" = 1 ] && command -v "$(go env CC)" >/dev/null 2>&1; then
  race=(-race)
fi

# go test's events go through a summariser, which prints what plain go test
# would and ends with one line: what passed, failed and was skipped, and why.
# The exit status is go test's (or the summariser's, should it fail alone).
echo "==> go test ${race[*]}"
summariser="$(mktemp -d)/testsummary"
trap 'rm -rf "$(dirname "$summariser")"' EXIT
go build -o "$summariser" ./internal/tools/testsummary
set +e
go test -json "${race[@]}" -count=1 -timeout 45m ./... | "$summariser"
status=("${PIPESTATUS[@]}")
set -e
if [ "${status[0]}" != 0 ]; then
  exit "${status[0]}"
fi
exit "${status[1]}"
