//! The documents for people outside the browser, read back as a reader would: signature
//! sheets (text, and the QR code decoded from a rendered page) and the delivery pack (names
//! as written, no email, and a checksum that matches its manifest).

use std::path::Path;
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::helpers::{DEMO, TestApp, signer, spawn_app, with};

/// The text of a PDF, as Debian's pdftotext extracts it.
pub fn pdf_text(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .args([pdf.to_str().expect("utf-8 path"), "-"])
        .output()
        .expect("pdftotext runs (scripts/test installs poppler-utils)");
    assert!(output.status.success(), "pdftotext read the PDF");
    String::from_utf8(output.stdout).expect("utf-8 text")
}

/// The QR codes on a PDF's first page: rendered with pdftoppm, decoded with zbarimg.
fn qr_codes(pdf: &Path) -> Vec<String> {
    let image = pdf.with_extension("");
    let rendered = Command::new("pdftoppm")
        .args(["-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile"])
        .arg(pdf)
        .arg(&image)
        .status()
        .expect("pdftoppm runs");
    assert!(rendered.success());
    let output = Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(image.with_extension("png"))
        .output()
        .expect("zbarimg runs (scripts/test installs zbar-tools)");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Signs online as `first last` and confirms, so the signer counts.
async fn confirmed_online(app: &TestApp, first: &str, last: &str, email: &str) {
    let fields = with(with(signer(email), "first_name", first), "last_name", last);
    app.sign(&fields).await;
    app.sign_and_confirm_existing(email).await;
}

fn paper_sheet(dir: &Path) -> String {
    let file = dir.join("hojas.csv");
    std::fs::write(
        &file,
        "first_name;last_name;email;country;postal_code;email_opt_in;signed_on\r\n\
         Nguyễn;Thị Lan;lan@example.org;VN;700000;no;2026-11-02\r\n\
         Zoé;Lefèvre;;FR;75011;no;2026-11-02\r\n",
    )
    .expect("write the sheet");
    file.to_str().expect("utf-8 path").to_owned()
}

#[tokio::test]
async fn printed_sheets_carry_the_demand_the_consent_and_a_qr_code_to_the_form_with_their_source() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in_staff().await;
    let dir = tempfile::tempdir().expect("temp dir");

    let response = client
        .get(app.url(&format!(
            "/admin/campaigns/{DEMO}/sheets.pdf?lang=es&rows=12&pages=2&source=paper-zocalo"
        )))
        .send()
        .await
        .expect("sheets");

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let pdf = dir.path().join("sheets.pdf");
    std::fs::write(&pdf, response.bytes().await.expect("body")).expect("save");
    let text = pdf_text(&pdf);
    for expected in [
        "Mariposas por México",
        "Dirigida a: Presidencia de la República",
        "versión 2026-11-23",
        "Código de la hoja: paper-zocalo",
        "Página 2 de 2",
        "Quiero recibir noticias",
        "24",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    assert_eq!(
        qr_codes(&pdf),
        [format!(
            "{}/campaigns/{DEMO}?lang=es&source=paper-zocalo",
            app.address
        )]
    );
    let audit = app.page_as(&client, "/admin/audit").await;
    assert!(audit.contains("sheets_printed"));

    let refused = client
        .get(app.url(&format!("/admin/campaigns/{DEMO}/sheets.pdf?rows=500")))
        .send()
        .await
        .expect("sheets");
    assert_eq!(refused.status().as_u16(), 400);
}

#[tokio::test]
async fn the_delivery_pack_names_confirmed_signers_never_their_emails_and_its_checksum_is_the_manifests()
 {
    let app = spawn_app().await;
    confirmed_online(&app, "Łukasz", "Żółkiewski", "lukasz@example.org").await;
    let pending = with(signer("pending@example.org"), "first_name", "Pendiente");
    app.sign(&pending).await;
    app.campaigns_created_on("2026-10-01");
    let dir = tempfile::tempdir().expect("temp dir");
    let sheet = paper_sheet(dir.path());
    let imported = app.cli(&["paper", "import", DEMO, &sheet, "--event", "Zócalo"], "");
    assert!(imported.status.success());
    let pdf = dir.path().join("entrega.pdf");
    let manifest = dir.path().join("entrega.csv");

    let output = app.cli(
        &[
            "delivery",
            DEMO,
            "--lang",
            "es",
            "--by",
            "country",
            "--output",
            pdf.to_str().expect("path"),
            "--manifest",
            manifest.to_str().expect("path"),
        ],
        "",
    );

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = pdf_text(&pdf);
    for expected in [
        "ENTREGA DE FIRMAS",
        "Dirigida a: Presidencia de la República",
        "Firmas: 3",
        "En línea, confirmadas por correo: 1",
        "En papel y en persona: 2",
        "Łukasz Żółkiewski",
        "Nguyễn Thị Lan",
        "Zoé Lefèvre",
        "País: Vietnam",
        "en papel",
        "Página 1 de 3",
        "Página 3 de 3",
        "(archivo entrega.csv)",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    assert!(!text.contains('@'), "no email address in the pack:\n{text}");
    assert!(
        !text.contains("Pendiente"),
        "unconfirmed signers are left out"
    );
    let checksum = sha256_hex(&std::fs::read(&manifest).expect("manifest"));
    assert!(
        text.contains(&checksum),
        "the cover prints the manifest's SHA-256 {checksum}:\n{text}"
    );
    let manifest = std::fs::read_to_string(&manifest).expect("manifest");
    assert!(
        manifest
            .starts_with("number,first_name,last_name,postal_code,country,signed_on,channel\r\n")
    );
    assert!(!manifest.contains('@'));
    assert_eq!(manifest.lines().count(), 4);
}

#[tokio::test]
async fn staff_download_the_delivery_pack_and_its_manifest_and_both_agree() {
    let app = spawn_app().await;
    confirmed_online(&app, "Nguyễn", "Văn An", "an@example.org").await;
    let (client, _) = app.signed_in_staff().await;
    let dir = tempfile::tempdir().expect("temp dir");

    let pack = client
        .get(app.url(&format!(
            "/admin/campaigns/{DEMO}/delivery.pdf?lang=fr&by=source&comments=yes"
        )))
        .send()
        .await
        .expect("pack");
    assert_eq!(pack.status().as_u16(), 200);
    let pdf = dir.path().join("pack.pdf");
    std::fs::write(&pdf, pack.bytes().await.expect("body")).expect("save");
    let manifest = client
        .get(app.url(&format!(
            "/admin/campaigns/{DEMO}/delivery-manifest.csv?lang=fr&by=source&comments=yes"
        )))
        .send()
        .await
        .expect("manifest")
        .bytes()
        .await
        .expect("body");

    let text = pdf_text(&pdf);
    assert!(text.contains("REMISE DES SIGNATURES"), "{text}");
    assert!(text.contains("Nguyễn Văn An"));
    assert!(text.contains("Sans partenaire"));
    assert!(text.contains(&sha256_hex(&manifest)), "{text}");
    assert!(String::from_utf8_lossy(&manifest).contains(",source,comment\r\n"));
    let audit = app.page_as(&client, "/admin/audit").await;
    assert!(audit.contains("delivery_pack"));
    assert!(audit.contains("delivery_manifest"));
}

#[tokio::test]
async fn staff_asking_for_more_delivery_packs_at_once_than_are_built_are_asked_to_wait() {
    let app = spawn_app().await;
    // Enough signers that each pack takes a while to build, so the requests overlap.
    app.execute_sql(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
         INSERT INTO signatures (campaign_id, first_name, last_name, email, email_canonical,
             country, postal_code, email_opt_in, lang, consent_version, created_at, confirmed_at)
         SELECT (SELECT id FROM campaigns WHERE slug = 'butterflies-for-mexico'), 'Ana',
             'Muchas', 'p' || i || '@example.org', 'p' || i || '@example.org', 'MX', '39090',
             FALSE, 'es', '1', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
         FROM n",
    );
    let (client, _) = app.signed_in_staff().await;
    let path = app.url(&format!("/admin/campaigns/{DEMO}/delivery.pdf?lang=en"));

    let answers = futures_util::future::join_all((0..5).map(|_| client.get(&path).send())).await;

    let mut built = 0;
    let mut turned_away = 0;
    for answer in answers {
        let answer = answer.expect("an answer");
        match answer.status().as_u16() {
            200 => {
                answer.bytes().await.expect("the whole pack");
                built += 1;
            }
            503 => {
                assert_eq!(answer.headers()["retry-after"], "30");
                let text = answer.text().await.expect("body");
                assert!(text.contains("try again in a minute"), "{text}");
                turned_away += 1;
            }
            other => panic!("a delivery pack answered {other}"),
        }
    }
    assert!(built >= 1, "no pack was built");
    assert!(turned_away >= 1, "all {built} packs were built at once");
    // Once the others are done, the next one is built.
    let later = client.get(&path).send().await.expect("an answer");
    assert_eq!(later.status().as_u16(), 200);
}

#[tokio::test]
async fn a_long_delivery_pack_comes_in_volumes_that_list_every_signer_exactly_once() {
    let app = spawn_app().await;
    app.execute_sql(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 7)
         INSERT INTO signatures (campaign_id, first_name, last_name, email, email_canonical,
             country, postal_code, email_opt_in, lang, consent_version, created_at, confirmed_at)
         SELECT (SELECT id FROM campaigns WHERE slug = 'butterflies-for-mexico'), 'Ana',
             'Tomo' || i || 'x', 'p' || i || '@example.org', 'p' || i || '@example.org', 'MX',
             '39090', FALSE, 'es', '1', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
         FROM n",
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = dir.path().join("entrega.pdf");
    let manifest = dir.path().join("entrega.csv");

    let output = app.cli(
        &[
            "delivery",
            DEMO,
            "--lang",
            "en",
            "--volume",
            "3",
            "--output",
            pdf.to_str().expect("path"),
            "--manifest",
            manifest.to_str().expect("path"),
        ],
        "",
    );

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!pdf.exists(), "a pack in volumes is not written as one PDF");
    let manifest = std::fs::read(&manifest).expect("manifest");
    let checksum = sha256_hex(&manifest);
    let file = std::fs::File::open(dir.path().join("entrega.zip")).expect("the ZIP");
    let mut zip = zip::ZipArchive::new(file).expect("a readable ZIP");
    let names: Vec<String> = zip
        .file_names()
        .map(|name| name.expect("a file name").into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "entrega.csv",
            "delivery-1-of-3.pdf",
            "delivery-2-of-3.pdf",
            "delivery-3-of-3.pdf"
        ]
    );
    let mut inside = Vec::new();
    std::io::Read::read_to_end(&mut zip.by_index(0).expect("manifest"), &mut inside).expect("read");
    assert_eq!(inside, manifest, "the ZIP holds the same manifest");
    let mut listed = String::new();
    for (volume, first, last) in [(1, 1, 3), (2, 4, 6), (3, 7, 7)] {
        let path = dir.path().join(format!("volume-{volume}.pdf"));
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut zip.by_index(volume).expect("volume"), &mut bytes)
            .expect("read");
        std::fs::write(&path, bytes).expect("save");
        let text = pdf_text(&path);
        for expected in [
            format!("Volume {volume} of 3"),
            format!("signers {first} to {last}"),
            "Signatures: 7".to_owned(),
            checksum.clone(),
        ] {
            assert!(
                text.contains(&expected),
                "{expected:?} missing from:\n{text}"
            );
        }
        listed.push_str(&text);
    }
    for i in 1..=7 {
        let name = format!("Ana Tomo{i}x");
        assert_eq!(
            listed.matches(&name).count(),
            1,
            "{name} is listed exactly once:\n{listed}"
        );
    }
}
