//! Paper sheets typed into a spreadsheet and saved as CSV: read whatever Excel and
//! LibreOffice write in Spanish, French and Portuguese locales (a UTF-8 byte-order mark,
//! `;` between cells, CRLF line ends), one row per signer, each row kept with its line number.

use chrono::NaiveDate;

use super::SignatureInput;

/// The largest file read: far more than the rows of any pile of sheets.
pub const MAX_SHEET_BYTES: usize = 5 * 1024 * 1024;
/// The most rows one import takes; a larger pile is imported in parts.
pub const MAX_SHEET_ROWS: usize = 20_000;

/// The columns a sheet may have; the first three are required.
pub const COLUMNS: [&str; 7] = [
    "first_name",
    "last_name",
    "country",
    "email",
    "postal_code",
    "email_opt_in",
    "signed_on",
];

/// Why a whole file cannot be read. Rows with problems are not this: they are reported one
/// by one, with their line numbers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than 5 MB; import it in parts")]
    TooLarge,
    #[error("the file has more than 20,000 rows; import it in parts")]
    TooManyRows,
    #[error("the file is not a CSV text file; save the spreadsheet as CSV and try again")]
    NotText,
    #[error("the first line must name the columns; missing: {0}")]
    MissingColumns(String),
    #[error("the file could not be read as CSV near line {0}")]
    Unreadable(u64),
}

/// Why a sheet's date cannot be read; each holds the text as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayError {
    NotADate(String),
    /// A year of two digits, as Excel's short date writes it: `02/11/26` is not the year 26,
    /// and guessing the century would store a wrong day without anyone noticing.
    TwoDigitYear(String),
}

/// One signer's row as typed in, before any check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// The line of the file it was on, as a spreadsheet numbers it (the header is line 1).
    pub line: u64,
    pub input: SignatureInput,
    pub signed_on: Result<Option<NaiveDate>, DayError>,
    /// `Err` holds the text when it is neither yes nor no.
    pub opt_in: Result<bool, String>,
}

/// A sheet file as text: UTF-8 (with or without a byte-order mark), or, when it is not
/// UTF-8, Windows-1252, which Excel writes for "CSV" in Spanish, French and Portuguese.
pub fn decode_sheet(bytes: &[u8]) -> Result<String, SheetError> {
    if bytes.len() > MAX_SHEET_BYTES {
        return Err(SheetError::TooLarge);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(SheetError::Empty);
    }
    // NUL never appears in a text file; it marks images, archives and other binaries.
    if bytes.contains(&0) {
        return Err(SheetError::NotText);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(_) => Ok(bytes.iter().map(|&b| windows_1252(b)).collect()),
    }
}

/// One byte of Windows-1252: Latin-1, except for the printable characters it puts at
/// 0x80 to 0x9F (€, curly quotes, Œ, Š, Ž and the like).
fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9F => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// Reads a sheet's rows. Blank rows are skipped; their lines still count.
pub fn read_sheet(bytes: &[u8]) -> Result<Vec<SheetRow>, SheetError> {
    let text = decode_sheet(bytes)?;
    let text = text.as_str();
    let header_line = text.lines().next().unwrap_or_default();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator(header_line))
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|_| SheetError::Unreadable(1))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect::<Vec<_>>();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let missing: Vec<&str> = COLUMNS[..3]
        .iter()
        .copied()
        .filter(|name| column(name).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(SheetError::MissingColumns(missing.join(", ")));
    }
    let index: Vec<Option<usize>> = COLUMNS.iter().map(|name| column(name)).collect();
    let mut rows = Vec::new();
    let mut lines = Lines::new(text);
    for record in reader.records() {
        let record = record.map_err(|error| {
            SheetError::Unreadable(error.position().map_or(0, |p| lines.at(p.byte())))
        })?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_SHEET_ROWS {
            return Err(SheetError::TooManyRows);
        }
        let cell = |i: usize| {
            index[i]
                .and_then(|at| record.get(at))
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        rows.push(SheetRow {
            line: record.position().map_or(0, |p| lines.at(p.byte())),
            input: SignatureInput {
                first_name: cell(0),
                last_name: cell(1),
                country: cell(2).to_uppercase(),
                email: cell(3),
                postal_code: cell(4),
                ..SignatureInput::default()
            },
            opt_in: parse_yes_no(&cell(5)),
            signed_on: parse_day(&cell(6)),
        });
    }
    Ok(rows)
}

/// Line numbers of the records of `text`, met in order, counted as editors and
/// spreadsheets do. The csv reader's own count skips blank lines, and its offset may point
/// at the line ends before the record. Each count goes on from the last one: counting from
/// the start for every row made reading a 20,000-row sheet take seconds.
struct Lines<'t> {
    bytes: &'t [u8],
    counted_to: usize,
    line_ends: u64,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            bytes: text.as_bytes(),
            counted_to: 0,
            line_ends: 0,
        }
    }

    /// The line where a record starting at byte `offset` is.
    fn at(&mut self, offset: u64) -> u64 {
        let bytes = self.bytes;
        let mut start = usize::try_from(offset).map_or(bytes.len(), |o| o.min(bytes.len()));
        while bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
            start += 1;
        }
        if start < self.counted_to {
            self.counted_to = 0;
            self.line_ends = 0;
        }
        self.line_ends += bytes[self.counted_to..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.counted_to = start;
        self.line_ends + 1
    }
}

