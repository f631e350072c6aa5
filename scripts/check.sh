#!/usr/bin/env bash
# Every check CI runs, in order from cheapest to dearest. Run it before pushing.
#
#   ./scripts/check.sh          formatting, lints, the core without the GUI, then all tests
#
# Needs only a Rust toolchain (rustup's stable, with rustfmt and clippy) and the crates
# from crates.io; no system package. With Python 3, the tests also install the exports'
# independent checkers from PyPI (tests/python-tools.txt) into a venv under target/.
set -euo pipefail
cd "$(dirname "$0")/.."

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

step() { printf '\n==> %s\n' "$*"; }

if cargo fmt --version >/dev/null 2>&1 && cargo clippy --version >/dev/null 2>&1; then
    step "formatting"
    cargo fmt --all -- --check

    step "lints (core and CLI without the GUI crates, which proves the core never imports them)"
    cargo clippy --no-default-features --all-targets --locked -- -D warnings

    step "lints (with the GUI)"
    cargo clippy --all-targets --features ui-tests --locked -- -D warnings
else
    step "rustfmt or clippy is not installed: formatting and lints skipped"
    cargo check --no-default-features --all-targets --locked
fi

step "tests of the core and CLI without the GUI crates"
cargo test --no-default-features --locked 2>&1 | tee -a "$log"

step "all tests with the GUI, including the headless UI tests"
cargo test --features ui-tests --locked 2>&1 | tee -a "$log"

# One closing line over both runs, read by CI.
passed=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$log" | awk '{s += $4} END {print s + 0}')
failed=$(grep -Eo '[0-9]+ failed' "$log" | awk '{s += $1} END {print s + 0}')
printf '\n%s passed, %s failed\n' "$passed" "$failed"
