//! Project automation. `cargo xtask <command>`; see `cargo xtask help`.
//!
//! Every command first installs what it needs and is missing (the wasm32 target, the pinned
//! wasm-bindgen CLI, trunk, the npm dev dependencies, Debian's Chromium), so a fresh machine
//! needs nothing but this repository, cargo, node and npm.

mod bench_js;
mod install;
mod npm;
mod portal;
mod report;
mod serve;
mod size;
mod test;
mod util;

use std::process::ExitCode;

const HELP: &str = "\
cargo xtask <command>

  serve [--port N] [--release]   build the portal and serve it on http://127.0.0.1:8080
  test                           every check and test of every layer; ends with `N passed, N failed`
  bench-js                       flexkit vs zod 4 vs valibot request validation in Node (ops/s)
  size                           raw / gzip / brotli sizes of the npm package and the portal
  npm                            build and pack the npm package into target/npm/
  portal                         build the portal (release) into dist/
  install                        install the tools the project needs, if missing
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(command) = args.first() else {
        eprint!("{HELP}");
        return ExitCode::from(2);
    };
    let rest = &args[1..];
    let result = match command.as_str() {
        "serve" => serve::run(rest),
        "test" => test::run(rest),
        "size" => size::run(),
        "bench-js" => bench_js::run(),
        "npm" => install::ensure_all(false).and_then(|()| npm::build().map(|_| ())),
        "portal" => install::ensure_all(false).and_then(|()| portal::build(true)),
        "install" => install::ensure_all(true),
        "help" | "--help" | "-h" => {
            print!("{HELP}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