/// The separator the header line uses: spreadsheets in locales whose decimal mark is a
/// comma write `;`, some write tabs.
fn separator(header: &str) -> u8 {
    [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|&sep| header.bytes().filter(|&b| b == sep).count())
        .filter(|&sep| header.as_bytes().contains(&sep))
        .unwrap_or(b',')
}

/// "Keep me informed" as volunteers type it, in any of the four languages.
pub fn parse_yes_no(raw: &str) -> Result<bool, String> {
    match raw.trim().to_lowercase().as_str() {
        "" | "no" | "n" | "0" | "false" | "non" | "não" | "nao" => Ok(false),
        "yes" | "y" | "1" | "true" | "x" | "✓" | "sí" | "si" | "s" | "oui" | "o" | "sim" => {
            Ok(true)
        }
        _ => Err(raw.trim().to_owned()),
    }
}

/// A day as ISO 8601 or as spreadsheets in these locales show it (31/10/2026, 31-10-2026,
/// 31.10.2026), its year written in four digits; empty is no day.
pub fn parse_day(raw: &str) -> Result<Option<NaiveDate>, DayError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let day = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(raw, format).ok())
        .ok_or_else(|| DayError::NotADate(raw.to_owned()))?;
    // Day and month take one or two digits, so a date without a four-digit run has a short year.
    if !raw
        .split(|c: char| !c.is_ascii_digit())
        .any(|digits| digits.len() == 4)
    {
        return Err(DayError::TwoDigitYear(raw.to_owned()));
    }
    Ok(Some(day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_in_spanish_writes_a_bom_semicolons_and_crlf() {
        let file = "\u{feff}first_name;last_name;email;country;postal_code;email_opt_in;signed_on\r\n\
                    José;Pérez-Luna;;mx;06000;sí;01/11/2026\r\n\
                    \r\n\
                    Nguyễn;Văn An;an@example.org;VN;;no;2026-11-02\r\n";
        let rows = read_sheet(file.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].input.first_name, "José");
        assert_eq!(rows[0].input.country, "MX");
        assert_eq!(rows[0].opt_in, Ok(true));
        assert_eq!(rows[0].signed_on, Ok(NaiveDate::from_ymd_opt(2026, 11, 1)));
        assert_eq!(rows[1].line, 4);
        assert_eq!(rows[1].input.email, "an@example.org");
    }

    #[test]
    fn excel_csv_in_windows_1252_reads_as_written() {
        let file = b"first_name;last_name;country\r\nJos\xe9;Fran\xe7ois \x96 Nu\xf1ez;MX\r\n";
        let rows = read_sheet(file).unwrap();
        assert_eq!(rows[0].input.first_name, "José");
        assert_eq!(rows[0].input.last_name, "François – Nuñez");
    }

    #[test]
    fn commas_and_any_column_order_work_too() {
        let file = "country,last_name,first_name\nFR,Lefèvre,Zoé\n";
        let rows = read_sheet(file.as_bytes()).unwrap();
        assert_eq!(rows[0].input.first_name, "Zoé");
        assert_eq!(rows[0].opt_in, Ok(false));
    }

    #[test]
    fn files_that_are_not_sheets_are_refused_with_a_reason() {
        assert_eq!(read_sheet(b""), Err(SheetError::Empty));
        assert_eq!(
            read_sheet(b"\x89PNG\r\n\x1a\n\0\0\xff"),
            Err(SheetError::NotText)
        );
        assert_eq!(
            read_sheet(b"name,email\nAna,ana@example.org\n"),
            Err(SheetError::MissingColumns(
                "first_name, last_name, country".into()
            ))
        );
        assert_eq!(
            read_sheet(&vec![b'a'; MAX_SHEET_BYTES + 1]),
            Err(SheetError::TooLarge)
        );
    }

    #[test]
    fn unclear_answers_and_dates_are_kept_to_report() {
        assert_eq!(parse_yes_no("maybe"), Err("maybe".into()));
        assert_eq!(
            parse_day("2026-13-45"),
            Err(DayError::NotADate("2026-13-45".into()))
        );
        assert_eq!(parse_day(""), Ok(None));
    }

    #[test]
    fn excels_short_date_is_not_read_as_the_year_26() {
        for short in ["02/11/26", "2/11/26", "02-11-26", "2.11.26", "26-11-02"] {
            assert_eq!(
                parse_day(short),
                Err(DayError::TwoDigitYear(short.into())),
                "{short}"
            );
        }
        assert_eq!(
            parse_day("2/11/2026"),
            Ok(NaiveDate::from_ymd_opt(2026, 11, 2))
        );
    }
}
