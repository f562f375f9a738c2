//! A QR code of a link, drawn as one SVG path: crisp at any size, dark on white with the
//! standard four-module quiet zone, so a phone camera reads it from another phone's screen.

use leptos::prelude::*;
use qrcodegen::{QrCode, QrCodeEcc};

/// The SVG path of the dark modules, and the side in modules (quiet zone included).
pub fn qr_path(text: &str) -> Option<(String, i32)> {
    // Medium error correction: survives glare on a screen, keeps the code small.
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let quiet = 4;
    let size = qr.size();
    let mut d = String::new();
    for y in 0..size {
        for x in 0..size {
            if qr.get_module(x, y) {
                d.push_str(&format!("M{},{}h1v1h-1z", x + quiet, y + quiet));
            }
        }
    }
    Some((d, size + 2 * quiet))
}

#[component]
pub fn QrCodeImage(#[prop(into)] text: String, #[prop(into)] label: String) -> impl IntoView {
    qr_path(&text).map(|(d, side)| {
        let view_box = format!("0 0 {side} {side}");
        view! {
            <svg class="qr" role="img" aria-label=label viewBox=view_box
                shape-rendering="crispEdges" xmlns="http://www.w3.org/2000/svg">
                <rect width="100%" height="100%" fill="#fff"/>
                <path d=d fill="#000"/>
            </svg>
        }
    })
}
