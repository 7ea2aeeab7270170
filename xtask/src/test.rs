//! `cargo xtask test`: every check and test of every layer, each stage named and timed, ending
//! with one `N passed, N failed` line. Exits non-zero on any failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::install::{self, CHROMEDRIVER};
use crate::report::{libtest_counts, run_captured, tap_counts, Counts, Report};
use crate::util::{self, cmd, copy, create_dir, remove_dir, root, target_dir};
use crate::{npm, portal, size};

/// The validation entry of the npm package (browser: wasm + glue + JS) may not grow past this (brotli); the target is 40 KB.
const NPM_BROTLI_LIMIT: u64 = 80 * 1024;

/// What the portal's first load (wasm + JS + CSS, brotli) should stay within.
const PORTAL_BROTLI_TARGET: u64 = 350 * 1024;
/// Where the portal's size stops being a known gap and becomes a regression: the stage fails.
/// Above the target today (see ARCHITECTURE.md, "Portal size", for the measured figure, with
/// every FlexPay section, Reports, Users, Platform configuration and the Flexiti section). A section
/// added on purpose moves it by its measured cost, recorded there: 585 KB was 560 KB moved
/// by Users' measured 14.6 KB and the Platform configuration's 10.3 KB; 590 KB adds the
/// Flexiti snapshot checks' measured 2.0 KB and headroom for the next fixes; 595 KB a QA
/// pass's 1.8 KB; 600 KB three QA passes' fixes, 591.8 → 597.9 KB (two more passes' fixes,
/// 599.7 → 603.6 KB, were paid for by the snapshot readers: 10.6 KB and 1.6 KB); 605 KB the
/// fixes of a QA pass over the lists and of the one before, 592.9 → 599.2 KB; 608 KB the
/// terminal's refusals said before sending (2026-11-24), 603.5 → 605.0 KB measured in one
/// session, at the old guard. Lowered to 590 KB on 2026-11-24, when std's Unicode case tables
/// and float parsing left the portal (607.6 → 585.8 KB, the same features), and to 588 KB
/// the same day, when the stored documents' JSON writer (−6.4 KB) paid for the gateways'
/// accepted cards and retries and a QA pass's fixes (+5.1 KB): 584.8 KB measured. Raised to
/// 590 KB again the same day for a security pass's fixes: 588.2 KB measured. Raised to 591 KB
/// for three QA passes' fixes (the gateway editor's panic and scope, certification's money and
/// Company field, the forecast's rounding, the sandbox's and validators' fixes the portal
/// links): 589.0 → 590.1 KB measured. Raised to 593 KB for two QA passes' fixes (2026-11-25:
/// certification's Refund Only offer read from the sandbox, lowered most retries ending a
/// payment's recovery, customer links with `%` in the key, the focus after Send retry, the
/// switch banners and Show more, the export named for the Company filter, Flexiti's repeated
/// keys and balance bound, the first page after a header switch, the search's one history
/// entry): 589.9 → 592.9 KB measured. Lowered to 588 KB the same day, when one compiled sort
/// of positions (`flexkit_core::sorting`) replaced std's eleven stable sorts (592.6 → 583.8
/// KB, the same build measured before and after) and paid for that session's fixes (the
/// customer check of a retry's referenceData, company names, the Flexiti terminal's request
/// line and kept sale, one verify per call): 585.9 KB measured.
const PORTAL_BROTLI_LIMIT: u64 = 588 * 1024;

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(unknown) = args.first() {
        return Err(format!(
            "`cargo xtask test` takes no options (got `{unknown}`)"
        ));
    }
    let mut report = Report::default();
    if !report.stage("install missing tools", || {
        install::ensure_all(true).map(|()| Counts::default())
    }) {
        report.print_summary();
        return Err("tools could not be installed".into());
    }

    report.stage("cargo fmt --check", || {
        check(cmd("cargo").args(["fmt", "--all", "--check"]))
    });
    report.stage("clippy (native)", || {
        check(cmd("cargo").args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    });
    report.stage("clippy (wasm32)", || {
        check(cmd("cargo").args([
            "clippy",
            "--target",
            "wasm32-unknown-unknown",
            "--package",
            "flexkit-wasm-alloc",
            "--package",
            "flexkit-wasm",
            "--package",
            "flexkit-wasm-sandbox",
            "--package",
            "flexkit-wasm-flexiti",
            "--package",
            "flexkit-portal",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    });
    report.stage("native tests", || {
        libtest(cmd("cargo").args(["test", "--workspace"]))
    });
    report.stage("wasm tests (Node + headless Chromium)", wasm_tests);

    if report.stage("build npm package", || {
        npm::build().map(|_| Counts::check(true))
    }) {
        report.stage("npm package tests (Node, ESM + CommonJS)", || {
            npm_tests(None)
        });
        for version in install::NODE_RELEASES {
            report.stage(&format!("npm package tests (Node {version})"), || {
                npm_tests(Some(version))
            });
        }
        report.stage("tsc --strict over the package types", tsc_check);
        report.stage("npm package size", npm_size);
        report.stage(
            "bundlers (Vite, webpack, plain script page; Chromium)",
            bundler_tests,
        );
    } else {
        for name in [
            "npm package tests",
            "tsc --strict",
            "npm package size",
            "bundlers",
        ] {
            report.skipped(name, "the npm package did not build");
        }
    }

    if report.stage("build portal (release)", || {
        portal::build(true).map(|()| Counts::check(true))
    }) {
        report.stage("portal end-to-end (Playwright + Chromium)", e2e_tests);
        report.stage("portal size", portal_size);
    } else {
        report.skipped("portal end-to-end", "the portal did not build");
    }

    report.print_summary();
    if report.totals().failed == 0 {
        Ok(())
    } else {
        Err("some checks or tests failed".into())
    }
}

fn check(command: &mut Command) -> Result<Counts, String> {
    Ok(Counts::check(util::run(command).is_ok()))
}

fn libtest(command: &mut Command) -> Result<Counts, String> {
    let (ok, out) = run_captured(command)?;
    let mut counts = libtest_counts(&out);
    if !ok && counts.failed == 0 {
        // A build error: no test ran, but the stage failed.
        counts.failed = 1;
    }
    Ok(counts)
}

/// wasm-bindgen-test: `tests/node.rs` runs in Node, `tests/browser.rs` in headless Chromium
/// through ChromeDriver, with the flags a headless Chromium in a container needs.
fn wasm_tests() -> Result<Counts, String> {
    let webdriver = root().join("web/webdriver.json");
    libtest(
        cmd("cargo")
            .args([
                "test",
                "--target",
                "wasm32-unknown-unknown",
                "--package",
                "flexkit-wasm",
            ])
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &webdriver)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )
}

/// A consumer project that installs the packed tarball, as a user would, and runs the tests of
/// `tests/npm/` against it.
fn consumer_dir() -> PathBuf {
    target_dir().join("npm/consumer")
}

pub(crate) fn prepare_consumer() -> Result<PathBuf, String> {
    let dir = consumer_dir();
    install_tarball(&dir, "flexkit-consumer")?;
    let tests = root().join("tests/npm");
    for entry in std::fs::read_dir(&tests)
        .map_err(|e| format!("cannot read {}: {e}", tests.display()))?
        .flatten()
    {
        if entry.path().is_file() {
            copy(&entry.path(), &dir.join(entry.file_name()))?;
        }
    }
    Ok(dir)
}

/// Recreates `dir` as an empty private project named `name` and installs the packed tarball
/// into it, as a user would.
fn install_tarball(dir: &Path, name: &str) -> Result<(), String> {
    remove_dir(dir)?;
    create_dir(dir)?;
    let version = crate::util::workspace_version()?;
    let tarball = target_dir().join(format!("npm/flexkit-{version}.tgz"));
    install::install_into_private_project(dir, name, tarball.as_os_str())
}

/// The tests of `tests/npm/` on the machine's `node`, or on a pinned release of another line
/// (`install::NODE_RELEASES`), installed on first use. The consumer project is prepared once.
fn npm_tests(release: Option<&str>) -> Result<Counts, String> {
    let dir = match release {
        None => prepare_consumer()?,
        Some(_) => consumer_dir(),
    };
    let node = match release {
        None => PathBuf::from("node"),
        Some(version) => install::node_release(version)?,
    };
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| e.to_string())?
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".test.mjs") || n.ends_with(".test.cjs"))
        .collect();
    files.sort();
    node_tests(&node, &dir, &files, &[])
}

