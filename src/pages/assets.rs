//! Static files, built into the binary under names that carry a hash of their content, so
//! browsers may cache them for a year and still never see a stale one. Text files are
//! compressed once, on first use, in gzip and Brotli.

use std::sync::LazyLock;

use sha2::{Digest, Sha256};

use crate::cache::compressed::Precompressed;
use crate::domain::hex;

struct Asset {
    path: String,
    content_type: &'static str,
    body: Precompressed,
}

impl Asset {
    fn new(name: &str, extension: &str, content_type: &'static str, body: &'static [u8]) -> Self {
        let digest = hex(&Sha256::digest(body));
        // A PNG is compressed already; compressing it again only costs time.
        let body = if content_type.starts_with("image/png") {
            Precompressed::as_is(body)
        } else {
            Precompressed::new(body)
        };
        Self {
            path: format!("/static/{name}-{}.{extension}", &digest[..12]),
            content_type,
            body,
        }
    }
}

static ASSETS: LazyLock<[Asset; 8]> = LazyLock::new(|| {
    [
        Asset::new(
            "mariposa",
            "css",
            "text/css; charset=utf-8",
            include_bytes!("../../static/mariposa.css"),
        ),
        Asset::new(
            "butterfly",
            "svg",
            "image/svg+xml",
            include_bytes!("../../static/butterfly.svg"),
        ),
        Asset::new(
            "frame-height",
            "js",
            "text/javascript; charset=utf-8",
            include_bytes!("../../static/frame-height.js"),
        ),
        Asset::new(
            "share",
            "png",
            "image/png",
            include_bytes!("../../static/share.png"),
        ),
        Asset::new(
            "focus-summary",
            "js",
            "text/javascript; charset=utf-8",
            include_bytes!("../../static/focus-summary.js"),
        ),
        Asset::new(
            "share",
            "js",
            "text/javascript; charset=utf-8",
            include_bytes!("../../static/share.js"),
        ),
        Asset::new(
            "kiosk",
            "js",
            "text/javascript; charset=utf-8",
            include_bytes!("../../static/kiosk.js"),
        ),
        Asset::new(
            "paper-entry",
            "js",
            "text/javascript; charset=utf-8",
            include_bytes!("../../static/paper-entry.js"),
        ),
    ]
});

pub fn stylesheet() -> &'static str {
    &ASSETS[0].path
}

pub fn icon() -> &'static str {
    &ASSETS[1].path
}

/// The script inside the embedded form that reports its height to the partner's page.
pub fn frame_height_script() -> &'static str {
    &ASSETS[2].path
}

/// The picture link previews show for a campaign page.
pub fn share_image() -> &'static str {
    &ASSETS[3].path
}

/// The script that focuses the error summary inside the embedded form.
pub fn focus_summary_script() -> &'static str {
    &ASSETS[4].path
}

/// The script that adds the browser's own share sheet to the share step.
pub fn share_script() -> &'static str {
    &ASSETS[5].path
}

/// The kiosk's script: sealing, the offline queue and the thank-you screen.
pub fn kiosk_script() -> &'static str {
    &ASSETS[6].path
}

/// The staff page's paper entry form: Enter goes to the next row.
pub fn paper_entry_script() -> &'static str {
    &ASSETS[7].path
}

/// The asset served under `path`, with its content type, when there is one.
pub fn find(path: &str) -> Option<(&'static str, &'static Precompressed)> {
    ASSETS
        .iter()
        .find(|asset| asset.path == path)
        .map(|asset| (asset.content_type, &asset.body))
}
