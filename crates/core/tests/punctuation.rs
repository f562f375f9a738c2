//! Chinese text uses full-width punctuation (shared/glossary.md, GB/T 15834): this scans every
//! string literal of the app, the core and the server for a half-width `, : ; ( )` next to a
//! Chinese character. Numbers, units and Latin words keep half-width punctuation between
//! themselves (`135/85 mmHg`, `4–6 位数字`).

mod common;

use std::path::Path;

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
        // Full-width punctuation counts as Chinese text too: "（如：" then "a)".
        || matches!(c, '，' | '。' | '：' | '；' | '？' | '！' | '（' | '）' | '“' | '”' | '、' | '「' | '」')
}

const HALF: [char; 5] = [',', ':', ';', '(', ')'];

/// The string literals on a line (a simple scan: enough for this code base's style).
fn literals(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    let mut escaped = false;
    for c in line.chars() {
        match (&mut cur, c) {
            (Some(s), _) if escaped => {
                s.push(c);
                escaped = false;
            }
            (Some(_), '\\') => escaped = true,
            (Some(s), '"') => {
                out.push(std::mem::take(s));
                cur = None;
            }
            (Some(s), _) => s.push(c),
            (None, '"') => cur = Some(String::new()),
            (None, _) => {}
        }
    }
    out
}

fn offenders(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars
        .windows(2)
        .any(|w| (HALF.contains(&w[0]) && is_cjk(w[1])) || (is_cjk(w[0]) && HALF.contains(&w[1])))
}

#[test]
fn chinese_strings_use_full_width_punctuation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = common::rust_sources(&["src", "crates/core/src", "crates/server/src"]);
    assert!(
        files.len() > 50,
        "found the sources ({} files)",
        files.len()
    );
    let mut bad = Vec::new();
    // Unit tests feed half-width input on purpose (parsing "张三,李四").
    files.retain(|f| !f.to_string_lossy().ends_with("_tests.rs"));
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for lit in literals(line) {
                if offenders(&lit) {
                    let rel = file.strip_prefix(&root).unwrap_or(file);
                    bad.push(format!("{}:{}: {lit}", rel.display(), n + 1));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "half-width punctuation next to Chinese ({}):\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn the_scan_finds_what_it_should() {
    assert!(offenders("这台手机的名称(如:张三的手机)"));
    assert!(offenders("待同步(3)"));
    assert!(offenders("你好,世界"));
    assert!(!offenders("这台手机的名称（如：张三的手机）"));
    assert!(!offenders("135/85 mmHg"));
    assert!(!offenders("4–6 位数字"));
    assert!(!offenders("Sign in (at least 8 characters)"));
    assert_eq!(literals(r#"Text::new("a\"b", "c")"#), ["a\"b", "c"]);
}
