//! `cargo xtask serve`: install what is missing, build the portal and serve it with trunk, which
//! answers deep links such as `/cards` with `index.html`.

use crate::install;
use crate::util;
use crate::util::cmd;

pub fn run(args: &[String]) -> Result<(), String> {
    let mut port: u16 = 8080;
    let mut release = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--port" | "-p" => {
                port = it
                    .next()
                    .and_then(|p| p.parse().ok())
                    .ok_or("--port needs a port number, e.g. --port 8081")?;
            }
            "--release" => release = true,
            other => {
                return Err(format!(
                    "unknown option `{other}` (try --port N, --release)"
                ))
            }
        }
    }
    install::ensure_all(false)?;
    println!("flexkit portal: http://127.0.0.1:{port}/ (Ctrl-C to stop)");
    let mut c = cmd("trunk");
    c.args([
        "serve",
        "--address",
        "127.0.0.1",
        "--port",
        &port.to_string(),
    ]);
    if release {
        c.args(["--release", "--cargo-profile", crate::npm::WASM_PROFILE]);
    }
    util::run(&mut c)
}
