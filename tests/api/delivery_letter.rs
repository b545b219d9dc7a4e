//! The delivery pack as a head of state's office receives it: a letter from the
//! organisation, dated in words, the demand apart from the supporters' summary, and every
//! signer's name drawn, whatever its script.

use std::path::Path;
use std::process::Command;

use crate::helpers::{DEMO, TestApp, spawn_app};

/// Signers in ten scripts, and one in Cherokee, for which no font is installed.
const SIGNERS: [(&str, &str, &str); 11] = [
    ("秀英", "王", "CN"),
    ("محمد", "العلي", "EG"),
    ("דוד", "כהן", "IL"),
    ("민준", "김", "KR"),
    ("राहुल", "शर्मा", "IN"),
    ("สมชาย", "ใจดี", "TH"),
    ("Nguyễn", "Văn An", "VN"),
    ("Иван", "Петров", "RU"),
    ("Νίκος", "Παπαδόπουλος", "GR"),
    ("Łukasz", "Żółkiewski", "PL"),
    ("ᏌᏊ", "ᎤᏍᏗ", "US"),
];

fn pdf_text(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .args([pdf.to_str().expect("utf-8 path"), "-"])
        .output()
        .expect("pdftotext runs (scripts/test installs poppler-utils)");
    assert!(output.status.success());
    String::from_utf8(output.stdout).expect("utf-8 text")
}

fn import_signers(app: &TestApp, dir: &Path) {
    app.campaigns_created_on("2026-10-01");
    let mut sheet = String::from("first_name;last_name;country;signed_on\r\n");
    for (first, last, country) in SIGNERS {
        sheet.push_str(&format!("{first};{last};{country};2026-11-02\r\n"));
    }
    let file = dir.join("firmas.csv");
    std::fs::write(&file, sheet).expect("write the sheet");
    let imported = app.cli(
        &[
            "paper",
            "import",
            DEMO,
            file.to_str().expect("path"),
            "--event",
            "Zócalo",
        ],
        "",
    );
    assert!(imported.status.success(), "{imported:?}");
}

/// The pack in Spanish, written by the real binary with `font_dir` in place of Debian's
/// font folders when given.
fn delivery_pack(app: &TestApp, dir: &Path, font_dir: Option<&Path>) -> String {
    let pdf = dir.join("entrega.pdf");
    let mut command = Command::new(env!("CARGO_BIN_EXE_mariposa"));
    command
        .args(["delivery", DEMO, "--lang", "es", "--output"])
        .arg(&pdf)
        .env("MARIPOSA_DATABASE_URL", &app.database_url)
        .env("MARIPOSA_LOG", "warn");
    if let Some(font_dir) = font_dir {
        command.env("MARIPOSA_FONT_DIR", font_dir);
    }
    let output = command.output().expect("mariposa runs");
    assert!(output.status.success(), "{output:?}");
    pdf_text(&pdf)
}

fn spanish_date_today() -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    let today = chrono::Utc::now().date_naive();
    format!(
        "{} de {} de {}",
        today.day(),
        MONTHS[today.month0() as usize],
        today.year()
    )
}

#[tokio::test]
async fn the_pack_opens_with_the_organisations_letter_and_the_demand_not_the_summary() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().expect("temp dir");
    import_signers(&app, dir.path());
    let text = delivery_pack(&app, dir.path(), None);
    let letter = &text[..text.find("ENTREGA DE FIRMAS").expect("the cover follows")];
    for expected in [
        "Red por la Memoria y la Justicia",
        "Calle de la Memoria 43, Col. Centro",
        &spanish_date_today(),
        "Presidencia de la República",
        "Presente.",
        "las firmas de 11 personas",
        "del 2 de noviembre de 2026 al 2 de noviembre de 2026",
        "Atentamente,",
        "Red por la Memoria y la Justicia, A.C.",
    ] {
        assert!(
            letter.contains(expected),
            "{expected:?} missing from the letter:\n{letter}"
        );
    }
    assert!(
        text.contains("Le pedimos que la Fiscalía Especial"),
        "the demand to the target follows:\n{text}"
    );
    assert!(
        !text.contains("Pide a las autoridades mexicanas"),
        "the supporters' summary stays on the web page"
    );
    assert!(!text.contains("2026-11-02 al"), "no ISO dates in sentences");
}

#[tokio::test]
async fn names_in_every_script_are_drawn_and_a_name_no_font_has_is_counted() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().expect("temp dir");
    import_signers(&app, dir.path());

    let text = delivery_pack(&app, dir.path(), None);
    for (first, last, _) in &SIGNERS[..10] {
        assert!(text.contains(first), "{first} missing from:\n{text}");
        assert!(text.contains(last), "{last} missing from:\n{text}");
    }
    assert!(
        text.contains("ninguna tipografía de este documento puede dibujar: 1."),
        "the Cherokee name is counted, not dropped:\n{text}"
    );

    // Without the fallback fonts, seven of the names could not be drawn, and the pack says so.
    let no_fonts = tempfile::tempdir().expect("temp dir");
    let text = delivery_pack(&app, dir.path(), Some(no_fonts.path()));
    assert!(
        text.contains("ninguna tipografía de este documento puede dibujar: 7."),
        "{text}"
    );
}

#[tokio::test]
async fn sheets_carry_the_organisations_privacy_notice_and_a_line_for_the_event_and_date() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = dir.path().join("hojas.pdf");
    let output = app.cli(
        &[
            "sheets",
            DEMO,
            "--lang",
            "es",
            "--base-url",
            "https://firmas.example",
            "--output",
            pdf.to_str().expect("path"),
        ],
        "",
    );
    assert!(output.status.success(), "{output:?}");
    let text = pdf_text(&pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for expected in [
        "Evento: ___",
        "Fecha: ___",
        "Red por la Memoria y la Justicia, A.C. es responsable de tus datos.",
        "Usamos tus datos solo para esta petición",
        "https://example.org/aviso-de-privacidad",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
}
