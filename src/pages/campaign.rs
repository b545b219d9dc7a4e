//! What pages show: view models filled by handlers and the Askama templates that render them.

use askama::Template;
use chrono::{NaiveDate, Utc};

use super::{Action, FormView, Page, assets};
use crate::cache::counts::Tally;
use crate::db::campaigns::{Campaign, CampaignWithTexts};
use crate::domain::{ConfirmationHistory, Lang, ShareChannel, text_for};
use crate::i18n::Tr;

/// A campaign as a supporter sees it, in one language.
pub struct CampaignView {
    pub slug: String,
    pub title: String,
    /// "To: Presidencia de la República", when the campaign names its target.
    pub to: Option<String>,
    pub summary: String,
    pub paragraphs: Vec<String>,
    pub href: String,
    pub count: String,
    pub count_label: String,
    pub goal: String,
    pub count_value: i64,
    pub goal_value: i64,
    /// The progress bar read aloud: "3 de 43,000 firmas" rather than a bare percentage.
    pub progress_text: String,
    /// What supporters are told while staff have paused signing on an open campaign.
    pub paused: Option<String>,
    /// "12,480 online and 3,120 on paper", once anyone signed in person.
    pub channels: Option<String>,
}

impl CampaignView {
    pub fn new(campaign: &CampaignWithTexts, tally: Tally, tr: Tr) -> Self {
        let count = tally.total();
        let (title, summary, body) = campaign
            .text(tr.lang())
            .map(|t| (t.title.clone(), t.summary.clone(), t.body.as_str()))
            .unwrap_or_else(|| (campaign.campaign.slug.clone(), String::new(), ""));
        let to = campaign
            .text(tr.lang())
            .map(|t| t.target.trim())
            .filter(|target| !target.is_empty())
            .map(|target| tr.t1("campaign-to", "target", target));
        let goal = campaign.campaign.current_goal(count);
        let (count_text, goal_text) = (tr.number(count), tr.number(goal));
        Self {
            slug: campaign.campaign.slug.clone(),
            href: format!(
                "/campaigns/{}?lang={}",
                campaign.campaign.slug,
                tr.lang().code()
            ),
            title,
            to,
            summary,
            paragraphs: paragraphs(body),
            progress_text: tr.t2(
                "campaign-progress-text",
                ("count", &count_text),
                ("goal", &goal_text),
            ),
            count_label: tr.plural("campaign-signatures", count),
            goal: tr.t1("campaign-goal", "goal", &goal_text),
            count: count_text,
            count_value: count.min(goal),
            goal_value: goal,
            paused: paused_note(&campaign.campaign, tr),
            channels: (tally.in_person > 0).then(|| {
                tr.t2(
                    "campaign-count-channels",
                    ("online", &tr.number(tally.online)),
                    ("paper", &tr.number(tally.in_person)),
                )
            }),
        }
    }
}

/// Staff's words when they paused signing, else the standard note; `None` while signing is
/// not paused, and on a closed campaign, whose own note says more.
pub fn paused_note(campaign: &Campaign, tr: Tr) -> Option<String> {
    let pause = campaign.pause()?;
    campaign
        .accepts_signatures(Utc::now().naive_utc())
        .then(|| {
            pause
                .message
                .map_or_else(|| tr.t("campaign-paused"), str::to_owned)
        })
}

