//! Signing in and out: the login form, throttled failures, and the cookies a sign-in sets.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderValue, LOCATION, RETRY_AFTER};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{NaiveDateTime, TimeDelta};

use super::super::error::StaffError;
use super::super::{admin_page, record_audit};
use super::session::{CsrfForm, SESSION_COOKIE, StaffSession};
use crate::db::{StoreError, staff};
use crate::domain::{Lang, PlainToken, SignerEmail, TrustedDevice, decoy_hash};
use crate::pages::staff::LoginPage;
use crate::password_checks::CheckersBusy;
use crate::routes::{AppState, client_ip, lang_cookie, render};

/// Names a browser that signed in to an account before (see `DeviceKey`).
pub const DEVICE_COOKIE: &str = "mariposa_device";
/// How long a browser stays known after its last successful sign-in.
const DEVICE_COOKIE_LIFETIME: actix_web::cookie::time::Duration =
    actix_web::cookie::time::Duration::days(365);

/// Failed logins counted per account, per client and per device in this window.
const THROTTLE_WINDOW: TimeDelta = TimeDelta::minutes(15);
/// More failures than this for one account (typed email) in the window, from clients
/// without the account's device cookie, are refused.
const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// More failures than this from one browser with the account's device cookie are refused;
/// it does not share the account's allowance, which strangers can use up.
const MAX_FAILURES_PER_DEVICE: i64 = 5;
/// More failures than this from one client in the window are refused; higher, because a
/// whole office may share an address.
const MAX_FAILURES_PER_CLIENT: i64 = 20;

pub async fn login_form(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    login_page(&state, &req, StatusCode::OK, "", None)
}

fn login_page(
    state: &AppState,
    req: &HttpRequest,
    status: StatusCode,
    email: &str,
    error_key: Option<&str>,
) -> HttpResponse {
    let page = admin_page(req, None);
    let page = LoginPage {
        email: email.to_owned(),
        csrf_token: state.staff_keys.login_form.issue(0, state.clock.now()),
        error: error_key.map(|key| page.tr.t(key)),
        page,
    };
    render(status, &page)
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
    csrf_token: String,
}

pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<LoginForm>,
) -> HttpResponse {
    let form = form.into_inner();
    // Spelled as `mariposa admin create` stored it (IDNA domain, NFKC, no invisible characters).
    let email = SignerEmail::parse_any_domain(&form.email).map_or_else(
        |_| form.email.trim().to_lowercase(),
        |email| email.as_str().to_lowercase(),
    );
    match sign_in(&state, &req, &email, form).await {
        Ok(signed_in) => signed_in,
        Err(form_again) => form_again,
    }
}

/// The steps of a sign-in. Each refusal is the sign-in form again, saying why.
async fn sign_in(
    state: &AppState,
    req: &HttpRequest,
    email: &str,
    form: LoginForm,
) -> Result<HttpResponse, HttpResponse> {
    let now = state.clock.now();
    let refuse = |status, key| login_page(state, req, status, email, Some(key));
    if state
        .staff_keys
        .login_form
        .verify(&form.csrf_token, 0, now)
        .is_err()
    {
        return Err(refuse(StatusCode::FORBIDDEN, "admin-login-expired"));
    }
    // What no account can have is a failure without a lookup or a hash, and the audit log
    // does not keep it.
    let possible_email = could_be_an_account(email);
    let audit_detail = if possible_email {
        format!("email={email}")
    } else {
        "email=(not an email address)".to_owned()
    };
    let attempt = Attempt {
        account: state.staff_keys.account_key(email),
        client: state.staff_keys.client_key(client_ip(req)),
        device: req
            .cookie(DEVICE_COOKIE)
            .and_then(|cookie| state.staff_keys.device.verify(email, cookie.value())),
    };
    let failures = recent_failures(state, &attempt, now.naive_utc())
        .await
        .map_err(|error| login_unavailable(state, req, error))?;
    if attempt.throttled_by(&failures) {
        record_audit(state, "anonymous", "login_throttled", &audit_detail).await;
        let mut response = refuse(StatusCode::TOO_MANY_REQUESTS, "admin-login-throttled");
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from_static("900"));
        return Err(response);
    }
    let account = if possible_email {
        checked_account(state, req, email, form.password).await?
    } else {
        None
    };
    let Some(account) = account else {
        record_failure(state, attempt, now.naive_utc())
            .await
            .map_err(|error| login_unavailable(state, req, error))?;
        record_audit(state, "anonymous", "login_failed", &audit_detail).await;
        return Err(refuse(StatusCode::UNAUTHORIZED, "admin-login-failed"));
    };
    start_session(state, account, email, now.naive_utc())
        .await
        .map_err(|error| login_unavailable(state, req, error))
}

/// The account with this email, if the password is its own.
async fn checked_account(
    state: &AppState,
    req: &HttpRequest,
    email: &str,
    password: String,
) -> Result<Option<staff::StaffAccount>, HttpResponse> {
    let lookup_email = email.to_owned();
    let account = state
        .db
        .run(move |conn| staff::find_by_email(conn, &lookup_email))
        .await
        .map_err(|error| login_unavailable(state, req, error))?;
    let stored_hash = account
        .as_ref()
        .map_or_else(|| decoy_hash().to_owned(), |a| a.password_hash.clone());
    // Unknown accounts are checked against a decoy hash so that both answers take as long.
    let matches = state
        .password_checkers
        .matches(password, stored_hash)
        .await
        .map_err(|busy| checkers_busy(state, req, email, busy))?;
    Ok(account.filter(|_| matches))
}

