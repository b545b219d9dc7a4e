//! A campaign's dashboard: counts, rates, the chart of signatures per day and the snippets
//! that put its form on other sites.

use askama::Template;

use super::AdminPage;
use crate::db::campaigns::CampaignWithTexts;
use crate::db::partners::Partner;
use crate::db::reports::CountRow;
use crate::domain::Lang;
use crate::i18n;
use crate::i18n::Tr;

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

/// Most signatures first.
fn by_confirmed(rows: &mut [CountRow]) {
    rows.sort_by(|a, b| b.confirmed.cmp(&a.confirmed).then(a.keys.cmp(&b.keys)));
}

/// Countries named in the staff member's language, most signatures first.
pub fn country_lines(rows: &mut [CountRow], tr: Tr) -> Vec<CountLine> {
    by_confirmed(rows);
    let countries = i18n::countries(tr.lang());
    rows.iter()
        .map(|row| {
            let code = row.keys.first().map_or("", String::as_str);
            let name = countries
                .iter()
                .find(|country| country.code == code)
                .map_or_else(|| code.to_owned(), |country| country.name.clone());
            CountLine::new(name, row, tr)
        })
        .collect()
}

/// Sources, with signatures that came with none under their own label.
pub fn source_lines(rows: &mut [CountRow], tr: Tr) -> Vec<CountLine> {
    by_confirmed(rows);
    rows.iter()
        .map(|row| {
            let label = match row.keys.first().map(String::as_str) {
                None | Some("") => tr.t("admin-no-source"),
                Some(source) => source.to_owned(),
            };
            CountLine::new(label, row, tr)
        })
        .collect()
}

/// One snippet without a partner, then one per registered partner.
pub fn snippets(
    base_url: &str,
    campaign: &CampaignWithTexts,
    partners: &[Partner],
    tr: Tr,
) -> Vec<Snippets> {
    let lang = campaign.campaign.default_lang();
    let slug = &campaign.campaign.slug;
    let general = tr.t("admin-snippets-general");
    std::iter::once(Snippets::new(general, base_url, slug, None, lang))
        .chain(partners.iter().map(|partner| {
            let label = format!("{} ({})", partner.name, partner.code);
            Snippets::new(label, base_url, slug, Some(&partner.code), lang)
        }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;

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
