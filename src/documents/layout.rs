//! Drawing on a PDF page: the embedded font, measuring and wrapping text, lines and boxes.
//! Coordinates are PDF points (1/72 inch) from the page's top-left corner, y downwards.

use std::sync::Arc;

use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::TextDirection;

use unicode_bidi::BidiInfo;

use super::DocumentError;
use super::fonts::{self, Single};

/// Noto Sans (SIL Open Font License 1.1, see assets/fonts/LICENSE-OFL.txt): Latin, Greek,
/// Cyrillic and Vietnamese, so that Łukasz, Nguyễn and every Spanish, French and
/// Portuguese name prints as written. Other scripts fall back to the fonts in
/// `documents::fonts`. Only the glyphs used are embedded in each PDF.
pub(super) const REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
pub(super) const BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");

/// Characters drawn by whatever font is at hand, or by none: spaces, joiners, direction
/// marks and variation selectors.
fn needs_no_glyph(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{fe00}'..='\u{fe0f}')
}

/// One weight of the font: Noto Sans first, then a font for each other script, so that
/// every name is drawn by a font that has its letters.
pub struct Face {
    chain: Vec<Arc<Single>>,
}

impl Face {
    fn new(primary: Single, fallbacks: impl IntoIterator<Item = Arc<Single>>) -> Self {
        Self {
            chain: std::iter::once(Arc::new(primary))
                .chain(fallbacks)
                .collect(),
        }
    }

    /// `text` cut into pieces each drawn by one font: the font of the piece before while it
    /// has the character (so accents and vowel signs stay with their letter), else the first
    /// that has it. A character no font has stays with the first font, which draws a box.
    fn segments<'t>(&self, text: &'t str) -> Vec<(&Single, &'t str)> {
        let mut segments: Vec<(usize, usize, usize)> = Vec::new();
        for (at, c) in text.char_indices() {
            let end = at + c.len_utf8();
            let current = segments.last().map(|&(font, _, _)| font);
            let font = match current {
                Some(font) if needs_no_glyph(c) || self.chain[font].covers(c) => font,
                _ => self.chain.iter().position(|f| f.covers(c)).unwrap_or(0),
            };
            match segments.last_mut() {
                Some(last) if last.0 == font => last.2 = end,
                _ => segments.push((font, at, end)),
            }
        }
        segments
            .into_iter()
            .map(|(font, from, to)| (self.chain[font].as_ref(), &text[from..to]))
            .collect()
    }

    /// Whether some font draws every letter of `text`.
    pub fn covers(&self, text: &str) -> bool {
        text.chars()
            .all(|c| needs_no_glyph(c) || self.chain.iter().any(|f| f.covers(c)))
    }

    /// The width of `text` set at `size` points, without kerning (close enough to wrap by).
    pub fn width(&self, text: &str, size: f32) -> f32 {
        self.segments(text)
            .into_iter()
            .map(|(font, piece)| font.width(piece))
            .sum::<f32>()
            * size
    }

    /// `text` cut to fit `width`, with an ellipsis where it was cut.
    pub fn fit(&self, text: &str, size: f32, width: f32) -> String {
        if self.width(text, size) <= width {
            return text.to_owned();
        }
        let room = width - self.width("…", size);
        let mut used = 0.0;
        let mut kept = String::new();
        for c in text.chars() {
            used += self.width(c.encode_utf8(&mut [0; 4]), size);
            if used > room {
                break;
            }
            kept.push(c);
        }
        kept.truncate(kept.trim_end().len());
        kept.push('…');
        kept
    }

    /// `text` broken into lines no wider than `width`, at spaces where it can be; a word
    /// longer than a line is broken where it must be. Line breaks in `text` are kept.
    pub fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.lines() {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, size) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                for c in word.chars() {
                    line.push(c);
                    if self.width(&line, size) > width && line.chars().count() > 1 {
                        line.pop();
                        lines.push(std::mem::replace(&mut line, c.to_string()));
                    }
                }
            }
            lines.push(line);
        }
        lines
    }
}

pub struct Fonts {
    pub regular: Face,
    pub bold: Face,
}

impl Fonts {
    pub fn load() -> Result<Self, DocumentError> {
        let fallbacks = fonts::fallbacks();
        let embedded = |bytes| Single::load(bytes, 0).ok_or(DocumentError::Font);
        Ok(Self {
            regular: Face::new(
                embedded(REGULAR)?,
                fallbacks.iter().map(|f| Arc::clone(&f.regular)),
            ),
            bold: Face::new(
                embedded(BOLD)?,
                fallbacks.iter().map(|f| Arc::clone(&f.bold)),
            ),
        })
    }
}

/// Paper sizes, in points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

impl Paper {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "" | "a4" => Some(Self::A4),
            "letter" => Some(Self::Letter),
            _ => None,
        }
    }

    pub fn size(self) -> (f32, f32) {
        match self {
            Self::A4 => (595.28, 841.89),
            Self::Letter => (612.0, 792.0),
        }
    }
}

