//! Staff sign-in: the login form, sessions in an HttpOnly cookie, CSRF tokens for every
//! staff form, throttled failures, and bearer tokens for scheduled exports.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{AUTHORIZATION, LOCATION, RETRY_AFTER, WWW_AUTHENTICATE};
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use chrono::{NaiveDateTime, TimeDelta, Utc};

use super::views::LoginPage;
use super::{admin_page, record_audit};
use crate::config::SessionPolicy;
use crate::db::{api_tokens, staff};
use crate::domain::{HashedToken, Lang, PlainToken, SignerEmail, TrustedDevice, decoy_hash};
use crate::i18n::Tr;
use crate::password_checks::CheckersBusy;
use crate::routes::AppState;
use crate::routes::{client_ip, lang_cookie, negotiate_lang, render};

pub const SESSION_COOKIE: &str = "mariposa_session";
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
/// How often a session's last activity is written back; reads in between cost no write.
const TOUCH_EVERY: TimeDelta = TimeDelta::minutes(1);

/// A signed-in member of staff.
#[derive(Debug, Clone)]
pub struct StaffSession {
    pub session_id: i64,
    pub staff_id: i64,
    pub email: String,
    pub csrf_token: String,
    /// The language of their pages: the account's, or the browser's until they choose one.
    pub lang: Lang,
}

impl StaffSession {
    pub fn actor(&self) -> String {
        format!("staff:{}", self.email)
    }

    pub fn tr(&self) -> Tr {
        Tr(self.lang)
    }

    /// Every state-changing staff form carries the session's CSRF token.
    pub fn check_csrf(&self, state: &AppState, submitted: &str) -> Result<(), CsrfRefused> {
        let session_hash = self.csrf_token_source();
        if state
            .staff_keys
            .csrf
            .verify(session_hash.as_bytes(), submitted)
        {
            Ok(())
        } else {
            tracing::warn!(
                staff = self.staff_id,
                "staff form refused: CSRF token mismatch"
            );
            Err(CsrfRefused(self.tr()))
        }
    }

    fn csrf_token_source(&self) -> String {
        format!("session {}", self.session_id)
    }
}

/// A staff form that did not carry its session's token; the answer is in the staff
/// member's language.
#[derive(Debug)]
pub struct CsrfRefused(Tr);

impl CsrfRefused {
    pub fn response(self) -> HttpResponse {
        HttpResponse::Forbidden()
            .content_type("text/plain; charset=utf-8")
            .body(self.0.t("admin-csrf-refused"))
    }
}

fn redirect_to_login() -> actix_web::Error {
    actix_web::error::InternalError::from_response(
        "sign-in required",
        HttpResponse::SeeOther()
            .insert_header((LOCATION, "/admin/login"))
            .finish(),
    )
    .into()
}

fn session_expired(session: &staff::SessionRow, now: NaiveDateTime, policy: SessionPolicy) -> bool {
    let idle = TimeDelta::from_std(policy.idle).unwrap_or(TimeDelta::MAX);
    let absolute = TimeDelta::from_std(policy.absolute).unwrap_or(TimeDelta::MAX);
    now - session.last_seen_at > idle || now - session.created_at > absolute
}

/// Looks up the session named by the cookie, ending it when it has expired.
async fn current_session(
    state: &AppState,
    req: &HttpRequest,
) -> Result<Option<StaffSession>, crate::db::StoreError> {
    let Some(token) = req
        .cookie(SESSION_COOKIE)
        .and_then(|cookie| PlainToken::parse(cookie.value()))
    else {
        return Ok(None);
    };
    let hash = token.hash();
    let now = Utc::now().naive_utc();
    let policy = state.session_policy;
    let found = state
        .db
        .run(move |conn| {
            let Some(session) = staff::find_session(conn, &hash)? else {
                return Ok(None);
            };
            if session_expired(&session, now, policy) {
                staff::delete_session(conn, session.id)?;
                return Ok(None);
            }
            if now - session.last_seen_at > TOUCH_EVERY {
                staff::touch_session(conn, session.id, now)?;
            }
            Ok(Some(session))
        })
        .await?;
    Ok(found.map(|session| {
        let lang = session
            .lang
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_else(|| negotiate_lang(req, None));
        let mut staff_session = StaffSession {
            session_id: session.id,
            staff_id: session.staff_id,
            email: session.email,
            csrf_token: String::new(),
            lang,
        };
        staff_session.csrf_token = state
            .staff_keys
            .csrf
            .hash(staff_session.csrf_token_source().as_bytes());
        staff_session
    }))
}

