//! Builds the `flexkit` npm package from `crates/wasm` and the entry points in `web/npm/`.
//!
//! One `cargo build`, then the wasm-bindgen CLI once per target: `nodejs` (CommonJS, loaded
//! synchronously) and `web` (ES module with an explicit `init()`, for browsers and bundlers).
//! wasm-opt (npm binaryen, never Debian's) shrinks both. The result is packed with `npm pack`
//! into `target/npm/flexkit-<version>.tgz`, the file the Node tests install.

use std::path::{Path, PathBuf};

use crate::util::{cmd, copy, create_dir, remove_dir, root, run, target_dir, workspace_version};

pub const WASM_PROFILE: &str = "wasm-release";

/// Where the unpacked package is assembled.
pub fn package_dir() -> PathBuf {
    target_dir().join("npm/package")
}

/// Builds and packs the package; returns the tarball's path.
pub fn build() -> Result<PathBuf, String> {
    run(cmd("cargo").args([
        "build",
        "--package",
        "flexkit-wasm",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        WASM_PROFILE,
    ]))?;
    let wasm = target_dir()
        .join("wasm32-unknown-unknown")
        .join(WASM_PROFILE)
        .join("flexkit_wasm.wasm");

    let out = package_dir();
    remove_dir(&out)?;
    create_dir(&out)?;
    bindgen(&wasm, "nodejs", &out.join("node"), true)?;
    bindgen(&wasm, "web", &out.join("web"), false)?;

    // Types come from the nodejs run; they are the same for every target.
    create_dir(&out.join("types"))?;
    std::fs::rename(
        out.join("node/flexkit_wasm.d.ts"),
        out.join("types/flexkit_wasm.d.ts"),
    )
    .map_err(|e| format!("cannot move the generated types: {e}"))?;
    // A stray declaration of the raw wasm exports; users never import it.
    let _ = std::fs::remove_file(out.join("node/flexkit_wasm_bg.wasm.d.ts"));
    // The generated CommonJS glue and its types must not be read as ES modules.
    write(
        &out.join("node/package.json"),
        "{ \"type\": \"commonjs\" }\n",
    )?;
    write(
        &out.join("types/package.json"),
        "{ \"type\": \"commonjs\" }\n",
    )?;

    let src = root().join("web/npm");
    for file in ["index.js", "index.d.ts", "README.md"] {
        copy(&src.join(file), &out.join(file))?;
    }
    copy(&src.join("index.d.ts"), &out.join("index.d.cts"))?;
    copy(&src.join("node/index.cjs"), &out.join("node/index.cjs"))?;
    let types = read(&out.join("types/flexkit_wasm.d.ts"))?;
    write(&out.join("node/index.mjs"), &node_esm_entry(&types))?;

    let version = workspace_version()?;
    let manifest = read(&src.join("package.json"))?.replace("0.0.0-set-by-xtask", &version);
    write(&out.join("package.json"), &manifest)?;

    run(cmd("npm")
        .args(["pack", "--silent", "--pack-destination"])
        .arg(target_dir().join("npm"))
        .current_dir(&out))?;
    let tarball = target_dir().join(format!("npm/flexkit-{version}.tgz"));
    if !tarball.exists() {
        return Err(format!("npm pack did not produce {}", tarball.display()));
    }
    println!("packed {}", tarball.display());
    Ok(tarball)
}

fn bindgen(wasm: &Path, target: &str, out_dir: &Path, typescript: bool) -> Result<(), String> {
    let mut c = cmd("wasm-bindgen");
    c.arg(wasm)
        .args([
            "--target",
            target,
            "--out-name",
            "flexkit_wasm",
            "--out-dir",
        ])
        .arg(out_dir);
    if !typescript {
        c.arg("--no-typescript");
    }
    run(&mut c)?;
    optimize(&out_dir.join("flexkit_wasm_bg.wasm"))
}

/// `wasm-opt -Oz` in place, with the npm binaryen first on PATH.
pub fn optimize(wasm: &Path) -> Result<(), String> {
    run(cmd("wasm-opt").arg("-Oz").arg(wasm).arg("-o").arg(wasm))
}

/// Node's ES module entry re-exports the CommonJS build by name, so `import { x } from
/// "flexkit"` works without relying on Node's guess of CommonJS export names.
fn node_esm_entry(types: &str) -> String {
    let mut names: Vec<&str> = types
        .lines()
        .filter_map(|line| {
            let rest = line
                .strip_prefix("export function ")
                .or_else(|| line.strip_prefix("export class "))
                .or_else(|| line.strip_prefix("export enum "))
                .or_else(|| line.strip_prefix("export const "))?;
            let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))?;
            Some(&rest[..end])
        })
        .collect();
    names.push("init");
    names.push("initSync");
    names.sort_unstable();
    names.dedup();
    format!(
        "// Node.js ES module entry (generated): the CommonJS build, re-exported by name.\n\
         import {{ createRequire }} from \"node:module\";\n\n\
         const flexkit = createRequire(import.meta.url)(\"./index.cjs\");\n\n\
         export const {{\n{}\n}} = flexkit;\n",
        names
            .iter()
            .map(|n| format!("  {n},"))
            .collect::<Vec<_>>()
            .join("\n")
    )
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esm_entry_names_every_export() {
        let types = "export function checkCardNumber(input: string): CardNumberCheck;\n\
                     export class RetryChain {\n\
                     export type CardBrand = \"visa\";\n\
                     export interface X {}\n";
        let entry = node_esm_entry(types);
        assert!(entry.contains("  checkCardNumber,\n"));
        assert!(entry.contains("  RetryChain,\n"));
        assert!(entry.contains("  init,\n  initSync,\n"));
        assert!(!entry.contains("CardBrand"));
    }
}
