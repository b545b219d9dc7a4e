//! What staff type when they create or edit a campaign, and the rules it must meet.

use chrono::{NaiveDate, NaiveDateTime};

use super::invisible::strip_invisible_in_words;
use super::{Country, Lang, Origin, Slug, SlugError};

const MAX_TITLE_CHARS: usize = 200;
const MAX_SUMMARY_CHARS: usize = 1_000;
/// The demand to the target: a paragraph or two of a letter.
const MAX_DEMAND_CHARS: usize = 2_000;
const MAX_BODY_CHARS: usize = 50_000;
const MAX_TARGET_CHARS: usize = 200;
/// The most characters one language of a campaign may hold: title, summary, text and
/// addressee.
pub const MAX_CAMPAIGN_TEXT_CHARS: usize =
    MAX_TITLE_CHARS + MAX_SUMMARY_CHARS + MAX_BODY_CHARS + MAX_TARGET_CHARS + MAX_DEMAND_CHARS;

/// The largest factor a rising goal grows by at once.
pub const MAX_GOAL_MULTIPLIER: i32 = 10;

/// The goal shown with `count` signatures. With a `multiplier` above 1, a goal the count has
/// reached is multiplied until it is ahead again (1,000, then 2,000, 4,000 … with 2), so the
/// bar never sits at 100 %; with 1 it is `goal` as set.
pub fn rising_goal(goal: i64, multiplier: i32, count: i64) -> i64 {
    let goal = goal.max(1);
    if multiplier <= 1 {
        return goal;
    }
    let mut current = goal;
    while count >= current {
        match current.checked_mul(i64::from(multiplier)) {
            Some(next) => current = next,
            None => return current,
        }
    }
    current
}

/// The campaign form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct CampaignInput {
    pub slug: String,
    pub default_lang: String,
    pub goal: String,
    /// Empty or `1` for a fixed goal; `2` to `10` multiplies the goal each time it is reached.
    pub goal_multiplier: String,
    pub default_country: String,
    pub postal_code_required: Option<String>,
    pub is_open: Option<String>,
    pub closes_on: String,
    pub embed_origins: String,
    pub title_es: String,
    pub summary_es: String,
    pub body_es: String,
    pub target_es: String,
    pub demand_es: String,
    pub title_en: String,
    pub summary_en: String,
    pub body_en: String,
    pub target_en: String,
    pub demand_en: String,
    pub title_fr: String,
    pub summary_fr: String,
    pub body_fr: String,
    pub target_fr: String,
    pub demand_fr: String,
    pub title_pt: String,
    pub summary_pt: String,
    pub body_pt: String,
    pub target_pt: String,
    pub demand_pt: String,
}

/// One language's words of a campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignText {
    pub lang: Lang,
    pub title: String,
    pub summary: String,
    pub body: String,
    /// Whom the petition is addressed to, such as "Presidencia de la República"; printed on
    /// signature sheets and the delivery pack. May be empty.
    pub target: String,
    /// What the petition asks of the target, in the target's terms: the delivery letter
    /// carries it, apart from the summary written for supporters. May be empty.
    pub demand: String,
}

/// A campaign that passed every check.
#[derive(Debug, Clone)]
pub struct CampaignDraft {
    pub slug: Slug,
    pub default_lang: Lang,
    pub goal: i64,
    pub goal_multiplier: i32,
    pub default_country: Country,
    pub postal_code_required: bool,
    pub is_open: bool,
    /// Signing stops at the end of this day, UTC.
    pub closes_at: Option<NaiveDateTime>,
    pub embed_origins: String,
    pub texts: Vec<CampaignText>,
}

/// Problems, each a message id (`locales/*/admin.ftl`) named by the form field it belongs to.
pub type CampaignErrors = Vec<(&'static str, &'static str)>;

impl CampaignInput {
    /// Title, summary, body and target in `lang`, as typed.
    pub fn text(&self, lang: Lang) -> (&str, &str, &str, &str) {
        match lang {
            Lang::Es => (
                &self.title_es,
                &self.summary_es,
                &self.body_es,
                &self.target_es,
            ),
            Lang::En => (
                &self.title_en,
                &self.summary_en,
                &self.body_en,
                &self.target_en,
            ),
            Lang::Fr => (
                &self.title_fr,
                &self.summary_fr,
                &self.body_fr,
                &self.target_fr,
            ),
            Lang::Pt => (
                &self.title_pt,
                &self.summary_pt,
                &self.body_pt,
                &self.target_pt,
            ),
        }
    }

    /// The demand to the target in `lang`, as typed.
    pub fn demand(&self, lang: Lang) -> &str {
        match lang {
            Lang::Es => &self.demand_es,
            Lang::En => &self.demand_en,
            Lang::Fr => &self.demand_fr,
            Lang::Pt => &self.demand_pt,
        }
    }

    fn demand_mut(&mut self, lang: Lang) -> &mut String {
        match lang {
            Lang::Es => &mut self.demand_es,
            Lang::En => &mut self.demand_en,
            Lang::Fr => &mut self.demand_fr,
            Lang::Pt => &mut self.demand_pt,
        }
    }