/// `node` for the machine's, the release's version for a pinned one (`target/node/<version>/…`).
fn node_label(node: &Path) -> String {
    match node.strip_prefix(target_dir().join("node")) {
        Ok(rest) => rest
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default(),
        Err(_) => "node".to_owned(),
    }
}

/// `node --test` with a human reporter on stdout and TAP in a file for the counts.
fn node_tests(
    node: &Path,
    cwd: &Path,
    files: &[String],
    env: &[(&str, &Path)],
) -> Result<Counts, String> {
    if files.is_empty() {
        return Err(format!("no test files found in {}", cwd.display()));
    }
    let tap = target_dir().join(format!(
        "node-tests-{}-{}.tap",
        cwd.file_name().and_then(|n| n.to_str()).unwrap_or("x"),
        node_label(node),
    ));
    let mut c = cmd(node);
    c.args([
        "--test",
        "--test-reporter=spec",
        "--test-reporter-destination=stdout",
        "--test-reporter=tap",
    ])
    .arg(format!("--test-reporter-destination={}", tap.display()))
    .args(files)
    .current_dir(cwd);
    for (k, v) in env {
        c.env(k, v);
    }
    let (ok, _) = run_captured(&mut c)?;
    let text = std::fs::read_to_string(&tap).unwrap_or_default();
    let mut counts = tap_counts(&text);
    if !ok && counts.failed == 0 {
        counts.failed = 1;
    }
    Ok(counts)
}