/// The failures the throttles count for this attempt, within the window.
async fn recent_failures(
    state: &AppState,
    attempt: &Attempt,
    now: NaiveDateTime,
) -> Result<staff::RecentFailures, StoreError> {
    let attempt = attempt.clone();
    let since = now - THROTTLE_WINDOW;
    state
        .db
        .run(move |conn| {
            staff::recent_failures(
                conn,
                &attempt.account,
                &attempt.client,
                attempt.device.as_ref().map(TrustedDevice::as_str),
                since,
            )
        })
        .await
}

async fn record_failure(
    state: &AppState,
    attempt: Attempt,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let forget_before = now - THROTTLE_WINDOW;
    state
        .db
        .run(move |conn| {
            staff::record_login_failure(
                conn,
                &attempt.account,
                &attempt.client,
                attempt.device.as_ref().map(TrustedDevice::as_str),
                now,
                forget_before,
            )
        })
        .await
}

/// Signed in: the session and device cookies, and the way to the campaigns.
async fn start_session(
    state: &AppState,
    account: staff::StaffAccount,
    email: &str,
    now: NaiveDateTime,
) -> anyhow::Result<HttpResponse> {
    let token = PlainToken::generate()?;
    let device_id = PlainToken::generate()?;
    let hash = token.hash();
    let staff_id = account.id;
    state
        .db
        .run(move |conn| {
            staff::create_session(conn, staff_id, &hash, now)?;
            staff::record_login(conn, staff_id, now)
        })
        .await?;
    record_audit(state, &format!("staff:{}", account.email), "login", "").await;
    let session = Cookie::build(SESSION_COOKIE, token.expose().to_owned())
        .path("/admin")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.https)
        .finish();
    // Only the sign-in form needs to see which browser this is.
    let device = Cookie::build(
        DEVICE_COOKIE,
        state.staff_keys.device.issue(email, &device_id),
    )
    .path("/admin/login")
    .http_only(true)
    .same_site(SameSite::Strict)
    .secure(state.https)
    .max_age(DEVICE_COOKIE_LIFETIME)
    .finish();
    let mut response = HttpResponse::SeeOther();
    response.cookie(session).cookie(device);
    // The sign-in page after signing out, and any error answered before the session is
    // read, are then in the account's language too.
    if let Some(lang) = account.lang.as_deref().and_then(Lang::parse) {
        response.cookie(lang_cookie(lang, state.https));
    }
    Ok(response
        .insert_header((LOCATION, "/admin/campaigns"))
        .finish())
}

/// Longest address SMTP allows (RFC 5321), so the longest any staff account can have.
const MAX_EMAIL_BYTES: usize = 254;

/// Whether some staff account could have this (lower-cased, trimmed) email. Deliberately
/// looser than the rules accounts are created under, which have changed over time.
fn could_be_an_account(email: &str) -> bool {
    email.len() <= MAX_EMAIL_BYTES
        && email.contains('@')
        && !email.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// Who is trying to sign in, as the throttles count it.
#[derive(Clone)]
struct Attempt {
    account: String,
    client: String,
    /// Set when the browser carries a device cookie for the account typed.
    device: Option<TrustedDevice>,
}

impl Attempt {
    /// A browser that signed in to the account before has an allowance of its own; other
    /// clients share the account's and their address's.
    fn throttled_by(&self, failures: &staff::RecentFailures) -> bool {
        match self.device {
            Some(_) => failures.device >= MAX_FAILURES_PER_DEVICE,
            None => {
                failures.account_untrusted >= MAX_FAILURES_PER_ACCOUNT
                    || failures.client_untrusted >= MAX_FAILURES_PER_CLIENT
            }
        }
    }
}

pub async fn logout(
    state: web::Data<AppState>,
    session: StaffSession,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, StaffError> {
    session.check_csrf(&state, &form.csrf_token)?;
    let session_id = session.session_id;
    if let Err(error) = state
        .db
        .run(move |conn| staff::delete_session(conn, session_id))
        .await
    {
        tracing::error!(error = ?error, "could not end a staff session");
    }
    record_audit(&state, &session.actor(), "logout", "").await;
    let mut expired = Cookie::build(SESSION_COOKIE, "").path("/admin").finish();
    expired.make_removal();
    Ok(HttpResponse::SeeOther()
        .cookie(expired)
        .insert_header((LOCATION, "/admin/login"))
        .finish())
}

/// Too many sign-ins at once: the form again, to be sent in a moment. Nothing is counted as
/// a failure, since no password was checked.
fn checkers_busy(
    state: &AppState,
    req: &HttpRequest,
    email: &str,
    busy: CheckersBusy,
) -> HttpResponse {
    tracing::warn!(error = %busy, "staff sign-in turned away");
    let mut response = login_page(
        state,
        req,
        StatusCode::SERVICE_UNAVAILABLE,
        email,
        Some("admin-login-busy"),
    );
    response
        .headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from_static("5"));
    response
}

fn login_unavailable(
    state: &AppState,
    req: &HttpRequest,
    error: impl std::fmt::Debug,
) -> HttpResponse {
    tracing::error!(error = ?error, "staff sign-in failed");
    login_page(
        state,
        req,
        StatusCode::SERVICE_UNAVAILABLE,
        "",
        Some("admin-unavailable"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_could_be_an_address_is_looked_up() {
        assert!(could_be_an_account("ana@example.org"));
        assert!(could_be_an_account("admin@localhost"));
        assert!(could_be_an_account(&format!(
            "{}@example.org",
            "a".repeat(200)
        )));
        assert!(!could_be_an_account(&format!(
            "{}@example.org",
            "a".repeat(250)
        )));
        assert!(!could_be_an_account("no at sign"));
        assert!(!could_be_an_account("ana @example.org"));
        assert!(!could_be_an_account("ana@example.org\u{0}"));
    }
}
