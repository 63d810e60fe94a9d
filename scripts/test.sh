#!/usr/bin/env bash
# Runs every test: installs what the tests need (idempotent, so a second run is fast), then the
# Maven gate (enforcer, formatter check, unit and end-to-end tests against real PostgreSQL, the
# real model in process and a real OpenAI-compatible server on 127.0.0.1).
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
export CODEGLOSS_HOME="${CODEGLOSS_HOME:-$HOME/.codegloss}"

"$ROOT/scripts/setup-test-deps.sh"

# Surefire prints "Tests run: N, Failures: F, ..." which CI reads.
exec mvn -B verify "$@"
