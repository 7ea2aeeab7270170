//! Builds the portal with trunk into `dist/` and prepares it for static hosting.

use std::path::{Path, PathBuf};

use crate::util::{cmd, copy, minify, root, run, Names};

pub fn dist_dir() -> PathBuf {
    root().join("dist")
}

/// `trunk build` (release: size-optimised profile, wasm-opt -Oz), then
/// - `404.html` = `index.html`, so hosts that answer unknown paths with their 404 page (GitHub
///   Pages, many CDNs) still boot the app on a deep link;
/// - the inline boot script trunk writes is moved to a file, so the portal runs under a
///   Content-Security-Policy of `script-src 'self' 'wasm-unsafe-eval'`;
/// - release only: the JS and CSS lose comments and whitespace (trunk 0.21 ships them as
///   written; ≈ 3 KB brotli) and the scripts' own names are shortened (0.5 KB), and
///   `index.html`'s integrity hashes are written again for them.
pub fn build(release: bool) -> Result<(), String> {
    let mut c = cmd("trunk");
    c.arg("build");
    if release {
        c.args(["--release", "--cargo-profile", crate::npm::WASM_PROFILE]);
    }
    run(&mut c)?;
    externalize_boot_script()?;
    let dist = dist_dir();
    if release {
        let mut files = Vec::new();
        scripts_and_styles(&dist, &mut files)?;
        files
            .iter()
            .try_for_each(|file| minify(file, Names::Shortened))?;
        rehash(&dist.join("index.html"))?;
    }
    copy(&dist.join("index.html"), &dist.join("404.html"))
}

/// Every `.js` and `.css` file under `dir`.
fn scripts_and_styles(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            scripts_and_styles(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "js" || e == "css") {
            files.push(path);
        }
    }
    Ok(())
}

/// Writes each `integrity="sha384-…"` of `index` again from the file its tag names (Node's
/// crypto: the one SHA-384 at hand). The WebAssembly preload (`as="fetch"`) loses its own:
/// browsers ignore integrity on that kind of preload and warn about it on every load.
fn rehash(index: &Path) -> Result<(), String> {
    const SCRIPT: &str = r#"
const { readFileSync, writeFileSync } = require("node:fs");
const { createHash } = require("node:crypto");
const { dirname, join } = require("node:path");
const index = process.argv[1];
const html = readFileSync(index, "utf8").replace(
  /<[^>]*\b(?:href|src)="\/([^"]+)"[^>]*>/g,
  (tag, file) => tag.includes('as="fetch"')
    ? tag.replace(/\s*integrity="sha384-[^"]*"/, "")
    : tag.replace(/integrity="sha384-[^"]*"/, () =>
      `integrity="sha384-${createHash("sha384").update(readFileSync(join(dirname(index), file))).digest("base64")}"`),
);
writeFileSync(index, html);
"#;
    run(cmd("node").arg("-e").arg(SCRIPT).arg(index))
}

/// Moves every inline `<script type="module">…</script>` of `dist/index.html` into
/// `dist/boot.js` and references it instead.
fn externalize_boot_script() -> Result<(), String> {
    let index = dist_dir().join("index.html");
    let html = std::fs::read_to_string(&index)
        .map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    let open = "<script type=\"module\">";
    let Some(start) = html.find(open) else {
        return Ok(());
    };
    let body_start = start + open.len();
    let Some(len) = html[body_start..].find("</script>") else {
        return Err("dist/index.html has an unterminated inline script".into());
    };
    let script = &html[body_start..body_start + len];
    let rewritten = format!(
        "{}<script type=\"module\" src=\"/boot.js\"></script>{}",
        &html[..start],
        &html[body_start + len + "</script>".len()..]
    );
    std::fs::write(dist_dir().join("boot.js"), script.trim())
        .map_err(|e| format!("cannot write dist/boot.js: {e}"))?;
    std::fs::write(&index, rewritten).map_err(|e| format!("cannot write {}: {e}", index.display()))
}
