//! A campaign's link-preview picture: 1200×630 pixels, its title in white on the
//! organisation's colour, with the organisation's name, so that a shared link shows the
//! campaign and whoever runs it rather than the software. Drawn from an SVG we write, with
//! the same fonts as the PDFs.

use std::sync::{Arc, LazyLock};

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, fontdb};

use super::fonts;
use super::layout::{BOLD, REGULAR};

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// The software's own orange, until the organisation sets a colour.
const DEFAULT_BACKGROUND: &str = "#8a3008";
const TITLE_SIZE: f32 = 64.0;
const TITLE_LINES: usize = 4;
/// Room for the title, in pixels, inside a 72-pixel margin.
const TEXT_WIDTH: f32 = 1056.0;

#[derive(Debug, thiserror::Error)]
pub enum PictureError {
    #[error("the picture's SVG could not be read: {0}")]
    Svg(#[from] usvg::Error),
    #[error("the picture could not be encoded")]
    Encode,
}

pub struct SharePicture<'a> {
    pub title: &'a str,
    /// The organisation's name, at the foot; empty for none.
    pub organisation: &'a str,
    /// `#rrggbb`, dark enough for white text (checked when it was set).
    pub background: Option<&'a str>,
}

/// The fonts, loaded once: the CJK collection alone is 20 MB.
static FONTS: LazyLock<Arc<fontdb::Database>> = LazyLock::new(|| {
    let mut database = fontdb::Database::new();
    for bytes in [REGULAR, BOLD] {
        database.load_font_source(fontdb::Source::Binary(Arc::new(bytes)));
    }
    for fallback in fonts::fallbacks() {
        for (bytes, _) in &fallback.files {
            database.load_font_source(fontdb::Source::Binary(Arc::new(*bytes)));
        }
    }
    database.set_sans_serif_family("Noto Sans");
    Arc::new(database)
});

/// The PNG.
pub fn render(picture: &SharePicture<'_>) -> Result<Vec<u8>, PictureError> {
    let options = usvg::Options {
        font_family: "Noto Sans".to_owned(),
        fontdb: Arc::clone(&FONTS),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&svg(picture), &options)?;
    let mut pixmap = Pixmap::new(WIDTH, HEIGHT).ok_or(PictureError::Encode)?;
    resvg::render(&tree, Transform::identity(), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|_| PictureError::Encode)
}

fn svg(picture: &SharePicture<'_>) -> String {
    let background = picture.background.unwrap_or(DEFAULT_BACKGROUND);
    let lines = wrap(picture.title, TITLE_LINES);
    let line_height = TITLE_SIZE * 1.2;
    let top = 150.0 + (TITLE_LINES - lines.len()) as f32 * line_height / 2.0;
    let mut title = String::new();
    for (i, line) in lines.iter().enumerate() {
        title.push_str(&format!(
            "<text x=\"72\" y=\"{:.0}\" font-size=\"{TITLE_SIZE}\" font-weight=\"700\">{}</text>",
            top + i as f32 * line_height,
            escape(line)
        ));
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\">\
         <rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"{background}\"/>\
         <rect x=\"72\" y=\"520\" width=\"96\" height=\"8\" fill=\"#ffffff\"/>\
         <g font-family=\"Noto Sans\" fill=\"#ffffff\">{title}\
         <text x=\"72\" y=\"580\" font-size=\"34\">{}</text></g></svg>",
        escape(picture.organisation)
    )
}

/// The title in at most `max` lines, broken at spaces (or anywhere, for scripts written
/// without them), the last cut with an ellipsis. Widths are estimated: Chinese, Japanese and
/// Korean characters are about one em wide, others about half of one.
fn wrap(title: &str, max: usize) -> Vec<String> {
    let width = |text: &str| -> f32 {
        text.chars()
            .map(|c| if is_wide(c) { 1.0 } else { 0.56 })
            .sum::<f32>()
            * TITLE_SIZE
    };
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for c in title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
    {
        line.push(c);
        if width(&line) <= TEXT_WIDTH {
            continue;
        }
        line.pop();
        let (kept, carried) = match line.rfind(' ') {
            Some(space) if !is_wide(c) => (line[..space].to_owned(), line[space + 1..].to_owned()),
            _ => (line.clone(), String::new()),
        };
        lines.push(kept);
        line = carried;
        if c != ' ' {
            line.push(c);
        }
    }
    if !line.trim().is_empty() {
        lines.push(line);
    }
    if lines.len() > max {
        lines.truncate(max);
        if let Some(last) = lines.last_mut() {
            while width(&format!("{last}…")) > TEXT_WIDTH && last.pop().is_some() {}
            last.push('…');
        }
    }
    lines
}

fn is_wide(c: char) -> bool {
    matches!(c, '\u{1100}'..='\u{11ff}' | '\u{2e80}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}' | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ffef}')
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_title_wraps_in_four_lines_at_most_and_ends_with_an_ellipsis() {
        let title =
            "Presentación con vida de los 43 estudiantes normalistas de Ayotzinapa ".repeat(3);
        let lines = wrap(&title, TITLE_LINES);
        assert_eq!(lines.len(), TITLE_LINES);
        assert!(lines.last().is_some_and(|l| l.ends_with('…')));
        assert!(lines[0].starts_with("Presentación con vida"));
    }

    #[test]
    fn the_picture_is_a_png_of_the_size_link_previews_want() {
        let png = render(&SharePicture {
            title: "Mariposas por México <&>",
            organisation: "Red por la Memoria y la Justicia",
            background: Some("#1d4e89"),
        })
        .unwrap_or_default();
        assert!(png.starts_with(b"\x89PNG"));
        let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        let height = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
        assert_eq!((width, height), (WIDTH, HEIGHT));
    }
}
