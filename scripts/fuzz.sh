#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser that takes untrusted input (see CONTRIBUTING.md,
# "Fuzzing"). Usage: scripts/fuzz.sh [seconds-per-target]   (default 60)
#
#   FUZZ_TARGETS="json_parse template"  run only these targets
#   FUZZ_TOOLCHAIN=nightly-2026-05-19   toolchain for the instrumented build (default nightly;
#                                       installed with rustup when missing)
#   FUZZ_NICE=10                        niceness of the fuzzing processes (the machine is shared)
#   FUZZ_SANITIZER=address              libFuzzer sanitizer (default none: the crate has no
#                                       unsafe code, and without ASan it runs ~2x faster)
#
# Targets run one after another on one core. New inputs go to fuzz/work/<target>/ (ignored by
# git); the committed seeds in fuzz/corpus/<target>/ are only read. Crashes land in
# fuzz/artifacts/<target>/; the script exits non-zero if any target crashed. Builds have debug
# assertions and overflow checks on.
set -euo pipefail  # pipefail: a crash fails the `cargo fuzz run | tee` pipeline
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET="${1:-60}"
SANITIZER="${FUZZ_SANITIZER:-none}"

# libFuzzer instrumentation (-Z sanitizer, -C passes=sancov) needs a nightly toolchain.
# FUZZ_TOOLCHAIN picks another one (default `nightly`).
TOOLCHAIN="${FUZZ_TOOLCHAIN:-nightly}"
if ! rustup run "$TOOLCHAIN" rustc --version >/dev/null 2>&1; then
  echo "installing the $TOOLCHAIN toolchain (once)"
  rustup toolchain install "$TOOLCHAIN" --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz (once)"
  cargo install cargo-fuzz --locked
fi
cargo_fuzz=(cargo "+$TOOLCHAIN" fuzz)
echo "fuzz: $(rustup run "$TOOLCHAIN" rustc --version), $(cargo fuzz --version)"

target_dir=()
if [ -n "${CARGO_TARGET_DIR:-}" ]; then
  target_dir=(--target-dir "$CARGO_TARGET_DIR/fuzz")
fi

targets="${FUZZ_TARGETS:-$("${cargo_fuzz[@]}" list)}"
failed=()
summary=()
for t in $targets; do
  echo "=== $t: ${SECONDS_PER_TARGET}s"
  mkdir -p "fuzz/work/$t" "fuzz/corpus/$t"
  dict=()
  case "$t" in
    template | lint | delivery) dict=(-dict=fuzz/dict/template.dict) ;;
    json_parse | event_parse | webhook_validate | diagnose) dict=(-dict=fuzz/dict/json.dict) ;;
  esac
  log="fuzz/work/$t.log"
  status=ok
  if ! nice -n "${FUZZ_NICE:-10}" "${cargo_fuzz[@]}" run "${target_dir[@]}" --debug-assertions \
      --sanitizer "$SANITIZER" "$t" "fuzz/work/$t" "fuzz/corpus/$t" -- \
      -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
      -max_len=16384 -print_final_stats=1 "${dict[@]}" 2>&1 | tee "$log"; then
    failed+=("$t")
    status=CRASH
  fi
  # libFuzzer's final statistics: executions and seconds; the corpus is what it kept.
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  corpus=$(find "fuzz/work/$t" -type f | wc -l)
  summary+=("$(printf '%-18s %12s %6ss %8s  %s' "$t" "${execs:-?}" "${secs:-?}" "$corpus" "$status")")
done

echo
printf '%-18s %12s %7s %8s  %s\n' target executions time corpus result
printf '%s\n' "${summary[@]}"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz: crashes in: ${failed[*]} (inputs in fuzz/artifacts/<target>/)" >&2
  exit 1
fi
echo "fuzz: no crash in:" $targets
