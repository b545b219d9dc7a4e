//! The signing form posted, on the campaign page or in a partner's iframe, and the
//! "check your email" page it leads to. The form goes to the online intake
//! (`intake::online`); each of its outcomes gets its answer here.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, HeaderValue, LOCATION, RETRY_AFTER};
use actix_web::{HttpRequest, HttpResponse, web};

use super::campaigns::{
    FormContext, Surface, chart_history, lang_and_source, partner_of, source_of_the_page,
};
use super::{
    PageError, client_ip, load_campaign, message_page, negotiate_lang, not_found_page, query_param,
};
use crate::domain::{FieldErrors, Lang, SignatureInput, Source};
use crate::i18n::Tr;
use crate::intake::online::{self, SignOutcome, Submission};
use crate::pages::{Action, CampaignView, MessagePage, ShareView};
use crate::routes::AppState;

/// The signing form as posted. Every field is optional here so that a missing one becomes
/// a message beside the field, not a bare "400 Bad Request".
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SignForm {
    first_name: String,
    last_name: String,
    email: String,
    country: String,
    postal_code: String,
    email_opt_in: Option<String>,
    partner_opt_in: Option<String>,
    comment: String,
    source: String,
    csrf_token: String,
    /// The honeypot: hidden from people, filled in by naive bots.
    website: String,
    lang: String,
}

impl SignForm {
    /// Form decoding replaces bytes that are not UTF-8 with U+FFFD. No browser sends such
    /// bytes, and storing a name full of replacement characters would lose what was meant.
    pub(super) fn has_undecodable_text(&self) -> bool {
        [
            &self.first_name,
            &self.last_name,
            &self.email,
            &self.country,
            &self.postal_code,
            &self.comment,
            &self.source,
            &self.csrf_token,
        ]
        .iter()
        .any(|field| field.contains(char::REPLACEMENT_CHARACTER))
    }

    /// The language the page was in, when the form names one we speak.
    pub(super) fn lang(&self) -> Option<Lang> {
        Lang::parse(&self.lang)
    }

    pub(super) fn input(&self) -> SignatureInput {
        SignatureInput {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            country: self.country.clone(),
            postal_code: self.postal_code.clone(),
            email_opt_in: self.email_opt_in.as_deref().is_some_and(|v| !v.is_empty()),
            partner_opt_in: self
                .partner_opt_in
                .as_deref()
                .is_some_and(|v| !v.is_empty()),
            comment: self.comment.clone(),
            source: self.source.clone(),
        }
    }
}

pub async fn sign(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
    form: web::Form<SignForm>,
    surface: Surface,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let Some(campaign) = load_campaign(&state, &slug, &req).await? else {
        return Ok(not_found_page(Tr(negotiate_lang(&req, None)), &req));
    };
    let lang = campaign.page_lang(
        form.lang()
            .unwrap_or_else(|| negotiate_lang(&req, Some(campaign.campaign.default_lang()))),
    );
    let mut input = form.input();
    if Source::parse_lenient(&input.source).is_none() {
        input.source = source_of_the_page(&req).unwrap_or_default();
    }
    let ctx = FormContext {
        state: &state,
        req: &req,
        campaign: &campaign,
        tr: Tr(lang),
        surface,
        history: chart_history(&state, &campaign, surface).await,
        partner: partner_of(&state, &input.source).await,
    };
    if form.has_undecodable_text() {
        return Ok(ctx.message(
            StatusCode::BAD_REQUEST,
            "bad-request-title",
            &["bad-request-body"],
            None,
        ));
    }
    let submission = Submission::Form {
        csrf_token: &form.csrf_token,
        honeypot: &form.website,
        client: client_ip(&req),
    };
    let outcome = online::sign(
        &state.online_desk(),
        &campaign.campaign,
        &input,
        submission,
        lang,
    )
    .await;
    Ok(answer(&ctx, outcome, input))
}

