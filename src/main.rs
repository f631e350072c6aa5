//! The `cloudcanvas` program: the editor, or a command of the CLI.

fn main() -> std::process::ExitCode {
    cloudcanvas::cli::run()
}