impl FromRequest for StaffSession {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let Some(state) = req.app_data::<web::Data<AppState>>() else {
                return Err(redirect_to_login());
            };
            match current_session(state, &req).await {
                Ok(Some(session)) => Ok(session),
                Ok(None) => Err(redirect_to_login()),
                Err(error) => {
                    tracing::error!(error = ?error, "could not read a staff session");
                    let tr = Tr(negotiate_lang(&req, None));
                    Err(actix_web::error::InternalError::from_response(
                        "the database is not answering",
                        super::unavailable_page(tr),
                    )
                    .into())
                }
            }
        })
    }
}

/// Who may download an export: a signed-in member of staff, or an API token.
pub enum Exporter {
    Staff(StaffSession),
    Token {
        name: String,
        source: Option<String>,
    },
}

impl Exporter {
    pub fn actor(&self) -> String {
        match self {
            Exporter::Staff(session) => session.actor(),
            Exporter::Token { name, .. } => format!("token:{name}"),
        }
    }

    /// The language of messages about a bad request: the staff member's, or English for
    /// the scripts that hold tokens.
    pub fn tr(&self) -> Tr {
        match self {
            Exporter::Staff(session) => session.tr(),
            Exporter::Token { .. } => Tr(Lang::En),
        }
    }

    /// The only source a partner's token may see; `None` sees everything.
    pub fn source_scope(&self) -> Option<&str> {
        match self {
            Exporter::Token {
                source: Some(source),
                ..
            } => Some(source),
            _ => None,
        }
    }
}

fn unauthorized(message: String) -> actix_web::Error {
    actix_web::error::InternalError::from_response(
        "export refused",
        HttpResponse::Unauthorized()
            .insert_header((WWW_AUTHENTICATE, "Bearer realm=\"mariposa\""))
            .content_type("text/plain; charset=utf-8")
            .body(message),
    )
    .into()
}