/// Draws with one surface: black text and hairlines, the only colours a photocopier keeps.
pub struct Pen<'s, 'p> {
    surface: &'s mut Surface<'p>,
}

impl<'s, 'p> Pen<'s, 'p> {
    pub fn new(surface: &'s mut Surface<'p>) -> Self {
        Self { surface }
    }

    /// Text with its baseline at `y`, starting at `x`. Right-to-left runs (محمد, דוד) are
    /// put in their visual order by the Unicode Bidirectional Algorithm, and each piece is
    /// shaped by krilla with the font that has its letters.
    pub fn text(&mut self, face: &Face, size: f32, x: f32, y: f32, text: &str) {
        if text.is_empty() {
            return;
        }
        self.surface.set_stroke(None);
        self.surface.set_fill(Some(Fill::default()));
        let bidi = BidiInfo::new(text, None);
        let mut x = x;
        for paragraph in &bidi.paragraphs {
            let (levels, runs) = bidi.visual_runs(paragraph, paragraph.range.clone());
            for run in runs {
                let rtl = levels.get(run.start).is_some_and(|level| level.is_rtl());
                let mut pieces = face.segments(&text[run]);
                if rtl {
                    pieces.reverse();
                }
                let direction = if rtl {
                    TextDirection::RightToLeft
                } else {
                    TextDirection::LeftToRight
                };
                for (font, piece) in pieces {
                    self.surface.draw_text(
                        Point::from_xy(x, y),
                        font.font.clone(),
                        size,
                        piece,
                        false,
                        direction,
                    );
                    x += font.width(piece) * size;
                }
            }
        }
    }

    /// Text ending at `right`.
    pub fn text_right(&mut self, face: &Face, size: f32, right: f32, y: f32, text: &str) {
        let x = right - face.width(text, size);
        self.text(face, size, x, y, text);
    }

    /// Text centred on `centre`.
    pub fn text_centred(&mut self, face: &Face, size: f32, centre: f32, y: f32, text: &str) {
        let x = centre - face.width(text, size) / 2.0;
        self.text(face, size, x, y, text);
    }

    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), width: f32, grey: u8) {
        let mut path = PathBuilder::new();
        path.move_to(from.0, from.1);
        path.line_to(to.0, to.1);
        let Some(path) = path.finish() else { return };
        self.surface.set_fill(None);
        self.surface.set_stroke(Some(Stroke {
            paint: luma::Color::new(grey).into(),
            width,
            ..Stroke::default()
        }));
        self.surface.draw_path(&path);
    }

    pub fn frame(&mut self, x: f32, y: f32, w: f32, h: f32, width: f32) {
        let Some(rect) = Rect::from_xywh(x, y, w, h) else {
            return;
        };
        let mut path = PathBuilder::new();
        path.push_rect(rect);
        let Some(path) = path.finish() else { return };
        self.surface.set_fill(None);
        self.surface.set_stroke(Some(Stroke {
            width,
            ..Stroke::default()
        }));
        self.surface.draw_path(&path);
    }

    /// Filled black squares, such as a QR code's dark modules, as one path.
    pub fn squares(&mut self, squares: impl IntoIterator<Item = (f32, f32)>, side: f32) {
        let mut path = PathBuilder::new();
        for (x, y) in squares {
            if let Some(rect) = Rect::from_xywh(x, y, side, side) {
                path.push_rect(rect);
            }
        }
        let Some(path) = path.finish() else { return };
        self.surface.set_stroke(None);
        self.surface.set_fill(Some(Fill::default()));
        self.surface.draw_path(&path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_within_the_width_and_keeps_every_word() {
        let fonts = Fonts::load().unwrap();
        let text = "Presentación con vida de los 43 estudiantes normalistas de Ayotzinapa";
        let lines = fonts.regular.wrap(text, 10.0, 120.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| fonts.regular.width(l, 10.0) <= 120.0));
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn a_cut_name_ends_with_an_ellipsis_and_fits() {
        let fonts = Fonts::load().unwrap();
        let cut = fonts
            .regular
            .fit("Nguyễn Thị Minh Khai Łukasz Żółkiewski", 9.0, 60.0);
        assert!(cut.ends_with('…'));
        assert!(fonts.regular.width(&cut, 9.0) <= 60.0);
    }

    #[test]
    fn the_font_has_every_letter_of_vietnamese_and_polish_names() {
        let fonts = Fonts::load().unwrap();
        for c in "ŁłŃńŻżĘęĄąỄễỆệƯưƠơĐđẠạẢảẤấẦầẨẩẪẫẬậçãõñüéèêàâîôûœæ".chars()
        {
            assert!(fonts.regular.chain[0].covers(c), "{c} has no glyph");
        }
    }
}
