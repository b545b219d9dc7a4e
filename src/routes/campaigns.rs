//! Campaign pages, the signing form, and the public count.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, web};
use askama::Template;
use chrono::Utc;

use super::views::{Action, CampaignPage, CampaignView, FormView, IndexPage, ThanksPage};
use super::{
    PageError, html, message_page, negotiate_lang, not_found_page, page, query_param, render,
    unrenderable,
};
use crate::db::campaigns::CampaignWithTexts;
use crate::db::{WriteError, signatures::Recorded};
use crate::domain::{FieldErrors, Lang, NewSignature, PlainToken, SignatureInput};
use crate::i18n::Tr;
use crate::startup::AppState;

pub async fn index(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let tr = Tr(negotiate_lang(&req, None));
    let open = state.campaigns.open(Utc::now().naive_utc());
    let campaigns = open
        .iter()
        .map(|c| CampaignView::new(c, state.counts.get(c.campaign.id), tr))
        .collect();
    render(
        StatusCode::OK,
        &IndexPage {
            page: page(tr, &req),
            campaigns,
        },
    )
}

async fn find(
    state: &AppState,
    slug: &str,
    req: &HttpRequest,
) -> Result<Option<Arc<CampaignWithTexts>>, PageError> {
    state
        .campaigns
        .get(&state.db, slug)
        .await
        .map_err(|e| PageError::new(Tr(negotiate_lang(req, None)), req, e))
}

/// The campaign page with a fresh form. Everyone asking for the same campaign, language and
/// source within a second gets the same rendering: its form token is the same for all of
/// them anyway, as tokens carry the issue time in whole seconds, and its count is at most
/// a second older than the in-memory count.
pub async fn show(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let Some(campaign) = find(&state, &slug, &req).await? else {
        return Ok(not_found_page(Tr(negotiate_lang(&req, None)), &req));
    };
    let tr = Tr(negotiate_lang(&req, Some(campaign.campaign.default_lang())));
    let source = query_param(&req, "source").unwrap_or_default();
    let key = format!("{}|{}|{source}", campaign.campaign.id, tr.lang().code());
    let rendered = state.pages.get_or_render(&key, || {
        let values = SignatureInput {
            country: campaign.campaign.default_country.clone(),
            source,
            ..SignatureInput::default()
        };
        campaign_template(
            &state,
            &req,
            &campaign,
            tr,
            values,
            &FieldErrors::default(),
            None,
        )
        .render()
    });
    Ok(match rendered {
        Ok(rendered) => rendered.respond(&req, private_html(StatusCode::OK)),
        Err(error) => unrenderable(&error),
    })
}

/// Every campaign page carries a form token. Browsers may keep one but must ask again
/// before showing it, and shared caches must not hand it to others.
fn private_html(status: StatusCode) -> HttpResponseBuilder {
    let mut builder = html(status);
    builder.insert_header((CACHE_CONTROL, "private, no-cache"));
    builder
}

/// The campaign page with its form in a given state: fresh, with errors, or with a notice.
#[allow(clippy::too_many_arguments)]
fn campaign_page(
    state: &AppState,
    req: &HttpRequest,
    campaign: &CampaignWithTexts,
    tr: Tr,
    status: StatusCode,
    values: SignatureInput,
    errors: &FieldErrors,
    notice: Option<&str>,
) -> HttpResponse {
    match campaign_template(state, req, campaign, tr, values, errors, notice).render() {
        Ok(body) => private_html(status).body(body),
        Err(error) => unrenderable(&error),
    }
}

