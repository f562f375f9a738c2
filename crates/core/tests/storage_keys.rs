//! Every storage key is declared in `crates/core/src/store/keys.rs` (with what removes it):
//! this scans the app's and the core's string literals for a key named anywhere else.

mod common;

/// The starts of the string literals on a line that name a storage key.
fn named_keys(line: &str) -> Vec<String> {
    line.match_indices("\"doorstep/")
        .map(|(i, _)| {
            let rest = &line[i + 1..];
            rest[..rest.find('"').unwrap_or(rest.len())].to_owned()
        })
        .collect()
}

#[test]
fn no_storage_key_is_named_outside_keys_rs() {
    let mut files = common::rust_sources(&["src", "crates/core/src"]);
    assert!(
        files.len() > 50,
        "found the sources ({} files)",
        files.len()
    );
    // The declarations themselves, and the tests that write keys on purpose.
    files.retain(|f| {
        let name = f.to_string_lossy();
        !name.ends_with("store/keys.rs")
            && !name.ends_with("_tests.rs")
            && !name.ends_with("conformance.rs")
    });
    let mut bad = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for key in named_keys(line) {
                bad.push(format!("{}:{}: {key}", file.display(), n + 1));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "storage keys named outside keys.rs:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_scan_finds_a_key() {
    assert_eq!(
        named_keys(r#"const K: &str = "doorstep/v1/x"; // "a""#),
        ["doorstep/v1/x"]
    );
    assert!(named_keys(r#"format!("doorstep-report-{m}.html")"#).is_empty());
}

/// One owner of the phone's state (issue 15): screens read and write through `src/state.rs`
/// (and the session, PIN and sync adapters), never by opening storage themselves.
#[test]
fn no_screen_opens_storage() {
    let files = common::rust_sources(&["src/routes", "src/components", "src/hooks"]);
    assert!(
        files.len() > 20,
        "found the screens ({} files)",
        files.len()
    );
    let bad: Vec<String> = files
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            text.lines()
                .any(|l| !l.trim_start().starts_with("//") && l.contains("LocalStore"))
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        bad.is_empty(),
        "screens that open storage:\n{}",
        bad.join("\n")
    );
}
