//! Exports stay text in a spreadsheet, whichever separator it splits on: every cell is
//! quoted, and no cell or piece between separators starts a formula.

use crate::helpers::{DEMO, TestApp, signer, spawn_app, with};

const FORMULA_STARTS: [char; 4] = ['=', '+', '-', '@'];

/// Where a spreadsheet may start a cell: `,` or `;` (Spanish, French, Portuguese Excel),
/// tab (tab-separated reading) and line ends.
const SEPARATORS: [char; 5] = [',', ';', '\t', '\r', '\n'];

/// Asserts that `body` is UTF-8 CSV with a byte-order mark in which every cell is quoted,
/// and that no piece of it, split on any separator, starts a formula.
fn assert_safe_in_any_spreadsheet(body: &[u8]) -> Vec<csv::StringRecord> {
    let body = body
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("a byte-order mark");
    let records: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .collect::<Result<_, _>>()
        .expect("valid CSV");
    let mut quoted = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for record in &records {
        quoted.write_record(record).expect("write");
    }
    let quoted = quoted.into_inner().expect("flushed");
    assert_eq!(
        String::from_utf8_lossy(body),
        String::from_utf8_lossy(&quoted),
        "every cell is quoted"
    );
    for record in &records {
        for cell in record {
            assert!(!starts_a_formula(cell), "a cell starts a formula: {cell:?}");
        }
    }
    let text = String::from_utf8_lossy(body);
    for piece in text.split(SEPARATORS) {
        assert!(
            !starts_a_formula(piece),
            "a piece between separators starts a formula: {piece:?}"
        );
    }
    records
}

fn starts_a_formula(piece: &str) -> bool {
    piece
        .trim_start_matches([' ', '"'])
        .starts_with(FORMULA_STARTS)
}

async fn sign_risky_rows(app: &TestApp) {
    for (i, comment) in [
        "hi\t=1+1",
        "x;=1+1;",
        "Bien, =HYPERLINK(\"http://x\",\"y\")\n@SUM(A1)\r\n-2+3",
        " =1+1",
    ]
    .into_iter()
    .enumerate()
    {
        let form = with(
            with(signer(&format!("risky{i}@example.org")), "comment", comment),
            "source",
            "-cmd",
        );
        assert_eq!(app.sign(&form).await.status().as_u16(), 303, "{comment:?}");
    }
    // A name stored before names holding formulas were refused (confirmed, so that the
    // retention of unconfirmed signatures leaves it alone).
    app.execute_sql(
        "INSERT INTO signatures (campaign_id, first_name, last_name, email, email_canonical,
             country, email_opt_in, lang, consent_version, created_at, confirmed_at)
         SELECT id, 'x;=1+1;', '@Old', 'old@example.org', 'old@example.org', 'MX', FALSE, 'es',
             '2026-11-23', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM campaigns",
    );
}

#[tokio::test]
async fn a_formula_behind_a_separator_stays_text_in_the_signature_export() {
    let app = spawn_app().await;
    sign_risky_rows(&app).await;
    let (staff, _) = app.signed_in_staff().await;

    let body = staff
        .get(app.url(&format!(
            "/admin/campaigns/{DEMO}/signatures.csv?status=all"
        )))
        .send()
        .await
        .expect("export")
        .bytes()
        .await
        .expect("body");

    let records = assert_safe_in_any_spreadsheet(&body);
    assert_eq!(records.len(), 6, "the header and five signatures");
    assert!(
        records.iter().any(|r| &r[10] == "hi\t'=1+1"),
        "the text survives, neutralised: {records:?}"
    );
    assert!(
        records
            .iter()
            .any(|r| &r[3] == "x;'=1+1;" && &r[4] == "'@Old"),
        "{records:?}"
    );
}

#[tokio::test]
async fn a_formula_behind_a_separator_stays_text_in_the_command_line_and_count_exports() {
    let app = spawn_app().await;
    sign_risky_rows(&app).await;
    let (staff, _) = app.signed_in_staff().await;

    let signatures = app.cli(&["export", "signatures", DEMO, "--status", "all"], "");
    assert!(signatures.status.success());
    assert_safe_in_any_spreadsheet(&signatures.stdout);
    let counts = staff
        .get(app.url("/admin/counts.csv?by=campaign,source,country,day"))
        .send()
        .await
        .expect("export")
        .bytes()
        .await
        .expect("body");
    let records = assert_safe_in_any_spreadsheet(&counts);
    assert!(records.iter().any(|r| &r[1] == "'-cmd"), "{records:?}");
}

#[tokio::test]
async fn a_name_holding_a_formula_is_refused_in_every_language() {
    let app = spawn_app().await;
    for (lang, name, message) in [
        ("es", "x;=1+1;", "fórmula"),
        ("en", "=1+1", "formula"),
        ("fr", "Ana,@SUM(A1)", "formule"),
        ("pt", "Ana; -1", "fórmula"),
    ] {
        let form = with(
            with(signer("ana@example.org"), "first_name", name),
            "lang",
            lang,
        );
        let response = app.sign(&form).await;

        assert_eq!(response.status().as_u16(), 422, "{name:?}");
        let page = response.text().await.expect("body");
        let beside = page
            .find("id=\"first_name-error\"")
            .expect("beside the field");
        assert!(
            page[beside..]
                .split("</p>")
                .next()
                .is_some_and(|m| m.contains(message)),
            "{lang}: {name:?}"
        );
    }
    assert_eq!(app.stored_signatures(), 0);
}
