//! `cargo xtask size`: raw / gzip / brotli sizes of what users download. Compression uses
//! Node's zlib (brotli quality 11, gzip level 9), the same a CDN would serve.

use std::path::{Path, PathBuf};

use crate::util::{cmd, output};
use crate::{install, npm, portal};

/// Sizes of one artefact.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sizes {
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

impl std::ops::Add for Sizes {
    type Output = Sizes;
    fn add(self, o: Sizes) -> Sizes {
        Sizes {
            raw: self.raw + o.raw,
            gzip: self.gzip + o.gzip,
            brotli: self.brotli + o.brotli,
        }
    }
}

pub fn run() -> Result<(), String> {
    install::ensure_all(false)?;
    npm::build()?;
    portal::build(true)?;
    print_npm()?;
    print_portal()?;
    Ok(())
}

/// Measures files with Node's zlib.
pub fn measure(files: &[PathBuf]) -> Result<Vec<Sizes>, String> {
    let script = "const fs=require('fs'),z=require('zlib');\
        for(const f of process.argv.slice(1)){const b=fs.readFileSync(f);\
        const br=z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length;\
        const gz=z.gzipSync(b,{level:9}).length;console.log(b.length,gz,br)}";
    let out = output(cmd("node").arg("-e").arg(script).args(files))
        .ok_or("node could not measure the files")?;
    out.lines()
        .map(|l| {
            let n: Vec<u64> = l
                .split_whitespace()
                .filter_map(|x| x.parse().ok())
                .collect();
            match n.as_slice() {
                [raw, gzip, brotli] => Ok(Sizes {
                    raw: *raw,
                    gzip: *gzip,
                    brotli: *brotli,
                }),
                _ => Err(format!("unexpected size line `{l}`")),
            }
        })
        .collect()
}

fn kb(n: u64) -> String {
    format!("{:.1} KB", n as f64 / 1024.0)
}

pub fn print_table(title: &str, files: &[PathBuf], base: &Path) -> Result<Sizes, String> {
    let sizes = measure(files)?;
    println!("{title}");
    println!(
        "  {:<44} {:>10} {:>10} {:>10}",
        "file", "raw", "gzip", "brotli"
    );
    let mut total = Sizes::default();
    for (f, s) in files.iter().zip(&sizes) {
        let name = f.strip_prefix(base).unwrap_or(f).display().to_string();
        println!(
            "  {:<44} {:>10} {:>10} {:>10}",
            name,
            kb(s.raw),
            kb(s.gzip),
            kb(s.brotli)
        );
        total = total + *s;
    }
    println!(
        "  {:<44} {:>10} {:>10} {:>10}",
        "total",
        kb(total.raw),
        kb(total.gzip),
        kb(total.brotli)
    );
    Ok(total)
}

/// Every browser entry of the npm package (wasm + glue + JS layer), each in its own table.
/// Returns the sizes of the validation entry (`flexkit`), the one checkouts load and the one
/// the size budget applies to.
pub fn print_npm() -> Result<Sizes, String> {
    let dir = npm::package_dir();
    let validation = print_table(
        "npm entry `flexkit` (browser: validation, cards, money, codes)",
        &[
            dir.join("web/flexkit_wasm_bg.wasm"),
            dir.join("web/flexkit_wasm.js"),
            dir.join("index.js"),
            dir.join("lib/validation-api.js"),
            dir.join("lib/errors.js"),
            dir.join("lib/init.js"),
        ],
        &dir,
    )?;
    print_table(
        "npm entry `flexkit/sandbox` (browser: RetryChain, Sandbox; loaded only when imported)",
        &[
            dir.join("web/flexkit_sandbox_bg.wasm"),
            dir.join("web/flexkit_sandbox.js"),
            dir.join("sandbox.js"),
            dir.join("lib/sandbox-api.js"),
            dir.join("lib/fetch.js"),
            dir.join("lib/errors.js"),
            dir.join("lib/init.js"),
        ],
        &dir,
    )?;
    print_table(
        "npm entry `flexkit/flexiti` (browser: Flexiti client, validation, TRAINING sandbox; loaded only when imported)",
        &[
            dir.join("web/flexkit_flexiti_bg.wasm"),
            dir.join("web/flexkit_flexiti.js"),
            dir.join("flexiti.js"),
            dir.join("lib/flexiti-api.js"),
            dir.join("lib/fetch.js"),
            dir.join("lib/errors.js"),
            dir.join("lib/init.js"),
        ],
        &dir,
    )?;
    Ok(validation)
}

/// Everything the portal's first load downloads: wasm, JS and CSS.
pub fn print_portal() -> Result<Sizes, String> {
    let dist = portal::dist_dir();
    // wasm-bindgen snippets (the portal's own JS) live in `dist/snippets/…`.
    let mut files = Vec::new();
    collect_assets(&dist, &mut files)?;
    files.sort();
    print_table("portal (dist/: wasm + JS + CSS)", &files, &dist)
}

fn collect_assets(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    for entry in std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            collect_assets(&path, out)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("wasm" | "js" | "css")
        ) {
            out.push(path);
        }
    }
    Ok(())
}
