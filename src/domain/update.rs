//! Updates to signers: the texts staff write, how often an update may go out, and which
//! language each signer reads it in.

use chrono::{NaiveDateTime, TimeDelta};

use super::Lang;

/// A subject fits an inbox line on a phone, with room to spare.
pub const MAX_SUBJECT_CHARS: usize = 150;
/// A long letter; updates are news, not newsletters.
pub const MAX_BODY_CHARS: usize = 20_000;
/// Signers hear from a campaign at most once in this time, unless staff insist.
pub const SEND_INTERVAL: TimeDelta = TimeDelta::hours(24);

/// One language of an update: a one-line subject and a plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateText {
    lang: Lang,
    subject: String,
    body: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateField {
    Subject,
    Body,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UpdateTextError {
    #[error("missing")]
    Missing,
    #[error("too long")]
    TooLong,
    #[error("more than one line")]
    LineBreak,
    #[error("characters that are not allowed")]
    InvalidCharacters,
}

impl UpdateTextError {
    /// The staff page's words for it.
    pub fn message_key(self) -> &'static str {
        match self {
            Self::Missing => "admin-update-error-missing",
            Self::TooLong => "admin-update-error-too-long",
            Self::LineBreak => "admin-update-error-line-break",
            Self::InvalidCharacters => "admin-update-error-characters",
        }
    }
}

impl UpdateText {
    /// A text as stored, written by `parse` before it was saved.
    pub fn stored(lang: Lang, subject: String, body: String) -> Self {
        Self {
            lang,
            subject,
            body,
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn subject(&self) -> &str {
        &self.subject
    }

    pub fn body(&self) -> &str {
        &self.body
    }

    /// The body as HTML: every character escaped, paragraphs at blank lines, line breaks
    /// kept, and web addresses (http and https only) made links.
    pub fn body_html(&self) -> String {
        body_html(&self.body)
    }
}

/// An update as staff wrote it: a text in the campaign's default language at least.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateDraft {
    texts: Vec<UpdateText>,
}

/// What was wrong, per language and field.
pub type UpdateErrors = Vec<(Lang, UpdateField, UpdateTextError)>;

impl UpdateDraft {
    /// `fields` holds (language, subject, body) as typed, for the campaign's languages; a
    /// language left blank is left out, except `default`, which every update needs.
    pub fn parse(fields: &[(Lang, &str, &str)], default: Lang) -> Result<Self, UpdateErrors> {
        let mut texts = Vec::new();
        let mut errors = Vec::new();
        for &(lang, subject, body) in fields {
            let (subject, body) = (subject.trim(), body.trim());
            if subject.is_empty() && body.is_empty() && lang != default {
                continue;
            }
            let subject = parse_subject(subject)
                .map_err(|error| errors.push((lang, UpdateField::Subject, error)));
            let body =
                parse_body(body).map_err(|error| errors.push((lang, UpdateField::Body, error)));
            if let (Ok(subject), Ok(body)) = (subject, body) {
                texts.push(UpdateText {
                    lang,
                    subject,
                    body,
                });
            }
        }
        if !fields.iter().any(|(lang, ..)| *lang == default) {
            errors.push((default, UpdateField::Subject, UpdateTextError::Missing));
        }
        if errors.is_empty() {
            Ok(Self { texts })
        } else {
            Err(errors)
        }
    }

    pub fn texts(&self) -> &[UpdateText] {
        &self.texts
    }
}

fn parse_subject(subject: &str) -> Result<String, UpdateTextError> {
    if subject.is_empty() {
        return Err(UpdateTextError::Missing);
    }
    // A line break in a subject is how headers are injected; refuse it rather than fold it.
    if subject.contains(['\r', '\n']) {
        return Err(UpdateTextError::LineBreak);
    }
    if subject.chars().any(char::is_control) {
        return Err(UpdateTextError::InvalidCharacters);
    }
    if subject.chars().count() > MAX_SUBJECT_CHARS {
        return Err(UpdateTextError::TooLong);
    }
    Ok(subject.to_owned())
}

fn parse_body(body: &str) -> Result<String, UpdateTextError> {
    if body.is_empty() {
        return Err(UpdateTextError::Missing);
    }
    let body = body.replace("\r\n", "\n");
    if body
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t'))
    {
        return Err(UpdateTextError::InvalidCharacters);
    }
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(UpdateTextError::TooLong);
    }
    Ok(body)
}

/// Sending too soon after the campaign's last update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooSoon {
    pub last_sent: NaiveDateTime,
    pub next_allowed: NaiveDateTime,
}

/// Whether an update may go out at `now`: at most one per campaign in `SEND_INTERVAL`,
/// unless staff confirmed that this one must go anyway.
pub fn may_send(
    last_sent: Option<NaiveDateTime>,
    now: NaiveDateTime,
    override_confirmed: bool,
) -> Result<(), TooSoon> {
    match last_sent {
        Some(last_sent) if !override_confirmed && now < last_sent + SEND_INTERVAL => Err(TooSoon {
            last_sent,
            next_allowed: last_sent + SEND_INTERVAL,
        }),
        _ => Ok(()),
    }
}

/// The text a signer gets: in their own language if the update has it, else in the
/// campaign's default language (which every update has), else any.
pub fn text_for(texts: &[UpdateText], signer: Lang, default: Lang) -> Option<&UpdateText> {
    texts
        .iter()
        .find(|t| t.lang == signer)
        .or_else(|| texts.iter().find(|t| t.lang == default))
        .or_else(|| texts.first())
}

