#!/usr/bin/env bash
# An OpenAI-compatible LLM server for codegloss's "openai" backend: llama-cpp-python's server.
#
#   scripts/llm-server.sh install   installs llama-cpp-python[server]==0.3.36 into
#                                   $CODEGLOSS_HOME/llm-server-venv (pip compiles llama.cpp:
#                                   needs a C/C++ compiler; about 10 minutes on 2 cores);
#                                   does nothing when that version is already installed
#   scripts/llm-server.sh start     runs the server in the foreground on 127.0.0.1
#
# Environment:
#   CODEGLOSS_HOME                default ~/.codegloss
#   CODEGLOSS_MODEL_PATH          default $CODEGLOSS_HOME/models/gemma-3-270m-q4_k_m.gguf
#   CODEGLOSS_CONTEXT             context window in tokens, default 8192
#   CODEGLOSS_LLM_SERVER_PORT     default 8080 (codegloss's default OPENAI_BASE_URL is
#                                 http://127.0.0.1:8080/v1)
#   CODEGLOSS_LLM_SERVER_HOST     default 127.0.0.1
#   CODEGLOSS_LLM_SERVER_PYTHON   a python with llama_cpp installed, instead of the venv's
#   CODEGLOSS_LLM_SERVER_CHAT_FORMAT  llama-cpp-python chat format; default gemma for Gemma
#                                 models (their GGUF may lack a chat template), else the GGUF's
#   PYTHON                        the python that creates the venv, default python3
set -euo pipefail

readonly LLAMA_CPP_PYTHON_VERSION=0.3.36
readonly HOME_DIR="${CODEGLOSS_HOME:-$HOME/.codegloss}"
readonly VENV="$HOME_DIR/llm-server-venv"

die() { echo "llm-server: $*" >&2; exit 1; }

installed() {
  "$1" - "$LLAMA_CPP_PYTHON_VERSION" >/dev/null 2>&1 <<'PY'
import sys
import llama_cpp
import llama_cpp.server.app  # the [server] extra: fastapi, uvicorn, sse-starlette
sys.exit(0 if llama_cpp.__version__ == sys.argv[1] else 1)
PY
}

install() {
  if [[ -x "$VENV/bin/python" ]] && installed "$VENV/bin/python"; then
    echo "llm-server: llama-cpp-python $LLAMA_CPP_PYTHON_VERSION is installed in $VENV"
    return 0
  fi
  local py="${PYTHON:-python3}"
  command -v "$py" >/dev/null 2>&1 || die "$py not found (set PYTHON)"
  if [[ ! -x "$VENV/bin/python" ]]; then
    "$py" -m venv "$VENV" || die "cannot create a venv at $VENV (install python3-venv)"
  fi
  echo "llm-server: building llama-cpp-python $LLAMA_CPP_PYTHON_VERSION into $VENV (takes a while)"
  "$VENV/bin/python" -m pip install --disable-pip-version-check --quiet \
    "llama-cpp-python[server]==$LLAMA_CPP_PYTHON_VERSION" \
    || die "pip install failed (needs a C/C++ compiler; CMAKE_ARGS is passed to the llama.cpp build)"
  installed "$VENV/bin/python" || die "llama-cpp-python does not import after the install"
  echo "llm-server: installed"
}

start() {
  local python="${CODEGLOSS_LLM_SERVER_PYTHON:-$VENV/bin/python}"
  local model="${CODEGLOSS_MODEL_PATH:-$HOME_DIR/models/gemma-3-270m-q4_k_m.gguf}"
  local port="${CODEGLOSS_LLM_SERVER_PORT:-8080}"
  local host="${CODEGLOSS_LLM_SERVER_HOST:-127.0.0.1}"
  local ctx="${CODEGLOSS_CONTEXT:-8192}"
  [[ -x "$python" ]] || die "no server python at $python; run scripts/llm-server.sh install"
  [[ -f "$model" ]] || die "model file not found: $model; run scripts/fetch-model.sh"
  local alias
  alias="$(basename "$model")"
  alias="${alias%.gguf}"
  local args=(--model "$model" --model_alias "$alias" --host "$host" --port "$port"
    --n_ctx "$ctx" --n_threads "$(nproc 2>/dev/null || echo 2)" --verbose False)
  local format="${CODEGLOSS_LLM_SERVER_CHAT_FORMAT:-}"
  if [[ -z "$format" && "${alias,,}" == *gemma* ]]; then
    format=gemma
  fi
  if [[ -n "$format" ]]; then
    args+=(--chat_format "$format")
  fi
  echo "llm-server: serving $alias on http://$host:$port/v1 (context $ctx)"
  exec "$python" -m llama_cpp.server "${args[@]}"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  *) echo "usage: $0 install|start" >&2; exit 2 ;;
esac
