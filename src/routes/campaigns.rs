//! Campaign pages and the signing form's answers, on Mariposa's own pages and embedded in
//! partners'. What a posted form leads to is in `signing`.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, HeaderValue, REFERER, RETRY_AFTER,
};
use std::convert::Infallible;
use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse, HttpResponseBuilder, web};
use askama::Template;
use chrono::Utc;

use super::middleware::content_security_policy;
use super::share_picture;
use super::{
    PageError, html, load_campaign, message_page, negotiate_lang, not_found_page, page,
    query_param, render, unrenderable,
};
use crate::db::campaigns::{Campaign, CampaignWithTexts};
use crate::domain::{ConfirmationHistory, FieldErrors, Lang, SignatureInput, Source};
use crate::i18n::Tr;
use crate::pages::{
    Action, CampaignPage, CampaignView, EmbedMessagePage, EmbedPage, FormView, HistoryChart,
    IndexPage, MessagePage, OpenGraph, Page, ShareView, ThanksPage, UpdateView,
};
use crate::routes::AppState;

pub async fn index(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let tr = Tr(negotiate_lang(&req, None));
    let open = state.campaigns.open(Utc::now().naive_utc());
    let campaigns = open
        .iter()
        .map(|c| CampaignView::new(c, state.counts.tally(c.campaign.id), tr))
        .collect();
    render(
        StatusCode::OK,
        &IndexPage {
            page: page(tr, &req),
            campaigns,
        },
    )
}

/// Where the signing form is shown: on Mariposa's own campaign page, or alone inside a
/// partner's iframe, where every page it leads to must stay too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    Site,
    Embed,
}

impl Surface {
    /// The path the form's pages hang from.
    pub(super) fn base_path(self, slug: &str) -> String {
        match self {
            Surface::Site => format!("/campaigns/{slug}"),
            Surface::Embed => format!("/embed/{slug}"),
        }
    }

    /// Embedded pages may be framed by the sites the campaign allows; every other page
    /// keeps the default policy that refuses framing.
    fn frame_policy(self, campaign: &Campaign) -> Option<HeaderValue> {
        (self == Surface::Embed)
            .then(|| content_security_policy(&campaign.embed_origins().frame_ancestors()))
            .and_then(|policy| HeaderValue::from_str(&policy).ok())
    }

    fn finish(self, campaign: &Campaign, mut response: HttpResponse) -> HttpResponse {
        if let Some(policy) = self.frame_policy(campaign) {
            response
                .headers_mut()
                .insert(CONTENT_SECURITY_POLICY, policy);
        }
        response
    }
}

/// The surface a request is for, read from its path: the form's pages under `/embed/` are
/// the partner's iframe, the others Mariposa's own pages.
impl FromRequest for Surface {
    type Error = Infallible;
    type Future = Ready<Result<Self, Infallible>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let embedded = req.path().starts_with("/embed/");
        ready(Ok(if embedded { Self::Embed } else { Self::Site }))
    }
}

/// A page's `?lang=` and, when there is a well-formed one, `&source=`, so that links and
/// redirects inside the form's pages keep the language and the partner's attribution.
pub(super) fn lang_and_source(lang: Lang, source: Option<&Source>) -> String {
    match source {
        Some(source) => format!("?lang={}&source={}", lang.code(), source.as_str()),
        None => format!("?lang={}", lang.code()),
    }
}

/// The `?source=` of the page a form was sent from, as browsers tell in `Referer` (the
/// site's `strict-origin-when-cross-origin` policy keeps the query for its own pages). A
/// page opened with a source that is not a partner's is served without it, from the cache,
/// and its signatures are attributed this way. Someone who forges the header could as well
/// write any source into the form's field.
pub(super) fn source_of_the_page(req: &HttpRequest) -> Option<String> {
    let referer = req.headers().get(REFERER)?.to_str().ok()?;
    let query = url::Url::parse(referer).ok()?;
    let raw = query
        .query_pairs()
        .find_map(|(name, value)| (name == "source").then_some(value))?;
    Source::parse_lenient(&raw).map(|source| source.as_str().to_owned())
}

