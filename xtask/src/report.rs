//! Stages with names, durations and test counts, and the closing `N passed, N failed` line.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::describe;

/// What one stage contributed.
#[derive(Default, Clone, Copy)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
}

impl Counts {
    /// A check (fmt, clippy, a build) counts as one passing or failing test.
    pub fn check(ok: bool) -> Counts {
        if ok {
            Counts {
                passed: 1,
                failed: 0,
            }
        } else {
            Counts {
                passed: 0,
                failed: 1,
            }
        }
    }
}

struct StageResult {
    name: String,
    duration: Duration,
    counts: Counts,
    note: Option<String>,
}

#[derive(Default)]
pub struct Report {
    stages: Vec<StageResult>,
}

impl Report {
    /// Runs a stage, printing its name before and its duration after.
    pub fn stage(&mut self, name: &str, body: impl FnOnce() -> Result<Counts, String>) -> bool {
        println!("\n==> {name}");
        let _ = std::io::stdout().flush();
        let start = Instant::now();
        let (counts, note) = match body() {
            Ok(c) => (c, None),
            Err(e) => {
                eprintln!("error: {e}");
                (Counts::check(false), Some(e))
            }
        };
        let duration = start.elapsed();
        let ok = counts.failed == 0;
        println!(
            "<== {name}: {} in {:.1}s ({} passed, {} failed)",
            if ok { "ok" } else { "FAILED" },
            duration.as_secs_f64(),
            counts.passed,
            counts.failed
        );
        self.stages.push(StageResult {
            name: name.to_owned(),
            duration,
            counts,
            note,
        });
        ok
    }

    /// Records a stage that could not run because an earlier one failed.
    pub fn skipped(&mut self, name: &str, because: &str) {
        println!("\n==> {name}: skipped, {because}");
        self.stages.push(StageResult {
            name: name.to_owned(),
            duration: Duration::ZERO,
            counts: Counts::check(false),
            note: Some(format!("skipped: {because}")),
        });
    }

    pub fn totals(&self) -> Counts {
        self.stages.iter().fold(Counts::default(), |acc, s| Counts {
            passed: acc.passed + s.counts.passed,
            failed: acc.failed + s.counts.failed,
        })
    }

    pub fn print_summary(&self) {
        println!("\nSummary");
        for s in &self.stages {
            println!(
                "  {:<44} {:>7.1}s  {:>5} passed  {:>3} failed{}",
                s.name,
                s.duration.as_secs_f64(),
                s.counts.passed,
                s.counts.failed,
                s.note
                    .as_deref()
                    .map(|n| format!("  ({})", n.lines().next().unwrap_or_default()))
                    .unwrap_or_default()
            );
        }
        let t = self.totals();
        let total: Duration = self.stages.iter().map(|s| s.duration).sum();
        println!("  total {:.1}s", total.as_secs_f64());
        println!("\n{} passed, {} failed", t.passed, t.failed);
    }
}

/// Runs a command, streaming stdout and stderr through while keeping a copy of both.
pub fn run_captured(command: &mut Command) -> Result<(bool, String), String> {
    let shown = describe(command);
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    let stderr = child.stderr.take();
    let err_thread = std::thread::spawn(move || tee(stderr, true));
    let mut text = tee(child.stdout.take(), false);
    text.push_str(&err_thread.join().unwrap_or_default());
    let status = child
        .wait()
        .map_err(|e| format!("`{shown}` did not finish: {e}"))?;
    Ok((status.success(), text))
}

fn tee(stream: Option<impl Read>, to_stderr: bool) -> String {
    let mut all = String::new();
    let Some(stream) = stream else {
        return all;
    };
    for line in BufReader::new(stream).lines() {
        let Ok(line) = line else { break };
        if to_stderr {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
        all.push_str(&line);
        all.push('\n');
    }
    all
}

/// Sums libtest's `test result: ok. N passed; M failed; ...` lines (cargo test and
/// wasm-bindgen-test-runner both print them).
pub fn libtest_counts(output: &str) -> Counts {
    let mut counts = Counts::default();
    for line in output.lines() {
        let Some(rest) = line.split("test result:").nth(1) else {
            continue;
        };
        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(label), Some(number)) = (words.next(), words.next()) else {
                continue;
            };
            let n: u64 = number.parse().unwrap_or(0);
            match label {
                "passed" => counts.passed += n,
                "failed" => counts.failed += n,
                _ => {}
            }
        }
    }
    counts
}

/// Reads node's TAP summary lines (`# pass N`, `# fail N`).
pub fn tap_counts(tap: &str) -> Counts {
    let mut counts = Counts::default();
    for line in tap.lines() {
        if let Some(n) = line.strip_prefix("# pass ") {
            counts.passed += n.trim().parse().unwrap_or(0);
        } else if let Some(n) = line.strip_prefix("# fail ") {
            counts.failed += n.trim().parse().unwrap_or(0);
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libtest_summaries() {
        let out = "test result: ok. 10 passed; 0 failed; 0 ignored\n\
                   junk\n\
                   test result: FAILED. 3 passed; 2 failed; 1 ignored; 0 measured";
        let c = libtest_counts(out);
        assert_eq!((c.passed, c.failed), (13, 2));
    }

    #[test]
    fn reads_tap_summaries() {
        let c = tap_counts("# tests 5\n# pass 4\n# fail 1\n# cancelled 0\n");
        assert_eq!((c.passed, c.failed), (4, 1));
    }
}
