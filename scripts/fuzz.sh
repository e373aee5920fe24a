#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser that takes untrusted input (see CONTRIBUTING.md,
# "Fuzzing"). Usage: scripts/fuzz.sh [seconds-per-target]   (default 60)
#
#   FUZZ_TARGETS="json_parse template"  run only these targets
#   FUZZ_SANITIZER=address              libFuzzer sanitizer (default none: the crate has no
#                                       unsafe code, and without ASan it runs ~2x faster)
#
# Targets run one after another on one core. New inputs go to fuzz/work/<target>/ (ignored by
# git); the committed seeds in fuzz/corpus/<target>/ are only read. Crashes land in
# fuzz/artifacts/<target>/; the script exits non-zero if any target crashed. Builds have debug
# assertions and overflow checks on.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET="${1:-60}"
SANITIZER="${FUZZ_SANITIZER:-none}"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz (once)"
  cargo install cargo-fuzz --locked
fi

# libFuzzer instrumentation needs -Z flags. On a stable toolchain, RUSTC_BOOTSTRAP=1 allows
# them (only for this build; the main crate is built as usual).
if ! rustc --version | grep -q nightly; then
  export RUSTC_BOOTSTRAP=1
fi

target_dir=()
if [ -n "${CARGO_TARGET_DIR:-}" ]; then
  target_dir=(--target-dir "$CARGO_TARGET_DIR/fuzz")
fi

targets="${FUZZ_TARGETS:-$(cargo fuzz list)}"
failed=()
for t in $targets; do
  echo "=== $t: ${SECONDS_PER_TARGET}s"
  mkdir -p "fuzz/work/$t" "fuzz/corpus/$t"
  dict=()
  case "$t" in
    template | lint | delivery) dict=(-dict=fuzz/dict/template.dict) ;;
    json_parse | event_parse | webhook_validate) dict=(-dict=fuzz/dict/json.dict) ;;
  esac
  if ! cargo fuzz run "${target_dir[@]}" --debug-assertions --sanitizer "$SANITIZER" "$t" \
      "fuzz/work/$t" "fuzz/corpus/$t" -- \
      -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
      -max_len=16384 -print_final_stats=1 "${dict[@]}"; then
    failed+=("$t")
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz: crashes in: ${failed[*]} (inputs in fuzz/artifacts/<target>/)" >&2
  exit 1
fi
echo "fuzz: no crash in: $targets"
