//! The `cloudcanvas` program: the editor, or a command of the CLI.

// Canvas frames allocate many small shapes; mimalloc makes tessellation several times
// faster than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cloudcanvas::cli::run()
}
