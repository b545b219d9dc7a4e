//! The kiosk's pages, for a tablet passed from hand to hand at an event.

use askama::Template;

use super::{FormView, Page};

/// The kiosk's signing form, for a tablet passed from hand to hand at an event.
#[derive(Template)]
#[template(path = "kiosk.html")]
pub struct KioskPage {
    pub page: Page,
    pub title: String,
    pub summary: String,
    /// What the country field returns to for the next person.
    pub default_country: String,
    pub form: FormView,
    /// The server's sealing key, for signatures kept on the device while offline.
    pub public_key: String,
    /// Sealed into each signature's additional data, so that it counts on this kiosk only.
    pub kiosk_id: i64,
    pub upload: String,
    pub status_url: String,
    pub script: &'static str,
    pub thanks_seconds: u32,
}

impl KioskPage {
    /// An error beside a field, when the form came back without the script.
    pub fn error(&self, name: &'static str) -> Option<String> {
        self.form.field(name).error
    }
}

/// The kiosk's thank-you screen without the script, and the note on a closed kiosk.
#[derive(Template)]
#[template(path = "kiosk_message.html")]
pub struct KioskMessagePage {
    pub page: Page,
    pub title: String,
    pub heading: String,
    pub body: String,
    /// Where the next person signs, which the kiosk's script returns to by itself after
    /// `thanks_seconds`; `None` on a closed kiosk.
    pub next: Option<String>,
    pub thanks_seconds: u32,
    pub script: &'static str,
}
