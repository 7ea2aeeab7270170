//! Builds the portal with trunk into `dist/` and prepares it for static hosting.

use std::path::PathBuf;

use crate::util::{cmd, copy, root, run};

pub fn dist_dir() -> PathBuf {
    root().join("dist")
}

/// `trunk build` (release: size-optimised profile, wasm-opt -Oz), then
/// - `404.html` = `index.html`, so hosts that answer unknown paths with their 404 page (GitHub
///   Pages, many CDNs) still boot the app on a deep link;
/// - the inline boot script trunk writes is moved to a file, so the portal runs under a
///   Content-Security-Policy of `script-src 'self' 'wasm-unsafe-eval'`.
pub fn build(release: bool) -> Result<(), String> {
    let mut c = cmd("trunk");
    c.arg("build");
    if release {
        c.args(["--release", "--cargo-profile", crate::npm::WASM_PROFILE]);
    }
    run(&mut c)?;
    externalize_boot_script()?;
    let dist = dist_dir();
    copy(&dist.join("index.html"), &dist.join("404.html"))
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