/// Campaign texts are plain text; a blank line starts a new paragraph.
fn paragraphs(body: &str) -> Vec<String> {
    body.replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The share step shown after signing: a plain link per channel, the address to copy, and
/// the browser's share sheet for where scripts run.
pub struct ShareView {
    pub heading: String,
    pub links: Vec<Action>,
    pub copy_url: String,
    pub native_url: String,
    pub title: String,
    pub message: String,
    pub script: &'static str,
    /// The copy button's script.
    pub copy_script: &'static str,
}

impl ShareView {
    pub fn new(tr: Tr, base_url: &str, campaign: &CampaignView, heading_key: &str) -> Self {
        let campaign_url = format!("{base_url}{}", campaign.href);
        let message = tr.t1("share-message", "campaign", &campaign.title);
        let links = ShareChannel::LINKS
            .iter()
            .filter_map(|&channel| {
                let href = channel.href(&message, &campaign_url)?;
                // Services go by their own names; "email" is said in the reader's language.
                let label = channel
                    .brand()
                    .map_or_else(|| tr.t("share-email"), str::to_owned);
                Some(Action { href, label })
            })
            .collect();
        Self {
            heading: tr.t(heading_key),
            links,
            copy_url: ShareChannel::Link.campaign_url(&campaign_url),
            native_url: ShareChannel::Native.campaign_url(&campaign_url),
            title: campaign.title.clone(),
            message,
            script: assets::share_script(),
            copy_script: assets::copy_script(),
        }
    }
}

#[derive(Template)]
#[template(path = "index.html")]
pub struct IndexPage {
    pub page: Page,
    pub campaigns: Vec<CampaignView>,
}

/// What link previews (Open Graph, X cards) show when someone shares a campaign.
pub struct OpenGraph {
    pub title: String,
    pub description: String,
    pub url: String,
    pub locale: &'static str,
    pub alternate_locales: Vec<&'static str>,
    pub image: String,
    pub image_alt: String,
}

impl OpenGraph {
    /// `picture` is the campaign's own link-preview picture and its description;
    /// `languages`, those the campaign has texts in, the only other locales it names.
    pub fn new(
        base_url: &str,
        campaign: &CampaignView,
        tr: Tr,
        languages: &[Lang],
        (picture, picture_alt): (String, String),
    ) -> Self {
        // The count leads, so a preview shows how many have signed already.
        let count = format!("{} {}.", campaign.count, campaign.count_label);
        let description = if campaign.summary.is_empty() {
            count
        } else {
            format!("{count} {}", campaign.summary)
        };
        Self {
            title: campaign.title.clone(),
            description,
            url: format!("{base_url}{}", campaign.href),
            locale: tr.lang().locale(),
            alternate_locales: languages
                .iter()
                .filter(|&&lang| lang != tr.lang())
                .map(|lang| lang.locale())
                .collect(),
            image: format!("{base_url}{picture}"),
            image_alt: picture_alt,
        }
    }
}

/// Which of `count` days a time axis labels: the first, the last, and about three evenly
/// between, so that labels never crowd.
pub fn day_ticks(count: usize) -> Vec<usize> {
    match count {
        0 => vec![],
        1 => vec![0],
        _ => {
            let step = count.div_ceil(4).max(1);
            let mut ticks: Vec<usize> = (0..count - 1).step_by(step).collect();
            // The last label needs room from the one before it.
            if ticks
                .last()
                .is_some_and(|&last| count - 1 - last < step / 2 + 1)
                && ticks.len() > 1
            {
                ticks.pop();
            }
            ticks.push(count - 1);
            ticks
        }
    }
}

/// The last 30 days of a campaign's count as a small bar chart drawn on the server, with
/// the same figures as text for those who do not see the picture.
pub struct HistoryChart {
    pub bars: Vec<ChartBar>,
    /// Dates under the time axis.
    pub ticks: Vec<ChartTick>,
    pub summary: String,
    pub rows: Vec<ChartRow>,
    /// The open data the chart is drawn from.
    pub csv: String,
    pub json: String,
}

/// One day's bar, in the chart's own units.
pub struct ChartBar {
    pub x: String,
    pub y: String,
    pub height: String,
}

/// A date under the chart's time axis, anchored at its start, middle or end.
pub struct ChartTick {
    pub x: String,
    pub anchor: &'static str,
    pub label: String,
}

pub struct ChartRow {
    pub day: String,
    pub confirmed: String,
    pub cumulative: String,
}

impl HistoryChart {
    pub const DAYS: u32 = 30;
    /// The drawing is 600 × 120 units: 30 bars 16 wide, 20 apart.
    const HEIGHT: f64 = 120.0;
    const STEP: f64 = 20.0;

    /// `None` until the campaign has a confirmed signature: an empty chart says nothing.
    pub fn new(
        history: &ConfirmationHistory,
        today: NaiveDate,
        slug: &str,
        tr: Tr,
    ) -> Option<Self> {
        if history.total() == 0 {
            return None;
        }
        let days = history.last_days(today, Self::DAYS);
        let highest = days.iter().map(|d| d.confirmed).max().unwrap_or(0).max(1);
        let bars = days
            .iter()
            .enumerate()
            .map(|(i, day)| {
                let height = Self::HEIGHT * day.confirmed as f64 / highest as f64;
                ChartBar {
                    x: format!("{:.0}", i as f64 * Self::STEP + 2.0),
                    y: format!("{:.1}", Self::HEIGHT - height),
                    height: format!("{height:.1}"),
                }
            })
            .collect();
        let ticks = day_ticks(days.len())
            .into_iter()
            .map(|index| {
                let (x, anchor) = if index == 0 {
                    (0.0, "start")
                } else if index + 1 == days.len() {
                    (600.0, "end")
                } else {
                    (index as f64 * Self::STEP + 10.0, "middle")
                };
                ChartTick {
                    x: format!("{x:.0}"),
                    anchor,
                    label: tr.day_month(days[index].start.date()),
                }
            })
            .collect();
        let recent: i64 = days.iter().map(|d| d.confirmed).sum();
        let rows = days
            .iter()
            .rev()
            .map(|day| ChartRow {
                day: tr.date(day.start.date()),
                confirmed: tr.number(day.confirmed),
                cumulative: tr.number(day.cumulative),
            })
            .collect();
        Some(Self {
            bars,
            ticks,
            summary: tr.t1("history-summary", "count", &tr.number(recent)),
            rows,
            csv: format!("/api/v1/campaigns/{slug}/history.csv"),
            json: format!("/api/v1/campaigns/{slug}/history"),
        })
    }
}

#[derive(Template)]
#[template(path = "campaign.html")]
pub struct CampaignPage {
    pub page: Page,
    pub campaign: CampaignView,
    pub form: Option<FormView>,
    pub open_graph: OpenGraph,
    pub history: Option<HistoryChart>,
    /// The target's response, shown near the top.
    pub target_response: Option<UpdateView>,
    /// Other published updates, newest first.
    pub updates: Vec<UpdateView>,
}

/// An update published on the campaign page, in the reader's language when it has one.
pub struct UpdateView {
    /// ISO 8601, as the count history shows days.
    pub date: String,
    /// The text's language when it is not the page's, so screen readers switch voice.
    pub lang: Option<&'static str>,
    pub subject: String,
    /// Escaped, with web addresses as links.
    pub body_html: String,
}

impl UpdateView {
    /// The campaign's target's response, if staff marked one, and its other updates.
    pub fn of_campaign(campaign: &CampaignWithTexts, tr: Tr) -> (Option<Self>, Vec<Self>) {
        let default = campaign.campaign.default_lang();
        let mut response = None;
        let mut others = Vec::new();
        for update in &campaign.updates {
            let Some(text) = text_for(&update.texts, tr.lang(), default) else {
                continue;
            };
            let view = Self {
                date: update.published_at.format("%Y-%m-%d").to_string(),
                lang: (text.lang() != tr.lang()).then(|| text.lang().code()),
                subject: text.subject().to_owned(),
                body_html: text.body_html(),
            };
            if update.is_target_response && response.is_none() {
                response = Some(view);
            } else {
                others.push(view);
            }
        }
        (response, others)
    }
}

impl CampaignPage {
    /// Whether this is the form sent back with problems; its title then says so first.
    pub fn has_errors(&self) -> bool {
        self.form.as_ref().is_some_and(FormView::has_errors)
    }
}

/// The form alone, for an iframe on a partner's page.
#[derive(Template)]
#[template(path = "embed.html")]
pub struct EmbedPage {
    pub page: Page,
    pub campaign: CampaignView,
    pub form: Option<FormView>,
    /// The campaign's own page, opened in a new tab for the whole text.
    pub full_page: String,
}

impl EmbedPage {
    /// Whether this is the form sent back with problems; its title then says so first.
    pub fn has_errors(&self) -> bool {
        self.form.as_ref().is_some_and(FormView::has_errors)
    }
}

#[derive(Template)]
#[template(path = "thanks.html")]
pub struct ThanksPage {
    pub page: Page,
    pub campaign: CampaignView,
    pub share: ShareView,
}

/// A campaign's count as a 320×80 image: the title, the count, and a bar toward the goal.
#[derive(Template)]
#[template(path = "badge.svg")]
pub struct Badge {
    pub campaign: CampaignView,
    /// The title, shortened to fit on one line.
    pub title: String,
    pub bar_width: String,
}

impl Badge {
    const BAR_WIDTH: f64 = 288.0;
    const TITLE_CHARS: usize = 34;

    pub fn new(campaign: CampaignView) -> Self {
        let filled = campaign.count_value as f64 / campaign.goal_value.max(1) as f64;
        Self {
            title: shorten(&campaign.title, Self::TITLE_CHARS),
            bar_width: format!("{:.1}", Self::BAR_WIDTH * filled.clamp(0.0, 1.0)),
            campaign,
        }
    }
}

/// `text` cut to at most `max` characters, with an ellipsis when something was cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(title: &str, count: i64, goal: i64) -> CampaignView {
        CampaignView {
            slug: "s".into(),
            title: title.into(),
            to: None,
            summary: String::new(),
            paragraphs: Vec::new(),
            href: "/campaigns/s".into(),
            count: count.to_string(),
            count_label: "signatures".into(),
            goal: format!("Goal: {goal}"),
            count_value: count.min(goal),
            goal_value: goal,
            progress_text: format!("{count} of {goal} signatures"),
            paused: None,
            channels: None,
        }
    }

    #[test]
    fn long_titles_are_shortened_on_a_character_boundary() {
        assert_eq!(shorten("Ayotzinapa", 34), "Ayotzinapa");
        assert_eq!(shorten("Mariposas por México ñ", 10), "Mariposas…");
        assert_eq!(shorten("ñññññ", 3), "ññ…");
    }

    #[test]
    fn the_badge_escapes_the_title_for_svg_and_fills_the_bar_toward_the_goal() {
        let svg = Badge::new(view("<b>\"Vivos\" & 'ya'</b>", 250, 1000))
            .render()
            .expect("the badge renders");
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(!svg.contains("<b>"), "{svg}");
        assert!(svg.contains("&#60;b&#62;&#34;Vivos&#34; &#38; &#39;ya&#39;&#60;/b&#62;"));
        assert!(svg.contains("width=\"72.0\""), "a quarter of 288: {svg}");
        let full = Badge::new(view("T", 5000, 1000)).render().expect("renders");
        assert!(
            full.contains("width=\"288.0\""),
            "the bar stops at the goal"
        );
    }

    #[test]
    fn blank_lines_separate_paragraphs() {
        assert_eq!(
            paragraphs("One\nstill one.\r\n\r\nTwo.\n\n\n\nThree."),
            vec!["One\nstill one.", "Two.", "Three."]
        );
        assert!(paragraphs("").is_empty());
    }
}
