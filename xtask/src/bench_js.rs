//! `cargo xtask bench-js`: validates the same FlexPay charge request with flexkit (the packed
//! package, installed like a user installs it), zod 4 and valibot 1 in one Node process and
//! prints ops/s and the ratios (`tests/bench/validate.bench.mjs`): first on the machine's
//! `node`, then on each pinned release of the maintained lines (`install::NODE_RELEASES`),
//! since each line's V8 moves the contenders differently.

use std::path::PathBuf;

use crate::util::{self, cmd, copy, root};
use crate::{install, npm, test};

pub fn run() -> Result<(), String> {
    install::ensure_all(false)?;
    npm::build()?;
    let dir = test::prepare_consumer()?;
    let script = root().join("tests/bench/validate.bench.mjs");
    copy(&script, &dir.join("validate.bench.mjs"))?;
    let mut nodes = vec![PathBuf::from("node")];
    for version in install::NODE_RELEASES {
        nodes.push(install::node_release(version)?);
    }
    for node in nodes {
        println!();
        util::run(
            cmd(node)
                .arg("validate.bench.mjs")
                .env("FLEXKIT_ROOT", root())
                .env("FLEXKIT_PACKAGE", npm::package_dir())
                .current_dir(&dir),
        )?;
    }
    Ok(())
}