fn body_html(body: &str) -> String {
    body.split("\n\n")
        .map(str::trim)
        .filter(|paragraph| !paragraph.is_empty())
        .map(|paragraph| {
            let lines: Vec<String> = paragraph.lines().map(linkify).collect();
            format!("<p>{}</p>", lines.join("<br>\n"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One line, escaped, with its http and https addresses as links. Punctuation that ends
/// a sentence is left out of the address.
fn linkify(line: &str) -> String {
    let mut html = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = find_address(rest) {
        html.push_str(&escape(&rest[..start]));
        let tail = &rest[start..];
        let len = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
            .unwrap_or(tail.len());
        let address = tail[..len].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'']);
        let address = if address.ends_with("://") {
            ""
        } else {
            address
        };
        if address.is_empty() {
            let scheme = if tail.starts_with("https://") { 8 } else { 7 };
            html.push_str(&escape(&tail[..scheme]));
            rest = &tail[scheme..];
            continue;
        }
        let escaped = escape(address);
        html.push_str(&format!("<a href=\"{escaped}\">{escaped}</a>"));
        rest = &tail[address.len()..];
    }
    html.push_str(&escape(rest));
    html
}

/// Where the next http or https address begins, at the start of a word.
fn find_address(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find("http") {
        let at = from + found;
        let tail = &text[at..];
        let at_word_start = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        if at_word_start && (tail.starts_with("https://") || tail.starts_with("http://")) {
            return Some(at);
        }
        from = at + 4;
    }
    None
}

fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn at(hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 9, 26)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .expect("a time")
    }

    #[test]
    fn an_update_needs_the_default_language_and_skips_blank_others() {
        let draft = UpdateDraft::parse(
            &[
                (Lang::Es, "Entregamos las firmas", "El 26 de septiembre."),
                (Lang::En, " ", ""),
            ],
            Lang::Es,
        )
        .expect("valid");
        assert_eq!(draft.texts().len(), 1);
        assert_eq!(draft.texts()[0].subject(), "Entregamos las firmas");

        let errors = UpdateDraft::parse(&[(Lang::Es, "", "")], Lang::Es).expect_err("missing");
        assert!(errors.contains(&(Lang::Es, UpdateField::Subject, UpdateTextError::Missing)));
        assert!(errors.contains(&(Lang::Es, UpdateField::Body, UpdateTextError::Missing)));
    }

    #[test]
    fn a_subject_cannot_carry_a_header_or_run_long() {
        let injected = UpdateDraft::parse(
            &[(Lang::En, "Hi\r\nBcc: all@example.org", "Body")],
            Lang::En,
        );
        assert_eq!(
            injected,
            Err(vec![(
                Lang::En,
                UpdateField::Subject,
                UpdateTextError::LineBreak
            )])
        );
        let long = "a".repeat(MAX_SUBJECT_CHARS + 1);
        assert_eq!(
            UpdateDraft::parse(&[(Lang::En, &long, "Body")], Lang::En),
            Err(vec![(
                Lang::En,
                UpdateField::Subject,
                UpdateTextError::TooLong
            )])
        );
        assert_eq!(
            UpdateDraft::parse(&[(Lang::En, "Hi", "Bell\u{7}")], Lang::En),
            Err(vec![(
                Lang::En,
                UpdateField::Body,
                UpdateTextError::InvalidCharacters
            )])
        );
    }

    #[test]
    fn one_update_a_day_unless_staff_insist() {
        assert_eq!(may_send(None, at(10), false), Ok(()));
        assert_eq!(
            may_send(Some(at(9)), at(10), false),
            Err(TooSoon {
                last_sent: at(9),
                next_allowed: at(9) + SEND_INTERVAL,
            })
        );
        assert_eq!(may_send(Some(at(9)), at(10), true), Ok(()));
        assert_eq!(may_send(Some(at(9)), at(9) + SEND_INTERVAL, false), Ok(()));
    }

    #[test]
    fn a_signer_reads_their_language_or_the_campaigns() {
        let texts = vec![
            UpdateText::stored(Lang::Es, "Hola".into(), "Cuerpo".into()),
            UpdateText::stored(Lang::Fr, "Bonjour".into(), "Corps".into()),
        ];
        let chosen = |lang| text_for(&texts, lang, Lang::Es).map(|t| t.lang());
        assert_eq!(chosen(Lang::Fr), Some(Lang::Fr));
        assert_eq!(chosen(Lang::Pt), Some(Lang::Es));
    }

    #[test]
    fn the_body_is_escaped_and_only_web_addresses_become_links() {
        let text = UpdateText::stored(
            Lang::En,
            "S".into(),
            "We delivered <b>43,000</b> signatures: https://example.org/photos?a=1&b=2.\n\
             See javascript:alert(1) and ftp://x\n\nhttp://"
                .into(),
        );
        assert_eq!(
            text.body_html(),
            "<p>We delivered &lt;b&gt;43,000&lt;/b&gt; signatures: \
             <a href=\"https://example.org/photos?a=1&amp;b=2\">https://example.org/photos?a=1&amp;b=2</a>.<br>\n\
             See javascript:alert(1) and ftp://x</p>\n<p>http://</p>"
        );
    }
}
