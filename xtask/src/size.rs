//! The app shell's transfer size: what a phone downloads on first load.

use std::path::Path;

use crate::{root, Result};

/// Sizes of one file: raw, and the .gz / .br the post-build hook wrote (what the server sends).
struct Sizes {
    raw: u64,
    gzip: u64,
    brotli: u64,
}

fn sizes(path: &Path) -> Result<Sizes> {
    let len = |p: &Path| {
        std::fs::metadata(p)
            .map(|m| m.len())
            .map_err(|e| format!("{}: {e}", p.display()))
    };
    let with = |ext: &str| {
        let mut p = path.as_os_str().to_owned();
        p.push(ext);
        len(Path::new(&p))
    };
    Ok(Sizes {
        raw: len(path)?,
        gzip: with(".gz")?,
        brotli: with(".br")?,
    })
}

pub fn report() -> Result {
    let dist = root().join("dist");
    let mut rows = Vec::new();
    for entry in std::fs::read_dir(&dist).map_err(|e| format!("dist/: {e}"))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let shell =
            name == "index.html" || [".js", ".wasm", ".css"].iter().any(|e| name.ends_with(e));
        if shell && name != "sw.js" {
            rows.push((name, sizes(&path)?));
        }
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    println!(
        "{:<44} {:>10} {:>10} {:>10}",
        "app shell file", "raw", "gzip", "brotli"
    );
    let (mut raw, mut gz, mut br) = (0, 0, 0);
    for (name, s) in &rows {
        println!("{name:<44} {:>10} {:>10} {:>10}", s.raw, s.gzip, s.brotli);
        raw += s.raw;
        gz += s.gzip;
        br += s.brotli;
    }
    println!("{:<44} {raw:>10} {gz:>10} {br:>10}", "total (bytes)");
    println!(
        "total: {:.1} KB raw, {:.1} KB gzip, {:.1} KB brotli",
        kb(raw),
        kb(gz),
        kb(br)
    );
    Ok(())
}

fn kb(b: u64) -> f64 {
    b as f64 / 1024.0
}
