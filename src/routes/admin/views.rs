//! View models and templates of the staff pages.

use askama::Template;

use crate::db::api_tokens::ApiToken;
use crate::db::audit::AuditEntry;
use crate::db::partners::Partner;
use crate::db::reports::CountRow;
use crate::domain::{CampaignInput, Lang};
use crate::i18n::{CountryName, Tr};
use crate::routes::views::LanguageChoice;

#[derive(Clone)]
pub struct AdminPage {
    pub tr: Tr,
    pub stylesheet: &'static str,
    pub icon: &'static str,
    pub path: String,
    /// Set when someone is signed in: their email and the token their forms carry.
    pub staff_email: Option<String>,
    pub csrf_token: String,
}

impl AdminPage {
    pub fn is_current(&self, prefix: &str) -> bool {
        self.path.starts_with(prefix)
    }

    /// The languages staff pages come in. Signed-in staff send their choice to their
    /// account; before sign-in each is a link to this page in that language.
    pub fn language_choices(&self) -> Vec<LanguageChoice> {
        Lang::ALL
            .iter()
            .map(|&lang| LanguageChoice {
                code: lang.code(),
                name: lang.endonym(),
                href: format!("{}?lang={}", self.path, lang.code()),
                current: lang == self.tr.lang(),
            })
            .collect()
    }
}

#[derive(Template)]
#[template(path = "admin/login.html")]
pub struct LoginPage {
    pub page: AdminPage,
    pub email: String,
    pub csrf_token: String,
    pub error: Option<String>,
}

/// A staff page with one message, such as why a form was refused.
#[derive(Template)]
#[template(path = "admin/message.html")]
pub struct StaffMessagePage {
    pub page: AdminPage,
    pub title: String,
    pub body: String,
}

pub struct CampaignRow {
    pub slug: String,
    pub title: String,
    pub open: bool,
    pub confirmed: String,
    pub pending: String,
    pub goal: String,
}

#[derive(Template)]
#[template(path = "admin/campaigns.html")]
pub struct CampaignListPage {
    pub page: AdminPage,
    pub campaigns: Vec<CampaignRow>,
}

pub struct LanguageFields {
    pub code: &'static str,
    pub name: &'static str,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub target: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/campaign_form.html")]
pub struct CampaignFormPage {
    pub page: AdminPage,
    /// `None` when creating a campaign.
    pub editing: Option<String>,
    pub action: String,
    pub values: CampaignInput,
    /// Field names and message ids, as `CampaignDraft::parse` gives them.
    pub errors: Vec<(&'static str, &'static str)>,
    pub countries: &'static [CountryName],
    pub languages: Vec<LanguageFields>,
}

impl CampaignFormPage {
    /// The problem with `field`, in the staff member's language.
    pub fn error(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, message)| self.page.tr.t(message))
    }

    /// What the goal may do once reached: stay, or grow by one of these factors.
    pub fn goal_multiplier_options(&self) -> Vec<(&'static str, String, bool)> {
        let chosen = match self.values.goal_multiplier.trim() {
            "" => "1",
            other => other,
        };
        ["1", "2", "5", "10"]
            .into_iter()
            .map(|value| {
                let label = match value {
                    "1" => self.page.tr.t("admin-goal-keep"),
                    factor => self.page.tr.t1("admin-goal-multiply", "factor", factor),
                };
                (value, label, value == chosen)
            })
            .collect()
    }

    pub fn language_options(&self) -> Vec<(&'static str, &'static str, bool)> {
        Lang::ALL
            .iter()
            .map(|lang| {
                (
                    lang.code(),
                    lang.endonym(),
                    lang.code() == self.values.default_lang,
                )
            })
            .collect()
    }
}

/// One bar of the signatures-per-day chart, in SVG user units.
pub struct Bar {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    pub label: String,
}

/// Signatures per day as an SVG bar chart drawn on the server, so it needs no JavaScript.
pub struct DayChart {
    pub width: u32,
    pub height: u32,
    pub bars: Vec<Bar>,
    /// The busiest day's count, written as the staff member's language writes numbers.
    pub max: String,
    pub first_day: String,
    pub last_day: String,
}

impl DayChart {
    pub const HEIGHT: u32 = 160;
    const BAR: u32 = 14;
    const GAP: u32 = 4;