/// The campaign page with a fresh form. Everyone asking for the same page within a second
/// gets the same rendering: its form token is the same for all of them anyway, as tokens
/// carry the issue time in whole seconds, and its count is at most a second older than the
/// in-memory count. A staff edit changes `updated_at`, and publishing an update changes the
/// updates shown, so either shows at once.
pub async fn show(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
    surface: Surface,
) -> Result<HttpResponse, PageError> {
    let Some(campaign) = load_campaign(&state, &slug, &req).await? else {
        return Ok(not_found_page(Tr(negotiate_lang(&req, None)), &req));
    };
    // Only a partner's or a share link's source makes a page of its own; any other is
    // attributed from the address the form was sent from (see `signing::sign`).
    let source = match query_param(&req, "source").and_then(|raw| Source::parse_lenient(&raw)) {
        Some(source) => state
            .known_sources
            .known(&state.db, source)
            .await
            .unwrap_or_else(|error| {
                tracing::warn!(error = ?error, "the partners' codes could not be read");
                None
            })
            .map(|source| source.as_str().to_owned())
            .unwrap_or_default(),
        None => String::new(),
    };
    let ctx = FormContext {
        state: &state,
        req: &req,
        campaign: &campaign,
        tr: Tr(campaign.page_lang(negotiate_lang(&req, Some(campaign.campaign.default_lang())))),
        surface,
        history: chart_history(&state, &campaign, surface).await,
        partner: partner_of(&state, &source).await,
    };
    let key = format!(
        "{surface:?}|{}|{}|{}|{}|{source}",
        campaign.campaign.id,
        campaign.campaign.updated_at,
        campaign.updates_version(),
        ctx.tr.lang().code()
    );
    let renderer = ctx.renderer();
    let rendered = state
        .pages
        .get_or_render(&key, move || {
            let values = SignatureInput {
                country: renderer.campaign.campaign.default_country.clone(),
                source,
                ..SignatureInput::default()
            };
            renderer.body(values, &FieldErrors::default(), None)
        })
        .await;
    Ok(match rendered {
        Ok(rendered) => rendered.respond(&req, ctx.form_headers(StatusCode::OK)),
        Err(error) => unrenderable(&error),
    })
}

/// What every answer about one campaign's form needs.
pub(super) struct FormContext<'a> {
    pub(super) state: &'a web::Data<AppState>,
    pub(super) req: &'a HttpRequest,
    pub(super) campaign: &'a Arc<CampaignWithTexts>,
    pub(super) tr: Tr,
    pub(super) surface: Surface,
    /// What the campaign page's chart is drawn from; the embedded form has no chart.
    pub(super) history: Option<Arc<ConfirmationHistory>>,
    /// The partner whose code the form carries, by name: the form asks for its consent too.
    pub(super) partner: Option<String>,
}

/// The name of the partner whose code is `source`. When the codes cannot be read the form
/// goes without the partner's box, which leaves the signer's data with the organisation.
pub(super) async fn partner_of(state: &AppState, source: &str) -> Option<String> {
    state
        .known_sources
        .partner_name(&state.db, source)
        .await
        .unwrap_or_else(|error| {
            tracing::warn!(error = ?error, "the partners' names could not be read");
            None
        })
}

/// The campaign page or the embedded form, rendered from owned parts: a page a cache
/// misses is rendered on the blocking pool, off the async workers.
struct FormRenderer {
    state: web::Data<AppState>,
    campaign: Arc<CampaignWithTexts>,
    tr: Tr,
    surface: Surface,
    history: Option<Arc<ConfirmationHistory>>,
    partner: Option<String>,
    page: Page,
}

impl FormRenderer {
    fn body(
        &self,
        values: SignatureInput,
        errors: &FieldErrors,
        notice: Option<&str>,
    ) -> Result<String, askama::Error> {
        let (campaign, tr) = (&self.campaign.campaign, self.tr);
        let now = self.state.clock.now();
        let base = self.surface.base_path(&campaign.slug);
        let full_page = format!(
            "/campaigns/{}{}",
            campaign.slug,
            lang_and_source(tr.lang(), Source::parse_lenient(&values.source).as_ref())
        );
        let takes_signatures =
            campaign.accepts_signatures(now.naive_utc()) && campaign.pause().is_none();
        let form = takes_signatures.then(|| {
            let form = FormView::new(
                tr,
                format!("{base}/sign"),
                self.state.form_key.issue(campaign.id, now),
                values,
                errors,
                campaign.postal_code_required,
            );
            let organisation = self.state.organisation.current();
            let form = form.with_consents(
                organisation.settings.short_name(tr.lang()),
                self.partner.as_deref(),
            );
            match notice {
                Some(key) => form.with_notice(tr.t(key)),
                None => form,
            }
        });
        let view = CampaignView::new(&self.campaign, self.state.counts.tally(campaign.id), tr);
        match self.surface {
            Surface::Site => {
                let (target_response, updates) = UpdateView::of_campaign(&self.campaign, tr);
                let picture = share_picture::link(
                    &self.campaign,
                    &self.state.organisation.current(),
                    tr,
                    &view.title,
                );
                CampaignPage {
                    page: self.page.clone(),
                    open_graph: OpenGraph::new(
                        &self.state.base_url,
                        &view,
                        tr,
                        &self.campaign.languages(),
                        picture,
                    ),
                    history: self.history.as_deref().and_then(|history| {
                        HistoryChart::new(history, now.date_naive(), &campaign.slug, tr)
                    }),
                    campaign: view,
                    form,
                    target_response,
                    updates,
                }
                .render()
            }
            Surface::Embed => EmbedPage {
                page: self.page.clone(),
                campaign: view,
                form,
                full_page,
            }
            .render(),
        }
    }
}

