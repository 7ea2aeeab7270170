//! Builds the `flexkit` npm package from `crates/wasm` and the entry points in `web/npm/`.
//!
//! One `cargo build` of the wasm crates (`flexkit-wasm` for the `flexkit` entry,
//! `flexkit-wasm-sandbox` for `flexkit/sandbox`, `flexkit-wasm-flexiti` for `flexkit/flexiti`),
//! then the wasm-bindgen CLI once per crate and
//! target: `nodejs` (CommonJS, loaded synchronously) and `web` (ES module with an explicit
//! `init()`, for browsers and bundlers).
//! wasm-opt (npm binaryen, never Debian's) shrinks each. The result is packed with `npm pack`
//! into `target/npm/flexkit-<version>.tgz`, the file the Node tests install.

use std::path::{Path, PathBuf};

use crate::util::{
    cmd, copy, create_dir, minify, remove_dir, root, run, target_dir, workspace_version, Names,
};

pub const WASM_PROFILE: &str = "wasm-release";
/// The profile of the `flexkit` entry's module: `wasm-release` with the core built for speed
/// (see Cargo.toml and ARCHITECTURE.md, "npm validation entry"). The modules loaded only when
/// imported keep `wasm-release`.
pub const NPM_PROFILE: &str = "npm-release";

/// Where the unpacked package is assembled.
pub fn package_dir() -> PathBuf {
    target_dir().join("npm/package")
}

/// The WebAssembly modules of the package: (cargo package, output name, entry name, cargo
/// profile). `flexkit` (validation, cards, money, codes) is what checkouts load;
/// `flexkit/sandbox` (RetryChain, Sandbox) and `flexkit/flexiti` (the Flexiti client and
/// TRAINING sandbox) are modules of their own so checkouts never download them.
pub const MODULES: [(&str, &str, &str, &str); 3] = [
    ("flexkit-wasm", "flexkit_wasm", "index", NPM_PROFILE),
    (
        "flexkit-wasm-sandbox",
        "flexkit_sandbox",
        "sandbox",
        WASM_PROFILE,
    ),
    (
        "flexkit-wasm-flexiti",
        "flexkit_flexiti",
        "flexiti",
        WASM_PROFILE,
    ),
];

/// Builds and packs the package; returns the tarball's path.
pub fn build() -> Result<PathBuf, String> {
    // One cargo build per profile.
    for profile in [NPM_PROFILE, WASM_PROFILE] {
        let mut cargo = cmd("cargo");
        cargo.arg("build");
        for (package, _, _, module_profile) in MODULES {
            if module_profile == profile {
                cargo.args(["--package", package]);
            }
        }
        run(cargo.args(["--target", "wasm32-unknown-unknown", "--profile", profile]))?;
    }

    let out = package_dir();
    remove_dir(&out)?;
    create_dir(&out)?;
    create_dir(&out.join("types"))?;
    for (package, name, _, profile) in MODULES {
        let wasm = target_dir()
            .join("wasm32-unknown-unknown")
            .join(profile)
            .join(format!("{}.wasm", package.replace('-', "_")));
        bindgen(&wasm, name, "nodejs", &out.join("node"), true)?;
        bindgen(&wasm, name, "web", &out.join("web"), false)?;
        // Types come from the nodejs run; they are the same for every target.
        std::fs::rename(
            out.join(format!("node/{name}.d.ts")),
            out.join(format!("types/{name}.d.ts")),
        )
        .map_err(|e| format!("cannot move the generated types: {e}"))?;
        // A stray declaration of the raw wasm exports; users never import it.
        let _ = std::fs::remove_file(out.join(format!("node/{name}_bg.wasm.d.ts")));
    }
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
    for (_, _, entry, _) in MODULES {
        copy(
            &src.join(format!("{entry}.js")),
            &out.join(format!("{entry}.js")),
        )?;
        copy(
            &src.join(format!("{entry}.d.ts")),
            &out.join(format!("{entry}.d.ts")),
        )?;
        let declarations = read(&src.join(format!("{entry}.d.ts")))?;
        write(
            &out.join(format!("{entry}.d.cts")),
            &commonjs_declarations(&declarations)?,
        )?;
        for ext in ["cjs", "mjs"] {
            copy(
                &src.join(format!("node/{entry}.{ext}")),
                &out.join(format!("node/{entry}.{ext}")),
            )?;
        }
    }
    copy(&src.join("README.md"), &out.join("README.md"))?;
    // The JS layer: ES modules for browsers and bundlers, CommonJS copies for Node.
    create_dir(&out.join("lib"))?;
    create_dir(&out.join("node/lib"))?;
    let lib = src.join("lib");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&lib)
        .map_err(|e| format!("cannot read {}: {e}", lib.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "js"))
        .collect();
    names.sort();
    for path in names {
        let file = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let text = read(&path)?;
        write(&out.join("lib").join(file), &text)?;
        write(
            &out.join("node/lib").join(file.replace(".js", ".cjs")),
            &esm_to_cjs(&text)?,
        )?;
    }

    minify_browser_js(&out)?;

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

fn bindgen(
    wasm: &Path,
    name: &str,
    target: &str,
    out_dir: &Path,
    typescript: bool,
) -> Result<(), String> {
    let mut c = cmd("wasm-bindgen");
    c.arg(wasm)
        .args(["--target", target, "--out-name", name, "--out-dir"])
        .arg(out_dir);
    if !typescript {
        c.arg("--no-typescript");
    }
    run(&mut c)?;
    optimize(&out_dir.join(format!("{name}_bg.wasm")))
}

