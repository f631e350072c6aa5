#!/usr/bin/env bash
# Every check CI runs, in order from cheapest to dearest. Run it before pushing.
#
#   ./scripts/check.sh          formatting, lints, the core without the GUI, then all tests
#
# Needs a Rust toolchain (rustup's stable, with rustfmt and clippy), the crates from
# crates.io and Python 3: the tests install the exports' independent checkers from PyPI
# (tests/python-tools.txt) into a venv under target/, and fail without them unless
# CLOUDCANVAS_SKIP_PY_TOOLS=1 asks to skip them (the closing line counts what skipped).
set -euo pipefail
cd "$(dirname "$0")/.."

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

step() { printf '\n==> %s\n' "$*"; }

# Checks that skip (lints without rustfmt or clippy; the Python checkers only when
# CLOUDCANVAS_SKIP_PY_TOOLS=1 asks) write their names here; the closing line counts them.
skipped_file="${CARGO_TARGET_DIR:-target}/tmp/skipped-checks.txt"
mkdir -p "$(dirname "$skipped_file")"
rm -f "$skipped_file"

if cargo fmt --version >/dev/null 2>&1 && cargo clippy --version >/dev/null 2>&1; then
    step "formatting"
    cargo fmt --all -- --check

    step "lints (core and CLI without the GUI crates, which proves the core never imports them)"
    cargo clippy --no-default-features --all-targets --locked -- -D warnings

    step "lints (with the GUI)"
    cargo clippy --all-targets --features ui-tests --locked -- -D warnings
else
    step "rustfmt or clippy is not installed: formatting and lints skipped"
    echo "formatting and lints: rustfmt or clippy is not installed" >> "$skipped_file"
    cargo check --no-default-features --all-targets --locked
fi

step "tests of the core and CLI without the GUI crates"
cargo test --no-default-features --locked 2>&1 | tee -a "$log"

step "all tests with the GUI, including the headless UI tests"
cargo test --features ui-tests --locked 2>&1 | tee -a "$log"

# One closing line over both runs, read by CI.
passed=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$log" | awk '{s += $4} END {print s + 0}')
failed=$(grep -Eo '[0-9]+ failed' "$log" | awk '{s += $1} END {print s + 0}')
skipped=0
if [ -f "$skipped_file" ]; then
    skipped=$(wc -l < "$skipped_file" | tr -d ' ')
    step "checks skipped on request"
    cat "$skipped_file"
fi
printf '\n%s passed, %s failed, %s skipped\n' "$passed" "$failed" "$skipped"