fn campaign_template(
    state: &AppState,
    req: &HttpRequest,
    campaign: &CampaignWithTexts,
    tr: Tr,
    values: SignatureInput,
    errors: &FieldErrors,
    notice: Option<&str>,
) -> CampaignPage {
    let now = Utc::now();
    let form = campaign
        .campaign
        .accepts_signatures(now.naive_utc())
        .then(|| {
            let form = FormView::new(
                tr,
                format!("/campaigns/{}/sign", campaign.campaign.slug),
                state.form_key.issue(campaign.campaign.id, now),
                values,
                errors,
                campaign.campaign.postal_code_required,
            );
            match notice {
                Some(key) => form.with_notice(tr.t(key)),
                None => form,
            }
        });
    CampaignPage {
        page: page(tr, req),
        campaign: CampaignView::new(campaign, state.counts.get(campaign.campaign.id), tr),
        form,
    }
}

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
    fn has_undecodable_text(&self) -> bool {
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

    fn input(&self) -> SignatureInput {
        SignatureInput {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            country: self.country.clone(),
            postal_code: self.postal_code.clone(),
            email_opt_in: self.email_opt_in.as_deref().is_some_and(|v| !v.is_empty()),
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
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    if form.has_undecodable_text() {
        let tr = Tr(negotiate_lang(&req, None));
        return Ok(render(
            StatusCode::BAD_REQUEST,
            &message_page(tr, &req, "bad-request-title", &["bad-request-body"], None),
        ));
    }
    let Some(campaign) = find(&state, &slug, &req).await? else {
        return Ok(not_found_page(Tr(negotiate_lang(&req, None)), &req));
    };
    let lang = Lang::parse(&form.lang)
        .unwrap_or_else(|| negotiate_lang(&req, Some(campaign.campaign.default_lang())));
    let tr = Tr(lang);
    let now = Utc::now();
    let input = form.input();
    let reply = |status, errors: &FieldErrors, notice| {
        campaign_page(
            &state,
            &req,
            &campaign,
            tr,
            status,
            input.clone(),
            errors,
            notice,
        )
    };

    if !campaign.campaign.accepts_signatures(now.naive_utc()) {
        return Ok(reply(StatusCode::FORBIDDEN, &FieldErrors::default(), None));
    }
    let check_email = see_other(&format!(
        "/campaigns/{}/check-email?lang={}",
        campaign.campaign.slug,
        lang.code()
    ));
    if !form.website.trim().is_empty() {
        tracing::info!(
            campaign = campaign.campaign.id,
            "honeypot field filled; not stored"
        );
        return Ok(check_email);
    }
    if let Err(reason) = state
        .form_key
        .verify(&form.csrf_token, campaign.campaign.id, now)
    {
        tracing::info!(campaign = campaign.campaign.id, %reason, "form token refused");
        return Ok(reply(
            StatusCode::FORBIDDEN,
            &FieldErrors::default(),
            Some("form-stale"),
        ));
    }
    let signature = match NewSignature::parse(&input, campaign.campaign.form_rules(), lang) {
        Ok(signature) => signature,
        Err(errors) => return Ok(reply(StatusCode::UNPROCESSABLE_ENTITY, &errors, None)),
    };
    let token = PlainToken::generate().map_err(|e| PageError::new(tr, &req, e))?;
    match state.writer.record(signature, token).await {
        Ok(recorded) => {
            // The request line is already logged at info; a second line per signature
            // would double the log writes during a surge.
            match recorded {
                Recorded::New { signature_id } => {
                    tracing::debug!(signature = signature_id, "signature recorded")
                }
                Recorded::Repeat {
                    signature_id,
                    emailed,
                } => tracing::info!(signature = signature_id, emailed, "repeat signature"),
            }
            Ok(check_email)
        }
        Err(error) => {
            if !matches!(error, WriteError::QueueFull) {
                tracing::error!(error = ?error, "could not record a signature");
            }
            let mut response = reply(
                StatusCode::SERVICE_UNAVAILABLE,
                &FieldErrors::default(),
                Some("form-busy"),
            );
            response.headers_mut().insert(
                RETRY_AFTER,
                actix_web::http::header::HeaderValue::from_static("5"),
            );
            Ok(response)
        }
    }
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location))
        .finish()
}