    /// `days` are (day, confirmed) pairs in date order, one per day with signatures.
    pub fn new(days: &[(String, i64)], tr: Tr) -> Self {
        let max = days.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
        let bars = days
            .iter()
            .enumerate()
            .map(|(i, (day, count))| {
                let height = u32::try_from(*count * i64::from(Self::HEIGHT) / max).unwrap_or(0);
                let index = u32::try_from(i).unwrap_or(u32::MAX);
                Bar {
                    x: index.saturating_mul(Self::BAR + Self::GAP),
                    y: Self::HEIGHT - height,
                    width: Self::BAR,
                    height,
                    label: format!("{}: {}", tr.day_key(day), tr.number(*count)),
                }
            })
            .collect::<Vec<_>>();
        Self {
            width: u32::try_from(bars.len()).unwrap_or(0).max(1) * (Self::BAR + Self::GAP),
            height: Self::HEIGHT,
            max: tr.number(max),
            first_day: days.first().map(|(d, _)| tr.day_key(d)).unwrap_or_default(),
            last_day: days.last().map(|(d, _)| tr.day_key(d)).unwrap_or_default(),
            bars,
        }
    }
}

/// `part` of `whole` as a whole percentage, or a dash when there is no whole.
pub fn percent(part: i64, whole: i64, tr: Tr) -> String {
    if whole == 0 {
        "—".to_owned()
    } else {
        tr.percent((part as f64 * 100.0 / whole as f64).round() as i64)
    }
}

/// One day's confirmation rate: of the signatures made that day, how many are confirmed.
pub struct RateRow {
    pub day: String,
    pub signed: String,
    pub confirmed: String,
    pub rate: String,
}

impl RateRow {
    /// Signatures by the day they were made, newest first, for the last `days` of them.
    pub fn recent(by_day: &[CountRow], days: usize, tr: Tr) -> Vec<Self> {
        by_day
            .iter()
            .rev()
            .take(days)
            .map(|row| {
                let signed = row.confirmed + row.pending;
                Self {
                    day: row
                        .keys
                        .first()
                        .map(|day| tr.day_key(day))
                        .unwrap_or_default(),
                    signed: tr.number(signed),
                    confirmed: tr.number(row.confirmed),
                    rate: percent(row.confirmed, signed, tr),
                }
            })
            .collect()
    }
}

/// One line of a dashboard table of counts: a country or source, named for staff.
pub struct CountLine {
    pub label: String,
    pub confirmed: String,
    pub pending: String,
}

