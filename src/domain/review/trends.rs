//! What counts as unusual: a value's signatures this hour against its own hour and the
//! campaign's past.

use std::collections::HashMap;

use chrono::NaiveDateTime;

/// A signal the review groups signatures by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    Domain,
    Network,
    Source,
    PostalCode,
    Channel,
}

impl Dimension {
    pub const ALL: [Dimension; 5] = [
        Dimension::Domain,
        Dimension::Network,
        Dimension::Source,
        Dimension::PostalCode,
        Dimension::Channel,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Domain => "domain",
            Self::Network => "network",
            Self::Source => "source",
            Self::PostalCode => "postal_code",
            Self::Channel => "channel",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.name() == raw)
    }
}

/// Signatures of one value of a signal in one hour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HourCount {
    pub hour: NaiveDateTime,
    pub dimension: Dimension,
    pub value: String,
    pub signed: i64,
    pub confirmed: i64,
}

/// Each signal value's usual signatures per hour, over the days a campaign is measured
/// against.
pub type Usual = HashMap<(Dimension, String), f64>;

/// A row the review page shows as unusual, with the numbers that made it so.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    pub count: HourCount,
    /// What this value signs in an hour as the campaign usually goes.
    pub expected: f64,
}

impl Trend {
    pub fn confirmation_rate(&self) -> f64 {
        if self.count.signed == 0 {
            0.0
        } else {
            self.count.confirmed as f64 / self.count.signed as f64
        }
    }
}

/// An hour's count for one value is unusual from this many signatures...
pub const MIN_UNUSUAL: i64 = 20;
/// ...when it is this many times what the campaign leads one to expect.
pub const UNUSUAL_FACTOR: f64 = 3.0;

/// The unusual rows among `recent` counts, against `baseline`: each value's signatures per
/// hour over the days before. A value is also measured against the other values of its
/// signal in the same hour, on average, so that a wave stands out on a campaign without a
/// past; a signal with one value in an hour (one channel, one postal code) has nothing to
/// be measured against there. Most unusual first.
pub fn unusual(recent: &[HourCount], baseline: &Usual) -> Vec<Trend> {
    let mut totals: HashMap<(NaiveDateTime, Dimension), (i64, i64)> = HashMap::new();
    for count in recent {
        let entry = totals.entry((count.hour, count.dimension)).or_default();
        entry.0 += count.signed;
        entry.1 += 1;
    }
    let mut trends: Vec<Trend> = recent
        .iter()
        .filter(|count| count.signed >= MIN_UNUSUAL)
        .filter_map(|count| {
            let (total, values) = totals
                .get(&(count.hour, count.dimension))
                .copied()
                .unwrap_or((count.signed, 1));
            let others = if values > 1 {
                (total - count.signed) as f64 / (values - 1) as f64
            } else {
                count.signed as f64
            };
            let usual = baseline
                .get(&(count.dimension, count.value.clone()))
                .copied()
                .unwrap_or(0.0);
            let expected = others.max(usual);
            (count.signed as f64 >= UNUSUAL_FACTOR * expected).then(|| Trend {
                count: count.clone(),
                expected,
            })
        })
        .collect();
    trends.sort_by(|a, b| {
        b.count
            .hour
            .cmp(&a.count.hour)
            .then(b.count.signed.cmp(&a.count.signed))
            .then(a.count.dimension.cmp(&b.count.dimension))
    });
    trends
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn a_wave_stands_out_from_its_hour_and_from_its_past() {
        let hour = NaiveDate::from_ymd_opt(2026, 12, 7)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .expect("an hour");
        let count = |dimension, value: &str, signed| HourCount {
            hour,
            dimension,
            value: value.to_owned(),
            signed,
            confirmed: signed / 2,
        };
        let mut recent = vec![
            count(Dimension::Domain, "wave.example", 300),
            count(Dimension::Domain, "gmail.com", 40),
            count(Dimension::Channel, "online", 370),
        ];
        recent.extend((0..30).map(|i| count(Dimension::Domain, &format!("d{i}.example"), 1)));
        // gmail.com signs this much every hour; the wave's domain never signed before.
        let usual = HashMap::from([((Dimension::Domain, "gmail.com".to_owned()), 35.0)]);
        let trends = unusual(&recent, &usual);
        let values: Vec<_> = trends.iter().map(|t| t.count.value.as_str()).collect();
        assert_eq!(values, ["wave.example"]);
        assert!((trends[0].confirmation_rate() - 0.5).abs() < 1e-9);

        let always = HashMap::from([
            ((Dimension::Domain, "gmail.com".to_owned()), 35.0),
            ((Dimension::Domain, "wave.example".to_owned()), 290.0),
        ]);
        assert!(
            unusual(&recent, &always).is_empty(),
            "values that always sign this much"
        );

        let quiet = [
            count(Dimension::Domain, "wave.example", 300),
            count(Dimension::Domain, "a.example", 1),
            count(Dimension::Domain, "b.example", 1),
        ];
        let trends = unusual(&quiet, &HashMap::new());
        assert_eq!(trends.len(), 1, "a wave on a quiet campaign stands out");
    }
}
