//! Staff sign-in: the login form, sessions in an HttpOnly cookie, CSRF tokens for every
//! staff form, throttled failures, and bearer tokens for scheduled exports.

mod exporter;
mod session;
mod sign_in;

pub use exporter::Exporter;
pub(super) use session::current_session;
pub use session::{CsrfForm, CsrfRefused, StaffCampaign, StaffSession};
pub use sign_in::{login, login_form, logout};