/// The oldest TypeScript the package's README claims: its compiler, a devDependency of the
/// workspace installed under this alias (`npm:typescript@5.2.x`), and the project it checks.
const OLDEST_TYPESCRIPT: (&str, &str) = ("typescript-5.2", "tsconfig.ts5.2.json");

/// `tsc --strict` over the package's types, three times: as a browser project sees them
/// (`tsconfig.json`, with the DOM lib), as a Node.js project without the DOM lib does
/// (`tsconfig.node.json`, with `@types/node`, which also checks the `// @ts-check` tests), and
/// with the oldest TypeScript the README claims (`tsconfig.ts5.2.json`: the ES module and
/// CommonJS consumers, every entry, `skipLibCheck: false`).
fn tsc_check() -> Result<Counts, String> {
    let dir = consumer_dir();
    // The consumer has `@types/node` installed, as a Node.js project would: the workspace's
    // copy (a devDependency) and its one dependency.
    for package in ["@types/node", "undici-types"] {
        util::copy_dir(
            &root().join("node_modules").join(package),
            &dir.join("node_modules").join(package),
        )?;
    }
    let mut counts = Counts::default();
    let (package, project) = OLDEST_TYPESCRIPT;
    let oldest = root().join("node_modules").join(package).join("bin/tsc");
    let mut runs = Vec::new();
    for current in ["tsconfig.json", "tsconfig.node.json"] {
        let mut tsc = cmd("tsc");
        tsc.args(["--project", current]);
        runs.push(tsc);
    }
    let mut tsc = cmd("node");
    tsc.arg(&oldest).args(["--project", project]);
    runs.push(tsc);
    for command in &mut runs {
        let ok = util::run(command.current_dir(&dir)).is_ok();
        let one = Counts::check(ok);
        counts.passed += one.passed;
        counts.failed += one.failed;
    }
    Ok(counts)
}

fn npm_size() -> Result<Counts, String> {
    let sizes = size::print_npm()?;
    let ok = sizes.brotli <= NPM_BROTLI_LIMIT;
    if !ok {
        eprintln!(
            "the validation entry (`flexkit`, browser) is {} bytes brotli, over the {} byte limit",
            sizes.brotli, NPM_BROTLI_LIMIT
        );
    }
    Ok(Counts::check(ok))
}

fn portal_size() -> Result<Counts, String> {
    let sizes = size::print_portal()?;
    let kb = |b: u64| b as f64 / 1024.0;
    if sizes.brotli <= PORTAL_BROTLI_TARGET {
        println!(
            "portal: {:.1} KB brotli, within the {:.0} KB target",
            kb(sizes.brotli),
            kb(PORTAL_BROTLI_TARGET)
        );
    } else {
        println!(
            "portal: {:.1} KB brotli, OVER the {:.0} KB target by {:.1} KB (fails above {:.0} KB)",
            kb(sizes.brotli),
            kb(PORTAL_BROTLI_TARGET),
            kb(sizes.brotli - PORTAL_BROTLI_TARGET),
            kb(PORTAL_BROTLI_LIMIT)
        );
    }
    let ok = sizes.brotli <= PORTAL_BROTLI_LIMIT;
    if !ok {
        eprintln!(
            "the portal downloads {} bytes brotli (wasm + JS + CSS), over the {} byte limit",
            sizes.brotli, PORTAL_BROTLI_LIMIT
        );
    }
    Ok(Counts::check(ok))
}

/// `tests/bundlers`: the packed tarball built into a small app by Vite and webpack and served
/// as-is to a plain `<script type="module">` page, each driven in Chromium. The tarball is
/// installed into a scratch project under target/, never into the repository.
fn bundler_tests() -> Result<Counts, String> {
    let project = target_dir().join("bundlers/project");
    install_tarball(&project, "flexkit-bundlers")?;
    let files = test_files("tests/bundlers")?;
    node_tests(
        Path::new("node"),
        &root(),
        &files,
        &[("FLEXKIT_BUNDLERS_PROJECT", &project)],
    )
}

/// The `*.test.mjs` files of a folder of the repository, as paths from the root, sorted.
fn test_files(folder: &str) -> Result<Vec<String>, String> {
    let dir = root().join(folder);
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".test.mjs"))
        .map(|n| format!("{folder}/{n}"))
        .collect();
    files.sort();
    Ok(files)
}

fn e2e_tests() -> Result<Counts, String> {
    let files = test_files("tests/e2e")?;
    let dist = portal::dist_dir();
    let shots = target_dir().join("screenshots");
    create_dir(&shots)?;
    node_tests(
        Path::new("node"),
        &root(),
        &files,
        &[("FLEXKIT_DIST", &dist), ("FLEXKIT_SCREENSHOTS", &shots)],
    )
}