/// What the form's pages show for each outcome of the online intake.
fn answer(ctx: &FormContext<'_>, outcome: SignOutcome, input: SignatureInput) -> HttpResponse {
    let no_errors = FieldErrors::default();
    // Links onward keep the page's language and the partner's source.
    let base = ctx.surface.base_path(&ctx.campaign.campaign.slug);
    let query = || lang_and_source(ctx.tr.lang(), Source::parse_lenient(&input.source).as_ref());
    match outcome {
        SignOutcome::Accepted => {
            let mut response = see_other(&format!("{base}/check-email{}", query()));
            carry_address(ctx, &mut response, &base, &input.email);
            response
        }
        SignOutcome::Closed => ctx.form_page(StatusCode::FORBIDDEN, input, &no_errors, None),
        SignOutcome::StaleForm => {
            ctx.form_page(StatusCode::FORBIDDEN, input, &no_errors, Some("form-stale"))
        }
        SignOutcome::TooSoon => ctx.form_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            input,
            &no_errors,
            Some("form-too-soon"),
        ),
        SignOutcome::FormSpent => {
            let reload = Action {
                href: format!("{base}{}", query()),
                label: ctx.tr.t("form-spent-action"),
            };
            ctx.message(
                StatusCode::FORBIDDEN,
                "form-spent-title",
                &["form-spent-body"],
                Some(reload),
            )
        }
        SignOutcome::Invalid(errors) => {
            ctx.form_page(StatusCode::UNPROCESSABLE_ENTITY, input, &errors, None)
        }
        SignOutcome::Paused => {
            let mut response =
                ctx.form_page(StatusCode::SERVICE_UNAVAILABLE, input, &no_errors, None);
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from_static(PAUSED_RETRY_AFTER));
            response
        }
        SignOutcome::Busy => ctx.retry_later(input, "form-busy", BUSY_RETRY_AFTER),
        SignOutcome::Unavailable => {
            ctx.retry_later(input, "form-unavailable", UNAVAILABLE_RETRY_AFTER)
        }
    }
}

/// The next page repeats the address, so that a typo can be spotted. It goes in a cookie
/// for that page alone, not in its address, which logs and history keep; a partner's frame
/// may block it, and the page then only says to check the inbox.
fn carry_address(ctx: &FormContext<'_>, response: &mut HttpResponse, base: &str, email: &str) {
    let cookie = Cookie::build(SIGNED_AS_COOKIE, email.trim().to_owned())
        .path(format!("{base}/check-email"))
        .http_only(true)
        .secure(ctx.state.https)
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::minutes(10))
        .finish();
    if let Err(error) = response.add_cookie(&cookie) {
        tracing::warn!(%error, "the address could not be carried to the next page");
    }
}

/// Seconds a client is asked to wait while signing is paused: staff pause for minutes, not
/// seconds, and a partner's retrying server should not hammer a paused campaign.
pub(super) const PAUSED_RETRY_AFTER: &str = "300";
/// A full writer queue empties in moments.
pub(super) const BUSY_RETRY_AFTER: &str = "5";
/// A full or failing disk needs an operator, which takes minutes.
pub(super) const UNAVAILABLE_RETRY_AFTER: &str = "60";

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location))
        .finish()
}

pub async fn check_email(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
    surface: Surface,
) -> Result<HttpResponse, PageError> {
    let Some(campaign) = load_campaign(&state, &slug, &req).await? else {
        return Ok(not_found_page(Tr(negotiate_lang(&req, None)), &req));
    };
    let tr = Tr(campaign.page_lang(negotiate_lang(&req, Some(campaign.campaign.default_lang()))));
    let ctx = FormContext {
        state: &state,
        req: &req,
        campaign: &campaign,
        tr,
        surface,
        history: None,
        partner: None,
    };
    let mut message = check_email_message(&ctx);
    let signed_as = req
        .cookie(SIGNED_AS_COOKIE)
        .map(|cookie| cookie.value().to_owned())
        .filter(|email| !email.is_empty() && email.chars().count() <= 254);
    let Some(email) = signed_as else {
        return Ok(ctx.respond_with(StatusCode::OK, message));
    };
    message
        .paragraphs
        .insert(1, tr.t1("check-email-address", "email", &email));
    let mut response = ctx.respond_with(StatusCode::OK, message);
    // The address is this visitor's alone: no cache keeps the page, and the cookie goes.
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let mut spent = Cookie::build(SIGNED_AS_COOKIE, "")
        .path(format!(
            "{}/check-email",
            surface.base_path(&campaign.campaign.slug)
        ))
        .finish();
    spent.make_removal();
    if let Err(error) = response.add_cookie(&spent) {
        tracing::warn!(%error, "the address cookie could not be cleared");
    }
    Ok(response)
}

/// "Check your email", with the way back to the campaign and the links to share it.
fn check_email_message(ctx: &FormContext<'_>) -> MessagePage {
    let (tr, campaign) = (ctx.tr, ctx.campaign);
    let source = query_param(ctx.req, "source").and_then(|s| Source::parse_lenient(&s));
    let back = Action {
        href: format!(
            "{}{}",
            ctx.surface.base_path(&campaign.campaign.slug),
            lang_and_source(tr.lang(), source.as_ref())
        ),
        label: tr.t("back-to-campaign"),
    };
    let view = CampaignView::new(campaign, ctx.state.counts.tally(campaign.campaign.id), tr);
    let mut message = message_page(
        tr,
        ctx.req,
        "check-email-title",
        &["check-email-body", "check-email-spam"],
        Some(back),
    );
    message.share = Some(ShareView::new(
        tr,
        &ctx.state.base_url,
        &view,
        "check-email-share",
    ));
    message
}

/// Carries the address just signed with to the "check your email" page, and only there.
const SIGNED_AS_COOKIE: &str = "mariposa_signed_as";