    pub fn set_text(&mut self, text: &CampaignText) {
        let (title, summary, body, target) = match text.lang {
            Lang::Es => (
                &mut self.title_es,
                &mut self.summary_es,
                &mut self.body_es,
                &mut self.target_es,
            ),
            Lang::En => (
                &mut self.title_en,
                &mut self.summary_en,
                &mut self.body_en,
                &mut self.target_en,
            ),
            Lang::Fr => (
                &mut self.title_fr,
                &mut self.summary_fr,
                &mut self.body_fr,
                &mut self.target_fr,
            ),
            Lang::Pt => (
                &mut self.title_pt,
                &mut self.summary_pt,
                &mut self.body_pt,
                &mut self.target_pt,
            ),
        };
        target.clone_from(&text.target);
        title.clone_from(&text.title);
        summary.clone_from(&text.summary);
        body.clone_from(&text.body);
        self.demand_mut(text.lang).clone_from(&text.demand);
    }
}

impl CampaignDraft {
    pub fn parse(input: &CampaignInput) -> Result<Self, CampaignErrors> {
        let mut errors: CampaignErrors = Vec::new();
        let slug = Slug::parse(&input.slug);
        match slug {
            Ok(_) => {}
            Err(SlugError::Malformed) => errors.push(("slug", "admin-slug-malformed")),
            Err(SlugError::Reserved) => errors.push(("slug", "admin-slug-reserved")),
        }
        let slug = slug.ok();
        let default_lang = Lang::parse(&input.default_lang);
        if default_lang.is_none() {
            errors.push(("default_lang", "admin-default-lang-invalid"));
        }
        let goal = input
            .goal
            .trim()
            .replace([',', '.', ' '], "")
            .parse::<i64>()
            .ok()
            .filter(|goal| (1..=1_000_000_000).contains(goal));
        if goal.is_none() {
            errors.push(("goal", "admin-goal-invalid"));
        }
        let goal_multiplier = match input.goal_multiplier.trim() {
            "" => Some(1),
            raw => raw
                .parse::<i32>()
                .ok()
                .filter(|factor| (1..=MAX_GOAL_MULTIPLIER).contains(factor)),
        };
        if goal_multiplier.is_none() {
            errors.push(("goal_multiplier", "admin-goal-multiplier-invalid"));
        }
        let country = Country::parse(&input.default_country).ok();
        if country.is_none() {
            errors.push(("default_country", "admin-default-country-invalid"));
        }
        let closes_at = match input.closes_on.trim() {
            "" => None,
            date => match NaiveDate::parse_from_str(date, "%Y-%m-%d") {
                Ok(day) => day.and_hms_opt(23, 59, 59),
                Err(_) => {
                    errors.push(("closes_on", "admin-closes-on-invalid"));
                    None
                }
            },
        };
        let origins: Vec<&str> = input
            .embed_origins
            .split([' ', ',', '\n', '\r', '\t'])
            .filter(|o| !o.is_empty())
            .collect();
        if origins.iter().any(|origin| Origin::parse(origin).is_none()) {
            errors.push(("embed_origins", "admin-embed-origins-invalid"));
        }
        let mut texts = Vec::new();
        for lang in Lang::ALL {
            let (title, summary, body, target) = input.text(lang);
            let target = strip_invisible_in_words(target);
            let target = target.trim();
            // A title of invisible characters would be a blank heading and link preview; a
            // bidirectional override would show it in another order than staff wrote it.
            let title = strip_invisible_in_words(title);
            let (title, summary, body) = (title.trim(), summary.trim(), body.trim());
            let demand = input.demand(lang).trim().replace("\r\n", "\n");
            if title.is_empty() {
                if default_lang == Some(lang) {
                    errors.push((title_field(lang), "admin-title-required"));
                } else if !summary.is_empty() || !body.is_empty() {
                    errors.push((title_field(lang), "admin-translation-title-required"));
                }
                continue;
            }
            if title.chars().count() > MAX_TITLE_CHARS
                || target.chars().count() > MAX_TARGET_CHARS
                || target.chars().any(char::is_control)
                || summary.chars().count() > MAX_SUMMARY_CHARS
                || body.chars().count() > MAX_BODY_CHARS
                || demand.chars().count() > MAX_DEMAND_CHARS
            {
                errors.push((title_field(lang), "admin-text-too-long"));
                continue;
            }
            texts.push(CampaignText {
                lang,
                title: title.to_owned(),
                summary: summary.to_owned(),
                body: body.replace("\r\n", "\n"),
                target: target.to_owned(),
                demand,
            });
        }
        match (slug, default_lang, goal, goal_multiplier, country) {
            (
                Some(slug),
                Some(default_lang),
                Some(goal),
                Some(goal_multiplier),
                Some(default_country),
            ) if errors.is_empty() => Ok(Self {
                slug,
                default_lang,
                goal,
                goal_multiplier,
                default_country,
                postal_code_required: input.postal_code_required.is_some(),
                is_open: input.is_open.is_some(),
                closes_at,
                embed_origins: origins.join("\n"),
                texts,
            }),
            _ => Err(errors),
        }
    }
}