impl FromRequest for Exporter {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let Some(state) = req.app_data::<web::Data<AppState>>() else {
                return Err(unauthorized("Sign in, or send an API token.".to_owned()));
            };
            let bearer = req
                .headers()
                .get(AUTHORIZATION)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.strip_prefix("Bearer "))
                .map(str::trim);
            if let Some(presented) = bearer {
                let hash = HashedToken::of(presented);
                let now = Utc::now().naive_utc();
                let found = state
                    .db
                    .run(move |conn| api_tokens::authenticate(conn, &hash, now))
                    .await
                    .map_err(actix_web::error::ErrorServiceUnavailable)?;
                return match found {
                    Some(token) => Ok(Exporter::Token {
                        name: token.name,
                        source: token.source,
                    }),
                    None => Err(unauthorized(
                        "This API token is not valid or was revoked.".to_owned(),
                    )),
                };
            }
            match current_session(state, &req).await {
                Ok(Some(session)) => Ok(Exporter::Staff(session)),
                // Most likely a member of staff whose session ended, following an export link.
                Ok(None) => Err(unauthorized(
                    Tr(negotiate_lang(&req, None)).t("admin-export-sign-in"),
                )),
                Err(error) => Err(actix_web::error::ErrorServiceUnavailable(error)),
            }
        })
    }
}

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
    let now = state.clock.now();
    if state
        .staff_keys
        .login_form
        .verify(&form.csrf_token, 0, now)
        .is_err()
    {
        return login_page(
            &state,
            &req,
            StatusCode::FORBIDDEN,
            &email,
            Some("admin-login-expired"),
        );
    }
    // What no account can have is a failure without a lookup or a hash, and the audit log
    // does not keep it.
    let possible_email = could_be_an_account(&email);
    let audit_detail = if possible_email {
        format!("email={email}")
    } else {
        "email=(not an email address)".to_owned()
    };
    let attempt = Attempt {
        account: state.staff_keys.account_key(&email),
        client: state.staff_keys.client_key(client_ip(&req)),
        device: req
            .cookie(DEVICE_COOKIE)
            .and_then(|cookie| state.staff_keys.device.verify(&email, cookie.value())),
    };
    let failures = {
        let attempt = attempt.clone();
        let since = now.naive_utc() - THROTTLE_WINDOW;
        match state
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
        {
            Ok(failures) => failures,
            Err(error) => return unavailable(&state, &req, error),
        }
    };
    if attempt.throttled_by(&failures) {
        record_audit(&state, "anonymous", "login_throttled", &audit_detail).await;
        let mut response = login_page(
            &state,
            &req,
            StatusCode::TOO_MANY_REQUESTS,
            &email,
            Some("admin-login-throttled"),
        );
        response.headers_mut().insert(
            RETRY_AFTER,
            actix_web::http::header::HeaderValue::from_static("900"),
        );
        return response;
    }

    let account = if possible_email {
        let lookup_email = email.clone();
        match state
            .db
            .run(move |conn| staff::find_by_email(conn, &lookup_email))
            .await
        {
            Ok(account) => account,
            Err(error) => return unavailable(&state, &req, error),
        }
    } else {
        None
    };
    let matches = if possible_email {
        let stored_hash = account
            .as_ref()
            .map_or_else(|| decoy_hash().to_owned(), |a| a.password_hash.clone());
        // Unknown accounts are checked against a decoy hash so that both answers take as long.
        match state
            .password_checkers
            .matches(form.password, stored_hash)
            .await
        {
            Ok(matches) => matches,
            Err(busy) => return checkers_busy(&state, &req, &email, busy),
        }
    } else {
        false
    };
    let Some(account) = account.filter(|_| matches) else {
        let now = now.naive_utc();
        let forget_before = now - THROTTLE_WINDOW;
        if let Err(error) = state
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
        {
            return unavailable(&state, &req, error);
        }
        record_audit(&state, "anonymous", "login_failed", &audit_detail).await;
        return login_page(
            &state,
            &req,
            StatusCode::UNAUTHORIZED,
            &email,
            Some("admin-login-failed"),
        );
    };

    let (token, device_id) = match (PlainToken::generate(), PlainToken::generate()) {
        (Ok(token), Ok(device_id)) => (token, device_id),
        (Err(error), _) | (_, Err(error)) => return unavailable(&state, &req, error),
    };
    let hash = token.hash();
    let now = now.naive_utc();
    let staff_id = account.id;
    if let Err(error) = state
        .db
        .run(move |conn| {
            staff::create_session(conn, staff_id, &hash, now)?;
            staff::record_login(conn, staff_id, now)
        })
        .await
    {
        return unavailable(&state, &req, error);
    }
    record_audit(&state, &format!("staff:{}", account.email), "login", "").await;
    let session = Cookie::build(SESSION_COOKIE, token.expose().to_owned())
        .path("/admin")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.https)
        .finish();
    // Only the sign-in form needs to see which browser this is.
    let device = Cookie::build(
        DEVICE_COOKIE,
        state.staff_keys.device.issue(&email, &device_id),
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
    response
        .insert_header((LOCATION, "/admin/campaigns"))
        .finish()
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

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CsrfForm {
    pub csrf_token: String,
}

pub async fn logout(
    state: web::Data<AppState>,
    session: StaffSession,
    form: web::Form<CsrfForm>,
) -> HttpResponse {
    if let Err(refused) = session.check_csrf(&state, &form.csrf_token) {
        return refused.response();
    }
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
    HttpResponse::SeeOther()
        .cookie(expired)
        .insert_header((LOCATION, "/admin/login"))
        .finish()
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
    response.headers_mut().insert(
        RETRY_AFTER,
        actix_web::http::header::HeaderValue::from_static("5"),
    );
    response
}

fn unavailable(state: &AppState, req: &HttpRequest, error: impl std::fmt::Debug) -> HttpResponse {
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