/// The count history for the campaign page's chart, from memory (rebuilt at most once a
/// minute). Without it the page is still served, without the chart.
pub(super) async fn chart_history(
    state: &AppState,
    campaign: &CampaignWithTexts,
    surface: Surface,
) -> Option<Arc<ConfirmationHistory>> {
    if surface != Surface::Site {
        return None;
    }
    match state.history.get(&state.db, campaign.campaign.id).await {
        Ok(history) => Some(history),
        Err(error) => {
            tracing::warn!(error = ?error, "the count history could not be read");
            None
        }
    }
}

impl FormContext<'_> {
    /// The form in a given state: fresh, with errors, or with a notice; or, when the
    /// campaign no longer takes signatures, a note saying so.
    pub(super) fn form_page(
        &self,
        status: StatusCode,
        values: SignatureInput,
        errors: &FieldErrors,
        notice: Option<&str>,
    ) -> HttpResponse {
        match self.form_body(values, errors, notice) {
            Ok(body) => self.form_headers(status).body(body),
            Err(error) => unrenderable(&error),
        }
    }

    /// Every page with a form carries a form token: browsers may keep one but must ask
    /// again before showing it, and shared caches must not hand it to others.
    fn form_headers(&self, status: StatusCode) -> HttpResponseBuilder {
        let mut builder = html(status);
        builder.insert_header((CACHE_CONTROL, "private, no-cache"));
        if let Some(policy) = self.surface.frame_policy(&self.campaign.campaign) {
            builder.insert_header((CONTENT_SECURITY_POLICY, policy));
        }
        builder
    }

    fn form_body(
        &self,
        values: SignatureInput,
        errors: &FieldErrors,
        notice: Option<&str>,
    ) -> Result<String, askama::Error> {
        self.renderer().body(values, errors, notice)
    }

    /// What rendering the form's page takes, owned, so that it may be rendered elsewhere.
    fn renderer(&self) -> FormRenderer {
        FormRenderer {
            state: web::Data::clone(self.state),
            campaign: Arc::clone(self.campaign),
            tr: self.tr,
            surface: self.surface,
            history: self.history.clone(),
            partner: self.partner.clone(),
            page: page(self.tr, self.req).with_languages(self.campaign.languages()),
        }
    }

    /// The form again, filled in, with `notice_key` saying why it was not saved and a
    /// `Retry-After` of `seconds`.
    pub(super) fn retry_later(
        &self,
        input: SignatureInput,
        notice_key: &str,
        seconds: &'static str,
    ) -> HttpResponse {
        let mut response = self.form_page(
            StatusCode::SERVICE_UNAVAILABLE,
            input,
            &FieldErrors::default(),
            Some(notice_key),
        );
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from_static(seconds));
        response
    }

    pub(super) fn message(
        &self,
        status: StatusCode,
        title_key: &str,
        paragraph_keys: &[&str],
        action: Option<Action>,
    ) -> HttpResponse {
        let message = message_page(self.tr, self.req, title_key, paragraph_keys, action);
        self.respond_with(status, message)
    }

    /// A message followed by the share step.
    pub(super) fn respond_with(&self, status: StatusCode, message: MessagePage) -> HttpResponse {
        let response = match self.surface {
            Surface::Site => render(status, &message),
            Surface::Embed => render(status, &EmbedMessagePage::from(message)),
        };
        self.surface.finish(&self.campaign.campaign, response)
    }
}

pub async fn thanks(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let Some(campaign) = load_campaign(&state, &slug, &req).await? else {
        return Ok(not_found_page(Tr(negotiate_lang(&req, None)), &req));
    };
    let tr = Tr(negotiate_lang(&req, Some(campaign.campaign.default_lang())));
    let view = CampaignView::new(&campaign, state.counts.tally(campaign.campaign.id), tr);
    Ok(render(
        StatusCode::OK,
        &ThanksPage {
            page: page(tr, &req),
            share: ShareView::new(tr, &state.base_url, &view, "thanks-share"),
            campaign: view,
        },
    ))
}
