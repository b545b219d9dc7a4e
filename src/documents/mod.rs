//! Documents rendered for people outside the browser: printable signature sheets for a
//! table at an event, and the delivery pack handed to a campaign's target. Like emails,
//! they are output with their own layout, words (`locales/*/documents.ftl`) and font.

pub mod delivery;
mod fonts;
pub mod handover;
mod layout;
mod letter;
pub mod manifest;
pub mod pack;
pub mod share_picture;
pub mod sheets;

pub use layout::Paper;

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("the embedded font could not be read")]
    Font,
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    #[error("reading signatures failed")]
    Query(#[from] diesel::result::Error),
    #[error("writing the manifest failed")]
    Csv(#[from] csv::Error),
    #[error("writing the manifest failed")]
    Io(#[from] std::io::Error),
    #[error("writing the pack's ZIP failed")]
    Zip(#[from] zip::result::ZipError),
}

/// `text` as a QR code in SVG, to put inline in a page (on screen and in print), or `None`
/// when it is too long for one.
pub fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(240, 240)
            .quiet_zone(true)
            .build(),
    )
}

fn finish(document: krilla::Document) -> Result<Vec<u8>, DocumentError> {
    document
        .finish()
        .map_err(|error| DocumentError::Pdf(format!("{error:?}")))
}
