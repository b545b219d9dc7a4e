use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    mariposa::cli::run(mariposa::cli::Cli::parse())
}