fn title_field(lang: Lang) -> &'static str {
    match lang {
        Lang::Es => "title_es",
        Lang::En => "title_en",
        Lang::Fr => "title_fr",
        Lang::Pt => "title_pt",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CampaignInput {
        CampaignInput {
            slug: "justicia-para-43".into(),
            default_lang: "es".into(),
            goal: "43,000".into(),
            default_country: "mx".into(),
            is_open: Some("yes".into()),
            title_es: "Justicia".into(),
            summary_es: "Resumen".into(),
            body_es: "Uno\r\n\r\nDos".into(),
            ..CampaignInput::default()
        }
    }

    #[test]
    fn a_rising_goal_stays_ahead_of_the_count() {
        assert_eq!(rising_goal(1000, 1, 5000), 1000, "a fixed goal stays");
        assert_eq!(rising_goal(1000, 2, 999), 1000);
        assert_eq!(rising_goal(1000, 2, 1000), 2000, "reached, so raised");
        assert_eq!(rising_goal(1000, 2, 4500), 8000);
        assert_eq!(rising_goal(500, 10, 500), 5000);
        assert!(rising_goal(i64::MAX / 2, 10, i64::MAX) > 0, "no overflow");
    }

    #[test]
    fn the_goal_multiplier_is_one_unless_staff_choose_another() {
        let mut input = CampaignInput {
            slug: "vivos".into(),
            default_lang: "es".into(),
            goal: "1000".into(),
            default_country: "MX".into(),
            title_es: "Vivos".into(),
            ..CampaignInput::default()
        };
        assert_eq!(
            CampaignDraft::parse(&input).map(|d| d.goal_multiplier).ok(),
            Some(1)
        );
        input.goal_multiplier = "2".into();
        assert_eq!(
            CampaignDraft::parse(&input).map(|d| d.goal_multiplier).ok(),
            Some(2)
        );
        input.goal_multiplier = "11".into();
        let fields: Vec<&str> = CampaignDraft::parse(&input)
            .err()
            .unwrap_or_default()
            .iter()
            .map(|(field, _)| *field)
            .collect();
        assert_eq!(fields, vec!["goal_multiplier"]);
    }

    #[test]
    fn a_complete_form_becomes_a_draft() {
        let draft = CampaignDraft::parse(&input()).expect("valid");
        assert_eq!(draft.slug.as_str(), "justicia-para-43");
        assert_eq!(draft.goal, 43_000);
        assert_eq!(draft.default_country.code(), "MX");
        assert!(draft.is_open && !draft.postal_code_required);
        assert_eq!(draft.texts.len(), 1);
        assert_eq!(draft.texts[0].body, "Uno\n\nDos");
    }

    #[test]
    fn the_default_language_needs_a_title_and_translations_need_titles() {
        let missing = CampaignInput {
            title_es: String::new(),
            ..input()
        };
        assert!(
            CampaignDraft::parse(&missing)
                .expect_err("invalid")
                .iter()
                .any(|(f, _)| *f == "title_es")
        );
        let half = CampaignInput {
            body_fr: "Texte".into(),
            ..input()
        };
        assert!(
            CampaignDraft::parse(&half)
                .expect_err("invalid")
                .iter()
                .any(|(f, _)| *f == "title_fr")
        );
    }

    #[test]
    fn bad_slugs_goals_and_dates_are_named() {
        let bad = CampaignInput {
            slug: "No Spaces".into(),
            goal: "-5".into(),
            closes_on: "31/12/2026".into(),
            ..input()
        };
        let fields: Vec<_> = CampaignDraft::parse(&bad)
            .expect_err("invalid")
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(fields, vec!["slug", "goal", "closes_on"]);
    }

    #[test]
    fn a_title_of_invisible_characters_is_no_title_and_overrides_are_taken_out() {
        let blank = CampaignInput {
            title_es: "\u{200B}\u{202E}\u{FEFF}".into(),
            ..input()
        };
        assert!(
            CampaignDraft::parse(&blank)
                .expect_err("no title")
                .iter()
                .any(|(f, _)| *f == "title_es")
        );
        let overridden = CampaignInput {
            title_es: "\u{202E}Justicia\u{2066}".into(),
            ..input()
        };
        let draft = CampaignDraft::parse(&overridden).expect("valid");
        assert_eq!(draft.texts[0].title, "Justicia");
    }

    #[test]
    fn a_closing_date_closes_at_the_end_of_that_day() {
        let draft = CampaignDraft::parse(&CampaignInput {
            closes_on: "2026-12-31".into(),
            ..input()
        })
        .expect("valid");
        assert_eq!(
            draft.closes_at.map(|t| t.to_string()),
            Some("2026-12-31 23:59:59".into())
        );
    }
}
