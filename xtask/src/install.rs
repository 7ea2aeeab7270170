//! Installs what the project needs and is missing. Each tool is checked first and installed only
//! when absent or at another version, so a warm machine spends milliseconds here.
//! Everything comes from crates.io, npm or Debian's packages.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{cmd, output, pinned_workspace_version, root, run, target_dir};

/// trunk 0.22 needs a newer rustc than this project's toolchain; 0.21.14 is known to work.
const TRUNK_VERSION: &str = "0.21.14";

/// Installs the build tools; `for_tests` also installs Chromium and ChromeDriver, and the
/// Node.js releases the npm package is tested on ([`NODE_RELEASES`]).
pub fn ensure_all(for_tests: bool) -> Result<(), String> {
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    ensure_trunk()?;
    ensure_npm_packages()?;
    if for_tests {
        ensure_chromium()?;
        for version in NODE_RELEASES {
            node_release(version)?;
        }
    }
    Ok(())
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed =
        output(cmd("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    println!("installing the wasm32-unknown-unknown target");
    run(cmd("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn ensure_wasm_bindgen() -> Result<(), String> {
    let version = pinned_workspace_version("wasm-bindgen")?;
    let current = output(cmd("wasm-bindgen").arg("--version")).unwrap_or_default();
    if current.split_whitespace().nth(1) == Some(version.as_str()) {
        return Ok(());
    }
    println!("installing wasm-bindgen-cli {version} (must equal the wasm-bindgen crate)");
    // Not --locked: the CLI's lockfile asks for a webpki-roots version the registry no longer serves.
    run(cmd("cargo").args(["install", "--force", &format!("wasm-bindgen-cli@{version}")]))
}

fn ensure_trunk() -> Result<(), String> {
    let current = output(cmd("trunk").arg("--version")).unwrap_or_default();
    if current.split_whitespace().nth(1) == Some(TRUNK_VERSION) {
        return Ok(());
    }
    println!("installing trunk {TRUNK_VERSION}");
    run(cmd("cargo").args([
        "install",
        "--locked",
        "--force",
        "--no-default-features",
        &format!("trunk@{TRUNK_VERSION}"),
    ]))
}

/// `npm ci` when node_modules is missing or older than the lockfile.
fn ensure_npm_packages() -> Result<(), String> {
    let root = root();
    let lock = root.join("package-lock.json");
    let installed = root.join("node_modules/.package-lock.json");
    if is_newer_or_equal(&installed, &lock) {
        return Ok(());
    }
    println!("installing npm dev dependencies (npm ci)");
    run(cmd("npm").args(["ci", "--no-audit", "--no-fund"]))
}

fn is_newer_or_equal(file: &Path, than: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (modified(file), modified(than)) {
        (Some(a), Some(b)) => a >= b,
        _ => false,
    }
}

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn ensure_chromium() -> Result<(), String> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    println!("installing Debian's chromium and chromium-driver");
    let apt = |args: &[&str]| {
        let mut c = if is_root() {
            cmd("apt-get")
        } else {
            let mut c = cmd("sudo");
            c.arg("apt-get");
            c
        };
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut c)
    };
    apt(&["update"])?;
    apt(&[
        "install",
        "-y",
        "--no-install-recommends",
        "chromium",
        "chromium-driver",
    ])
}

fn is_root() -> bool {
    output(cmd("id").arg("-u")).is_some_and(|id| id.trim() == "0")
}

/// The Node.js releases the npm package is tested on besides the machine's own `node`: the
/// last of each line still maintained (22, 24 and 26, the Active LTS). Pinned, so a run tests
/// what the previous one did.
pub const NODE_RELEASES: [&str; 3] = ["22.23.3", "24.21.0", "26.10.0"];

/// The `node` binary of a pinned release, installed on first use into `target/node/<version>`
/// from the npm registry's `node-<os>-<arch>` package (the binary the registry's `node`
/// package installs, without its install script).
pub fn node_release(version: &str) -> Result<PathBuf, String> {
    let os = match std::env::consts::OS {
        "linux" => Some("linux"),
        "macos" => Some("darwin"),
        _ => None,
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => Some("x64"),
        "aarch64" => Some("arm64"),
        _ => None,
    };
    let (Some(os), Some(arch)) = (os, arch) else {
        return Err(format!(
            "the npm registry has no Node.js package for {} on {}",
            std::env::consts::OS,
            std::env::consts::ARCH
        ));
    };
    let package = format!("node-{os}-{arch}");
    let dir = target_dir().join("node").join(version);
    let binary = dir.join("node_modules").join(&package).join("bin/node");
    let wanted = format!("v{version}");
    let installed = |binary: &Path| {
        output(Command::new(binary).arg("--version")).is_some_and(|v| v.trim() == wanted)
    };
    if installed(&binary) {
        return Ok(binary);
    }
    println!("installing Node.js {version} ({package} from the npm registry)");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    install_into_private_project(
        &dir,
        "flexkit-node-release",
        format!("{package}@{version}").as_ref(),
    )?;
    if installed(&binary) {
        Ok(binary)
    } else {
        Err(format!("{} is not Node.js {version}", binary.display()))
    }
}

/// Makes `dir` a private project named `name` and installs `spec` (a package, or a packed
/// tarball's path) into it with npm, as a user would, saving nothing.
pub fn install_into_private_project(dir: &Path, name: &str, spec: &OsStr) -> Result<(), String> {
    std::fs::write(
        dir.join("package.json"),
        format!("{{ \"name\": \"{name}\", \"private\": true }}\n"),
    )
    .map_err(|e| format!("cannot write {}/package.json: {e}", dir.display()))?;
    run(cmd("npm")
        .args(["install", "--no-audit", "--no-fund", "--no-save"])
        .arg(spec)
        .current_dir(dir))
}
