//! Installs what the project needs and is missing. Every step checks first, so a second run
//! takes seconds. Versions are pinned here and in Trunk.toml / package.json.

use crate::run::{cmd, output, status};
use crate::{root, Result};

const TRUNK_VERSION: &str = "0.21.14";
const WASM_OPT_VERSION: &str = "version_132";
const APT_PACKAGES: [&str; 9] = [
    "chromium",
    "chromium-driver",
    "fonts-noto-cjk",
    "postgresql",
    // The HTTPS test: an ACME test CA, certutil for Chromium's trust store, openssl for
    // Pebble's own listener certificate.
    "pebble",
    "libnss3-tools",
    "openssl",
    // The reverse-proxy snippets of docs/deploy.md, run as written (tests/proxies.rs).
    "nginx",
    "caddy",
];

pub fn setup() -> Result {
    apt_packages()?;
    wasm_target()?;
    trunk()?;
    wasm_bindgen()?;
    npm_packages()?;
    // Trunk builds with `cargo --offline`: every crate must be on disk first.
    status(cmd("cargo", &["fetch", "--locked"]))
}

fn apt_packages() -> Result {
    let mut missing: Vec<&str> = APT_PACKAGES
        .into_iter()
        .filter(|p| {
            output(cmd("dpkg-query", &["-W", "-f=${Status}", p]))
                .is_none_or(|s| !s.contains("install ok installed"))
        })
        .collect();
    // Node.js may come from elsewhere (the machine image has it): only install it if absent.
    if output(cmd("node", &["--version"])).is_none() {
        missing.push("nodejs");
    }
    if output(cmd("npm", &["--version"])).is_none() {
        missing.push("npm");
    }
    if missing.is_empty() {
        return Ok(());
    }
    let mut install = vec!["install", "-y", "--no-install-recommends"];
    install.extend(&missing);
    status(cmd("apt-get", &["update"]))?;
    let mut apt = cmd("apt-get", &install);
    apt.env("DEBIAN_FRONTEND", "noninteractive");
    status(apt)
}

fn wasm_target() -> Result {
    let installed = output(cmd("rustup", &["target", "list", "--installed"])).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    status(cmd("rustup", &["target", "add", "wasm32-unknown-unknown"]))
}

fn trunk() -> Result {
    if output(cmd("trunk", &["--version"])).as_deref() == Some(&format!("trunk {TRUNK_VERSION}")) {
        return Ok(());
    }
    status(cmd(
        "cargo",
        &["install", "trunk", "--version", TRUNK_VERSION, "--locked"],
    ))
}

/// wasm-bindgen-cli must be exactly the version in Cargo.lock.
pub fn wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_owned());
            }
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

fn wasm_bindgen() -> Result {
    let version = wasm_bindgen_version()?;
    if output(cmd("wasm-bindgen", &["--version"])).as_deref()
        == Some(&format!("wasm-bindgen {version}"))
    {
        return Ok(());
    }
    // Not --locked: its lock file names a crate version the registry no longer has.
    status(cmd(
        "cargo",
        &["install", "wasm-bindgen-cli", "--version", &version],
    ))
}

fn npm_packages() -> Result {
    let stamp = root().join("node_modules/.package-lock.json");
    let lock = root().join("package-lock.json");
    let fresh = match (std::fs::metadata(&stamp), std::fs::metadata(&lock)) {
        (Ok(s), Ok(l)) => s.modified().ok() >= l.modified().ok(),
        _ => false,
    };
    let wasm_opt_ok =
        output(cmd("wasm-opt", &["--version"])).is_some_and(|v| v.contains(WASM_OPT_VERSION));
    if fresh && wasm_opt_ok {
        return Ok(());
    }
    status(cmd("npm", &["ci", "--no-audit", "--no-fund"]))?;
    match output(cmd("wasm-opt", &["--version"])) {
        Some(v) if v.contains(WASM_OPT_VERSION) => Ok(()),
        other => Err(format!(
            "wasm-opt on PATH is {other:?}, expected {WASM_OPT_VERSION}"
        )),
    }
}