/// The browser files (entry points, the JS layer and the wasm-bindgen glue under `web/`) lose
/// their comments and whitespace (esbuild): about 3 KB brotli of the validation entry. The
/// entry points and the JS layer keep their names, so stack traces stay readable; the glue's
/// are shortened (0.4 KB more). Node's copies under `node/` are left as written.
fn minify_browser_js(out: &Path) -> Result<(), String> {
    let mut files = Vec::new();
    for dir in [out.to_path_buf(), out.join("lib"), out.join("web")] {
        let entries =
            std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "js") {
                files.push(path);
            }
        }
    }
    files.sort();
    let glue = out.join("web");
    files.iter().try_for_each(|file| {
        let names = if file.starts_with(&glue) {
            Names::Shortened
        } else {
            Names::Kept
        };
        minify(file, names)
    })
}

/// `wasm-opt -Oz` in place, with the npm binaryen first on PATH.
pub fn optimize(wasm: &Path) -> Result<(), String> {
    run(cmd("wasm-opt").arg("-Oz").arg(wasm).arg("-o").arg(wasm))
}

/// The JS layer (`web/npm/lib/*.js`) is written as ES modules with a restricted syntax so that
/// Node's CommonJS copy is a line-by-line rewrite: `import { a, b } from "./x.js";` becomes a
/// `require("./x.cjs")`, and each `export function name` or `export const NAME` is collected
/// into `module.exports`.
fn esm_to_cjs(text: &str) -> Result<String, String> {
    let mut out = String::from("\"use strict\";\n");
    let mut exports = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("import {") {
            let (names, from) = rest
                .split_once("} from \"")
                .ok_or_else(|| format!("unsupported import in the JS layer: {line}"))?;
            let module = from
                .trim_end_matches(';')
                .trim_end_matches('"')
                .replace(".js", ".cjs");
            out.push_str(&format!("const {{{names}}} = require(\"{module}\");\n"));
        } else if let Some(rest) = line
            .strip_prefix("export function ")
            .or_else(|| line.strip_prefix("export const "))
        {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
                .collect();
            exports.push(name);
            out.push_str(&line["export ".len()..]);
            out.push('\n');
        } else if line.starts_with("import ") || line.starts_with("export ") {
            return Err(format!("unsupported module syntax in the JS layer: {line}"));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str(&format!("module.exports = {{ {} }};\n", exports.join(", ")));
    Ok(out)
}

/// The `require` view of an entry's declarations (`<entry>.d.cts`). TypeScript reads a `.d.cts`
/// as CommonJS, and `./index.js` next to it as the ES module the package's `"type": "module"`
/// makes it: a CommonJS file may not import that before TypeScript 5.8 (TS1479, TS1541/1542
/// with `skipLibCheck: false`). So each entry's `./<entry>.js` becomes `./<entry>.cjs`, which
/// TypeScript resolves to `<entry>.d.cts`; `./types/` is CommonJS already (its own
/// `package.json`). Any other relative ES module left is an error.
fn commonjs_declarations(text: &str) -> Result<String, String> {
    let mut out = text.to_owned();
    for (_, _, entry, _) in MODULES {
        out = out.replace(&format!("\"./{entry}.js\""), &format!("\"./{entry}.cjs\""));
    }
    for (at, _) in out.match_indices("\"./") {
        let specifier = out[at + 1..].split('"').next().unwrap_or_default();
        if !specifier.starts_with("./types/") && !specifier.ends_with(".cjs") {
            return Err(format!(
                "a CommonJS declaration file would import the ES module {specifier}"
            ));
        }
    }
    Ok(out)
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
    fn js_layer_becomes_commonjs() {
        let esm = "import { a, b } from \"./errors.js\";\n\nexport function make(raw) {\n  return a(raw);\n}\n";
        let cjs = esm_to_cjs(esm).unwrap();
        assert!(cjs.contains("const { a, b } = require(\"./errors.cjs\");"));
        assert!(cjs.contains("function make(raw) {"));
        assert!(cjs.ends_with("module.exports = { make };\n"));
        let cjs = esm_to_cjs("export const LIMIT = 64 * 1024;\nexport function f() {}\n").unwrap();
        assert!(cjs.contains("\nconst LIMIT = 64 * 1024;\n"));
        assert!(cjs.ends_with("module.exports = { LIMIT, f };\n"));
        assert!(esm_to_cjs("export default 1;\n").is_err());
        assert!(esm_to_cjs("export let x = 1;\n").is_err());
    }

    #[test]
    fn commonjs_declarations_import_only_commonjs_declarations() {
        let esm = "export { Sandbox } from \"./types/flexkit_sandbox.js\";\n\
                   import type { FlexkitError } from \"./index.js\";\n\
                   export function init(input?: import(\"./index.js\").InitInput): Promise<void>;\n";
        let cjs = commonjs_declarations(esm).unwrap();
        assert!(cjs.contains("from \"./types/flexkit_sandbox.js\""));
        assert!(cjs.contains("from \"./index.cjs\""));
        assert!(cjs.contains("import(\"./index.cjs\")"));
        assert!(!cjs.contains("./index.js"));
        assert!(commonjs_declarations("import type { X } from \"./lib/x.js\";\n").is_err());
        // The entries' own declarations convert.
        for (_, _, entry, _) in MODULES {
            let path = root().join(format!("web/npm/{entry}.d.ts"));
            commonjs_declarations(&read(&path).unwrap()).unwrap();
        }
    }
}
