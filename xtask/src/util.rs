//! Paths and process helpers shared by the commands.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The repository root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The cargo target directory.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// `~/.cargo/bin`, where `cargo install` puts tools.
pub fn cargo_bin_dir() -> PathBuf {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    cargo_home.join("bin")
}

/// PATH with the project's npm tools and cargo's bin directory first, so the pinned wasm-opt
/// (npm binaryen) wins over any system copy.
pub fn tool_path() -> std::ffi::OsString {
    let mut dirs = vec![root().join("node_modules/.bin"), cargo_bin_dir()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// A command run from the repository root with the tool PATH.
pub fn cmd(program: impl AsRef<OsStr>) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root()).env("PATH", tool_path());
    c
}

/// Runs a command, streaming its output; an error names the command when it fails.
pub fn run(command: &mut Command) -> Result<(), String> {
    let shown = describe(command);
    let status = command
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// What [`minify`] does with the names of a script's own variables and functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Names {
    /// Kept, so stack traces stay readable: the npm package's JS layer, which users step
    /// through.
    Kept,
    /// Shortened (esbuild `--minify-identifiers`; exported and property names stay): generated
    /// code nobody reads — wasm-bindgen's glue, the portal's scripts. The `flexkit` entry's glue
    /// went 3 129 → 2 696 bytes brotli with it.
    Shortened,
}

/// Rewrites a browser `.js` (an ES module) or `.css` file without its comments and whitespace
/// (esbuild, whitespace and syntax), its own names kept or shortened as `names` says.
pub fn minify(file: &Path, names: Names) -> Result<(), String> {
    let extension = file.extension().and_then(OsStr::to_str).unwrap_or_default();
    let minified = file.with_extension(format!("min.{extension}"));
    let mut c = cmd("esbuild");
    c.arg(file).args([
        "--minify-whitespace",
        "--minify-syntax",
        "--log-level=warning",
    ]);
    if names == Names::Shortened {
        c.arg("--minify-identifiers");
    }
    if extension == "js" {
        // wasm-bindgen's glue names one snippet module once per function imported from it.
        c.args(["--format=esm", "--log-override:duplicate-object-key=silent"]);
    }
    run(c.arg(format!("--outfile={}", minified.display())))?;
    std::fs::rename(&minified, file).map_err(|e| format!("cannot replace {}: {e}", file.display()))
}

/// Runs a command and returns its stdout, or None if it cannot run or fails.
pub fn output(command: &mut Command) -> Option<String> {
    let out = command.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn describe(command: &Command) -> String {
    let mut s = command.get_program().to_string_lossy().into_owned();
    for a in command.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// The version of a workspace dependency as pinned in the root Cargo.toml (`"=0.2.130"`).
pub fn pinned_workspace_version(dependency: &str) -> Result<String, String> {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml"))
        .map_err(|e| format!("cannot read Cargo.toml: {e}"))?;
    manifest
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once('=')?;
            (name.trim() == dependency).then(|| value.trim().trim_matches('"').to_owned())
        })
        .map(|v| v.trim_start_matches('=').to_owned())
        .ok_or_else(|| format!("Cargo.toml pins no version of {dependency}"))
}

/// The workspace version (`[workspace.package] version`).
pub fn workspace_version() -> Result<String, String> {
    pinned_workspace_version("version")
}

pub fn remove_dir(path: &Path) -> Result<(), String> {
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot remove {}: {e}", path.display())),
    }
}

pub fn create_dir(path: &Path) -> Result<(), String> {
    std::fs::create_dir_all(path).map_err(|e| format!("cannot create {}: {e}", path.display()))
}

/// Copies a directory tree, replacing `to` if it exists.
pub fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    remove_dir(to)?;
    create_dir(to)?;
    let entries =
        std::fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", from.display()))?;
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            copy(&path, &target)?;
        }
    }
    Ok(())
}

pub fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}
