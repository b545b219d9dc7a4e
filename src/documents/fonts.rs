//! Fonts for the scripts Noto Sans lacks: Arabic, Hebrew, Devanagari, Thai, Chinese,
//! Japanese, Korean and more, from Debian's Noto packages (`fonts-noto-core`,
//! `fonts-noto-cjk`, installed by the README's set-up and by `scripts/test`). They are read
//! from where Debian puts them, or, when `MARIPOSA_FONT_DIR` is set, from the folders it
//! names (separated by `:`) instead; once per process. A script whose font is missing is drawn as boxes, and the delivery
//! pack counts the names it could not draw.

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use krilla::text::Font;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};

/// Where Debian's `fonts-noto-core` and `fonts-noto-cjk` put their files.
pub const DEBIAN_FONT_DIRS: [&str; 2] = [
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/opentype/noto",
];

/// The variable that names other folders to look in.
pub const FONT_DIR_VARIABLE: &str = "MARIPOSA_FONT_DIR";

/// Each fallback: its regular and bold files, and the face to take in a collection.
/// Noto Sans CJK's collection holds Japanese, Korean, Simplified and Traditional Chinese
/// faces, each with every ideograph and Hangul syllable; the third (Simplified Chinese)
/// draws Chinese names in the forms mainland and diaspora signers write.
const FALLBACKS: [(&str, &str, u32); 19] = [
    ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf", 0),
    ("NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf", 0),
    (
        "NotoSansDevanagari-Regular.ttf",
        "NotoSansDevanagari-Bold.ttf",
        0,
    ),
    ("NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf", 0),
    (
        "NotoSansGurmukhi-Regular.ttf",
        "NotoSansGurmukhi-Bold.ttf",
        0,
    ),
    (
        "NotoSansGujarati-Regular.ttf",
        "NotoSansGujarati-Bold.ttf",
        0,
    ),
    ("NotoSansTamil-Regular.ttf", "NotoSansTamil-Bold.ttf", 0),
    ("NotoSansTelugu-Regular.ttf", "NotoSansTelugu-Bold.ttf", 0),
    ("NotoSansKannada-Regular.ttf", "NotoSansKannada-Bold.ttf", 0),
    (
        "NotoSansMalayalam-Regular.ttf",
        "NotoSansMalayalam-Bold.ttf",
        0,
    ),
    ("NotoSansSinhala-Regular.ttf", "NotoSansSinhala-Bold.ttf", 0),
    ("NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf", 0),
    ("NotoSansLao-Regular.ttf", "NotoSansLao-Bold.ttf", 0),
    ("NotoSansKhmer-Regular.ttf", "NotoSansKhmer-Bold.ttf", 0),
    ("NotoSansMyanmar-Regular.ttf", "NotoSansMyanmar-Bold.ttf", 0),
    (
        "NotoSansGeorgian-Regular.ttf",
        "NotoSansGeorgian-Bold.ttf",
        0,
    ),
    (
        "NotoSansArmenian-Regular.ttf",
        "NotoSansArmenian-Bold.ttf",
        0,
    ),
    (
        "NotoSansEthiopic-Regular.ttf",
        "NotoSansEthiopic-Bold.ttf",
        0,
    ),
    ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", 2),
];

/// One fallback font in both weights.
pub struct Fallback {
    pub regular: Arc<Single>,
    pub bold: Arc<Single>,
    /// The files as read, for renderers other than krilla.
    pub files: Vec<(&'static [u8], u32)>,
}

/// The fallbacks found, read once: the CJK collection alone is 20 MB, too much to read for
/// every document.
pub fn fallbacks() -> &'static [Fallback] {
    static FOUND: LazyLock<Vec<Fallback>> = LazyLock::new(|| {
        let dirs = font_dirs(std::env::var_os(FONT_DIR_VARIABLE).as_deref());
        FALLBACKS
            .iter()
            .filter_map(|(regular, bold, index)| {
                let (regular, regular_bytes) = load(&dirs, regular, *index)?;
                let mut files = vec![(regular_bytes, *index)];
                // A missing bold draws in the regular weight rather than in boxes.
                let bold = match load(&dirs, bold, *index) {
                    Some((bold, bytes)) => {
                        files.push((bytes, *index));
                        bold
                    }
                    None => Arc::clone(&regular),
                };
                Some(Fallback {
                    regular,
                    bold,
                    files,
                })
            })
            .collect()
    });
    &FOUND
}

fn font_dirs(configured: Option<&std::ffi::OsStr>) -> Vec<PathBuf> {
    match configured {
        Some(dirs) => std::env::split_paths(dirs).collect(),
        None => DEBIAN_FONT_DIRS.iter().map(PathBuf::from).collect(),
    }
}

fn load(dirs: &[PathBuf], file: &str, index: u32) -> Option<(Arc<Single>, &'static [u8])> {
    let bytes = dirs.iter().find_map(|dir| read(&dir.join(file)))?;
    // Kept for the life of the process, as the embedded fonts are: every document uses them.
    let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    let single = Single::load(bytes, index);
    if single.is_none() {
        tracing::warn!(file, "a fallback font could not be read");
    }
    single.map(|single| (Arc::new(single), bytes))
}

fn read(path: &Path) -> Option<Vec<u8>> {
    std::fs::read(path).ok()
}

/// One font file: what the PDF embeds, and its glyph map and advance widths for measuring.
pub struct Single {
    pub(super) font: Font,
    charmap: skrifa::charmap::Charmap<'static>,
    /// Advance widths at 1 pt; a width at any size is a multiple.
    metrics: GlyphMetrics<'static>,
}

impl Single {
    pub fn load(bytes: &'static [u8], index: u32) -> Option<Self> {
        let font = Font::new(bytes.into(), index)?;
        let parsed = FontRef::from_index(bytes, index).ok()?;
        Some(Self {
            font,
            charmap: parsed.charmap(),
            metrics: parsed.glyph_metrics(Size::new(1.0), LocationRef::default()),
        })
    }

    pub(super) fn covers(&self, c: char) -> bool {
        self.charmap.map(c).is_some()
    }

    /// The width of `text` at 1 pt, without shaping (close enough to wrap by).
    pub(super) fn width(&self, text: &str) -> f32 {
        text.chars()
            .filter_map(|c| self.charmap.map(c))
            .filter_map(|glyph| self.metrics.advance_width(glyph))
            .sum::<f32>()
    }
}
