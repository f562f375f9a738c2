//! Running commands with the project's tools on PATH.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::{root, Result};

/// A command run from the workspace root, with npm's and cargo's bin dirs first on PATH and
/// Trunk kept from reaching the network.
pub fn cmd(program: &str, args: &[&str]) -> Command {
    let mut c = Command::new(program);
    c.args(args).current_dir(root());
    let cargo_bin = std::env::var("CARGO_HOME")
        .map(|h| format!("{h}/bin"))
        .unwrap_or_else(|_| format!("{}/.cargo/bin", std::env::var("HOME").unwrap_or_default()));
    let path = format!(
        "{}:{cargo_bin}:{}",
        root().join("node_modules/.bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    c.env("PATH", path)
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .env("TRUNK_OFFLINE", "true");
    c
}

pub fn describe(c: &Command) -> String {
    let mut s = c.get_program().to_string_lossy().into_owned();
    for a in c.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

pub fn status(mut c: Command) -> Result {
    let what = describe(&c);
    println!("==> {what}");
    match c.status() {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("`{what}` failed ({s})")),
        Err(e) => Err(format!("cannot run `{what}`: {e}")),
    }
}

/// The command's trimmed stdout, or None if it cannot run or fails.
pub fn output(mut c: Command) -> Option<String> {
    let out = c.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Passed and failed test counts read from a runner's own summary lines.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
}

/// Runs a test command, echoing its output, and adds up its summary lines: cargo's
/// `test result: ok. N passed; M failed` and Playwright's `N passed` / `M failed`.
pub fn tests(mut c: Command, counts: &mut Counts) -> Result {
    let what = describe(&c);
    println!("==> {what}");
    let mut child = c
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run `{what}`: {e}"))?;
    let out = BufReader::new(child.stdout.take().expect("piped"));
    for line in out.lines().map_while(std::result::Result::ok) {
        println!("{line}");
        count_line(&line, counts);
    }
    let s = child.wait().map_err(|e| e.to_string())?;
    if s.success() {
        Ok(())
    } else {
        Err(format!("`{what}` failed ({s})"))
    }
}

fn count_line(line: &str, counts: &mut Counts) {
    let line = strip_ansi(line);
    let t = line.trim();
    let number_before = |word: &str| -> Option<u64> {
        let i = t.find(word)?;
        t[..i]
            .trim_end()
            .rsplit(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()
    };
    if t.starts_with("test result:") {
        counts.passed += number_before(" passed").unwrap_or(0);
        counts.failed += number_before(" failed").unwrap_or(0);
    } else if let Some(rest) = t
        .strip_suffix(" passed")
        .or_else(|| t.split_once(" passed (").map(|(a, _)| a))
    {
        // Playwright: "12 passed (34.5s)"
        if let Ok(n) = rest.trim().parse::<u64>() {
            counts.passed += n;
        }
    } else if let Some(rest) = t.strip_suffix(" failed") {
        if let Ok(n) = rest.trim().parse::<u64>() {
            counts.failed += n;
        }
    }
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Runs the server in the foreground from the workspace root.
pub fn serve(extra: &[String]) -> Result {
    let bin = root().join(crate::build::SERVER_BIN);
    let mut c = cmd(bin.to_str().expect("utf-8 path"), &["serve"]);
    c.args(extra);
    println!("Doorstep: http://127.0.0.1:8080 (unless DOORSTEP_ADDR or --addr says otherwise)");
    status(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_cargo_and_playwright_summaries() {
        let mut c = Counts::default();
        count_line(
            "test result: ok. 20 passed; 0 failed; 0 ignored; 0 measured",
            &mut c,
        );
        count_line("test result: FAILED. 3 passed; 2 failed; 0 ignored", &mut c);
        count_line(
            "  \u{1b}[32m9 passed\u{1b}[39m\u{1b}[2m (41.2s)\u{1b}[22m",
            &mut c,
        );
        count_line("  1 failed", &mut c);
        count_line("test storage::works ... ok", &mut c);
        assert_eq!((c.passed, c.failed), (32, 3));
    }
}