impl CountLine {
    pub fn new(label: String, row: &CountRow, tr: Tr) -> Self {
        Self {
            label,
            confirmed: tr.number(row.confirmed),
            pending: tr.number(row.pending),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
pub struct DashboardPage {
    pub page: AdminPage,
    pub slug: String,
    pub title: String,
    pub open: bool,
    /// Staff's note while signing is paused; empty when supporters see the standard one.
    pub paused: Option<String>,
    pub confirmed: String,
    pub pending: String,
    /// Confirmation and other emails to this campaign's signers that were given up on.
    pub failed_emails: String,
    pub opt_in_rate: String,
    /// Confirmed of all signed, overall and per day signed.
    pub confirmation_rate: String,
    pub rates: Vec<RateRow>,
    pub chart: DayChart,
    pub by_country: Vec<CountLine>,
    pub by_source: Vec<CountLine>,
    pub public_url: String,
    pub snippets: Vec<Snippets>,
}

#[derive(Template)]
#[template(path = "admin/tokens.html")]
pub struct TokensPage {
    pub page: AdminPage,
    pub tokens: Vec<ApiToken>,
    pub partners: Vec<Partner>,
    /// A token just created, shown this once.
    pub new_token: Option<(String, String)>,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/partners.html")]
pub struct PartnersPage {
    pub page: AdminPage,
    pub partners: Vec<Partner>,
    pub error: Option<String>,
}

/// Ready-to-paste code that puts the campaign's form on a partner's page.
pub struct Snippets {
    pub label: String,
    pub script: String,
    pub iframe: String,
}

impl Snippets {
    pub fn new(
        label: String,
        base_url: &str,
        slug: &str,
        source: Option<&str>,
        lang: Lang,
    ) -> Self {
        let source_attribute = source
            .map(|s| format!(" data-source=\"{s}\""))
            .unwrap_or_default();
        let source_query = source.map(|s| format!("source={s}&")).unwrap_or_default();
        let title = Tr(lang).t("embed-frame-title");
        Self {
            label,
            script: format!(
                "<script src=\"{base_url}/embed.js\" data-campaign=\"{slug}\"{source_attribute} data-lang=\"{}\" async></script>",
                lang.code()
            ),
            iframe: format!(
                "<iframe src=\"{base_url}/embed/{slug}?{source_query}lang={}\" title=\"{title}\" width=\"100%\" height=\"1200\" style=\"border: 0\" loading=\"lazy\"></iframe>",
                lang.code()
            ),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/erase.html")]
pub struct ErasePage {
    pub page: AdminPage,
    pub campaigns: Vec<(String, String)>,
    pub email: String,
    pub outcome: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
pub struct AuditPage {
    pub page: AdminPage,
    pub entries: Vec<AuditEntry>,
    pub older: Option<i64>,
}

/// One language's fields of the update form.
pub struct UpdateFields {
    pub code: &'static str,
    pub name: &'static str,
    pub subject: String,
    pub body: String,
    pub subject_error: Option<String>,
    pub body_error: Option<String>,
}

/// A campaign's updates, and the form to write a new one.
#[derive(Template)]
#[template(path = "admin/updates.html")]
pub struct UpdatesPage {
    pub page: AdminPage,
    pub slug: String,
    pub title: String,
    pub updates: Vec<UpdateSummary>,
    pub fields: Vec<UpdateFields>,
    pub has_errors: bool,
}

pub struct UpdateSummary {
    pub id: i64,
    pub subject: String,
    pub created: String,
    /// Empty while not sent.
    pub sent: String,
    pub progress: UpdateProgress,
    pub published: bool,
    pub is_target_response: bool,
}

pub struct UpdateProgress {
    pub queued: String,
    pub sent: String,
    pub failed: String,
    pub waiting: String,
}

/// One language of an update as signers will get it.
pub struct UpdatePreview {
    pub code: &'static str,
    pub name: &'static str,
    pub subject: String,
    /// Already escaped: every character of staff's text, with links made.
    pub body_html: String,
    pub text: String,
}

/// One update: its preview, how far it has gone, and what staff can do with it.
#[derive(Template)]
#[template(path = "admin/update.html")]
pub struct UpdatePage {
    pub page: AdminPage,
    pub slug: String,
    pub campaign_title: String,
    pub id: i64,
    pub created: String,
    /// When and by whom it was sent; `None` while it can still be edited.
    pub sent: Option<(String, String)>,
    pub queueing: bool,
    pub progress: UpdateProgress,
    pub published: Option<String>,
    pub is_target_response: bool,
    pub previews: Vec<UpdatePreview>,
    /// The edit form, while not sent.
    pub fields: Vec<UpdateFields>,
    /// What the last action did, or why it was refused.
    pub notice: Option<String>,
    pub error: Option<String>,
    /// When sending was refused by the daily rule: the override is offered, checked off.
    pub too_soon: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_busiest_day_fills_the_chart_and_others_scale() {
        let chart = DayChart::new(
            &[("2026-11-20".into(), 500), ("2026-11-21".into(), 1000)],
            Tr(Lang::Pt),
        );
        assert_eq!(chart.bars.len(), 2);
        assert_eq!(chart.bars[1].height, DayChart::HEIGHT);
        assert_eq!(chart.bars[0].height, DayChart::HEIGHT / 2);
        assert_eq!(chart.bars[0].y + chart.bars[0].height, DayChart::HEIGHT);
        assert!(chart.bars[1].x > chart.bars[0].x);
        assert_eq!(chart.bars[1].label, "21 de novembro de 2026: 1.000");
        assert_eq!(chart.max, "1.000");
        assert_eq!(chart.first_day, "20 de novembro de 2026");
    }

    #[test]
    fn an_empty_chart_is_still_drawable() {
        let chart = DayChart::new(&[], Tr(Lang::En));
        assert!(chart.bars.is_empty());
        assert!(chart.width > 0);
    }
}

/// One kiosk in the staff list.
pub struct KioskRow {
    pub id: i64,
    pub event: String,
    pub created: String,
    pub expires: String,
    /// Open, revoked or expired, in words.
    pub state: String,
    pub open: bool,
    /// Each count as this staff member's language writes numbers.
    pub counted: String,
    pub duplicates: String,
    pub invalid: String,
    pub refused: String,
    /// What the device last said it held, and when; `None` before it first said.
    pub waiting: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "admin/kiosks.html")]
pub struct KiosksPage {
    pub page: AdminPage,
    pub slug: String,
    pub title: String,
    pub kiosks: Vec<KioskRow>,
    /// The campaign's events, offered in the event field.
    pub events: Vec<String>,
    /// A link just made, shown this once.
    pub new_link: Option<String>,
    /// What was typed, kept when the form comes back with an error.
    pub values: KioskFormValues,
    pub error: Option<(&'static str, String)>,
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct KioskFormValues {
    pub event: String,
    pub place: String,
    pub held_on: String,
    pub source: String,
    pub expires: String,
    pub csrf_token: String,
}

impl KiosksPage {
    pub fn error_for(&self, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(name, _)| *name == field)
            .map(|(_, message)| message.as_str())
    }

    /// The lifetimes offered, the one chosen (or three days) selected.
    pub fn lifetimes(&self) -> Vec<(&'static str, String, bool)> {
        let chosen = if self.values.expires.is_empty() {
            "3d"
        } else {
            self.values.expires.as_str()
        };
        ["12h", "1d", "3d", "7d", "14d"]
            .into_iter()
            .map(|code| {
                let label = self.page.tr.t(&format!("admin-kiosk-expires-{code}"));
                (code, label, code == chosen)
            })
            .collect()
    }
}
