#!/usr/bin/env bash
# MCP tool-call latency on a running server (target: p95 <= 150 ms).
# Indexes CORPUS (default: Python's json package, the README's main corpus; facts only, no model
# needed), then McpLatencyBench starts `codegloss mcp` on it and calls every tool ROUNDS times.
# Usage: bench/mcp/run.sh [CORPUS] [ROUNDS]   (CODEGLOSS_HOME as for every command)
set -euo pipefail
cd "$(dirname "$0")/../.."
CORPUS="${1:-$(python3 -c 'import json, os; print(os.path.dirname(json.__file__))')}"
ROUNDS="${2:-30}"
JAR=cli/target/codegloss.jar
[ -f "$JAR" ] || ./codegloss --version >/dev/null
java -jar "$JAR" index "$CORPUS" --json >/dev/null
uptime >&2
java -cp "$JAR" io.codegloss.cli.mcp.McpLatencyBench "$CORPUS" "$ROUNDS"
uptime >&2