pub async fn check_email(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let Some(campaign) = find(&state, &slug, &req).await? else {
        return Ok(not_found_page(Tr(negotiate_lang(&req, None)), &req));
    };
    let tr = Tr(negotiate_lang(&req, Some(campaign.campaign.default_lang())));
    let back = Action {
        href: format!(
            "/campaigns/{}?lang={}",
            campaign.campaign.slug,
            tr.lang().code()
        ),
        label: tr.t("back-to-campaign"),
    };
    Ok(render(
        StatusCode::OK,
        &message_page(
            tr,
            &req,
            "check-email-title",
            &["check-email-body", "check-email-spam"],
            Some(back),
        ),
    ))
}

pub async fn thanks(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let Some(campaign) = find(&state, &slug, &req).await? else {
        return Ok(not_found_page(Tr(negotiate_lang(&req, None)), &req));
    };
    let tr = Tr(negotiate_lang(&req, Some(campaign.campaign.default_lang())));
    let view = CampaignView::new(&campaign, state.counts.get(campaign.campaign.id), tr);
    let share_url = format!(
        "{}/campaigns/{}?lang={}",
        state.base_url,
        campaign.campaign.slug,
        tr.lang().code()
    );
    let message = tr.t1("share-message", "campaign", &view.title);
    let share_links = share_links(tr, &message, &share_url);
    Ok(render(
        StatusCode::OK,
        &ThanksPage {
            page: page(tr, &req),
            campaign: view,
            share_links,
            share_url,
        },
    ))
}

/// Plain links to the places supporters share from; no third-party script is loaded.
fn share_links(tr: Tr, message: &str, url: &str) -> Vec<Action> {
    let encode = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let text_and_url = encode(&format!("{message} {url}"));
    vec![
        Action {
            href: format!("https://wa.me/?text={text_and_url}"),
            label: "WhatsApp".into(),
        },
        Action {
            href: format!(
                "https://t.me/share/url?url={}&text={}",
                encode(url),
                encode(message)
            ),
            label: "Telegram".into(),
        },
        Action {
            href: format!(
                "https://www.facebook.com/sharer/sharer.php?u={}",
                encode(url)
            ),
            label: "Facebook".into(),
        },
        Action {
            href: format!(
                "https://x.com/intent/post?text={}&url={}",
                encode(message),
                encode(url)
            ),
            label: "X".into(),
        },
        Action {
            href: format!(
                "mailto:?subject={}&body={}",
                encode(message).replace('+', "%20"),
                text_and_url.replace('+', "%20")
            ),
            label: tr.t("share-email"),
        },
    ]
}

#[derive(serde::Serialize)]
struct CampaignSummary {
    slug: String,
    title: String,
    signature_count: i64,
    goal: i64,
    open: bool,
}

/// The public count as JSON, rendered at most once a second per campaign and language.
pub async fn api_show(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let Some(campaign) = find(&state, &slug, &req).await? else {
        return Ok(HttpResponse::NotFound().json(serde_json::json!({
            "error": "not_found",
            "message": "There is no campaign with this slug."
        })));
    };
    let lang = query_param(&req, "lang")
        .and_then(|l| Lang::parse(&l))
        .unwrap_or_else(|| campaign.campaign.default_lang());
    let key = format!("{}|{}", campaign.campaign.id, lang.code());
    let rendered = state.api_bodies.get_or_render(&key, || {
        serde_json::to_string(&CampaignSummary {
            slug: campaign.campaign.slug.clone(),
            title: campaign
                .text(lang)
                .map(|t| t.title.clone())
                .unwrap_or_else(|| campaign.campaign.slug.clone()),
            signature_count: state.counts.get(campaign.campaign.id),
            goal: campaign.campaign.goal,
            open: campaign.campaign.accepts_signatures(Utc::now().naive_utc()),
        })
    });
    Ok(match rendered {
        Ok(rendered) => {
            let mut builder = HttpResponse::Ok();
            builder
                .insert_header((CONTENT_TYPE, "application/json"))
                .insert_header((CACHE_CONTROL, "public, max-age=2"));
            rendered.respond(&req, builder)
        }
        Err(error) => {
            tracing::error!(error = %error, "the campaign summary could not be serialised");
            HttpResponse::ServiceUnavailable().finish()
        }
    })
}
