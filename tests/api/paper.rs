//! Staff enter paper signatures: typed in from a sheet, or imported from a spreadsheet's
//! CSV, previewed first; each person counted once; a bad batch undone.

use crate::helpers::{DEMO, TestApp, hidden_value, signer, spawn_app};

/// The demo campaign's first batch, "Día de Muertos, Zócalo", started by signed-in staff.
/// The campaign began in October.
async fn start_batch(app: &TestApp, client: &reqwest::Client, csrf: &str) -> String {
    app.campaigns_created_on("2026-10-01");
    let response = client
        .post(app.url(&format!("/admin/campaigns/{DEMO}/paper")))
        .form(&[
            ("name", "Día de Muertos, Zócalo"),
            ("place", "Ciudad de México"),
            ("held_on", "2026-11-02"),
            ("source", "paper-zocalo"),
            ("csrf_token", csrf),
        ])
        .send()
        .await
        .expect("start a batch");
    assert_eq!(response.status().as_u16(), 303);
    response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned()
}

/// Rows of the entry form: (first, last, email, postal code, country, keep informed).
async fn enter_rows(
    app: &TestApp,
    client: &reqwest::Client,
    csrf: &str,
    batch: &str,
    rows: &[(&str, &str, &str, &str, &str, bool)],
) -> (u16, String) {
    let mut form = vec![("csrf_token".to_owned(), csrf.to_owned())];
    for (i, (first, last, email, postal, country, opt_in)) in rows.iter().enumerate() {
        form.push((format!("first_name-{i}"), (*first).to_owned()));
        form.push((format!("last_name-{i}"), (*last).to_owned()));
        form.push((format!("email-{i}"), (*email).to_owned()));
        form.push((format!("postal_code-{i}"), (*postal).to_owned()));
        form.push((format!("country-{i}"), (*country).to_owned()));
        if *opt_in {
            form.push((format!("email_opt_in-{i}"), "yes".to_owned()));
        }
    }
    // A blank row, as the form always has some: skipped.
    form.push(("first_name-9".to_owned(), String::new()));
    form.push(("country-9".to_owned(), "MX".to_owned()));
    let response = client
        .post(app.url(&format!("{batch}/rows")))
        .form(&form)
        .send()
        .await
        .expect("enter rows");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    csrf: &str,
    batch: &str,
    file: Vec<u8>,
) -> (u16, String) {
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", csrf.to_owned())
        .part(
            "file",
            reqwest::multipart::Part::bytes(file).file_name("hojas.csv"),
        );
    let response = client
        .post(app.url(&format!("{batch}/preview")))
        .multipart(form)
        .send()
        .await
        .expect("preview");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

/// What Excel writes in a Spanish locale: a byte-order mark, `;` and CRLF.
fn excel_spanish_csv() -> Vec<u8> {
    let mut file = b"\xEF\xBB\xBF".to_vec();
    file.extend_from_slice(
        "first_name;last_name;email;country;postal_code;email_opt_in;signed_on\r\n\
         Łukasz;Nowak;;MX;06000;no;02/11/2026\r\n\
         Nguyễn;Thị Lan;lan@example.org;MX;39090;sí;2026-11-02\r\n\
         Beto;Sin Correo;no es correo;MX;06000;no;2026-11-02\r\n\
         łukasz;NOWAK;;mx;06000;no;2026-11-02\r\n"
            .as_bytes(),
    );
    file
}

#[tokio::test]
async fn staff_type_in_a_sheet_and_its_signatures_count_at_once_as_paper() {
    let app = spawn_app().await;
    let (client, csrf) = app.signed_in_staff().await;
    let batch = start_batch(&app, &client, &csrf).await;

    let (status, page) = enter_rows(
        &app,
        &client,
        &csrf,
        &batch,
        &[
            ("María", "Hernández", "", "06000", "MX", false),
            ("Zoé", "Lefèvre", "zoe@example.org", "", "fr", true),
        ],
    )
    .await;

    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("Added 2; 0 already counted and 0 with a problem were left out."),
        "{page}"
    );
    assert_eq!(app.counted(), 2);
    assert_eq!(app.counted_by_channel(), (2, 0, 2));
    let (_, campaign_page) = app.get_text(&format!("/campaigns/{DEMO}?lang=en")).await;
    assert!(
        !campaign_page.contains("in person"),
        "the public sees paper signatures after 00:00 UTC, in steps of ten"
    );
    // Only the signer who gave an email and ticked the box hears from us: one welcome.
    let welcome = app.mail.wait_for("zoe@example.org", 1).await;
    assert!(welcome[0].header("List-Unsubscribe").is_some());
    assert_eq!(app.mail.emails().len(), 1);
}

#[tokio::test]
async fn a_row_with_a_problem_comes_back_with_its_reason_and_what_was_typed() {
    let app = spawn_app().await;
    let (client, csrf) = app.signed_in_staff().await;
    let batch = start_batch(&app, &client, &csrf).await;

    let (status, page) = enter_rows(
        &app,
        &client,
        &csrf,
        &batch,
        &[
            ("Ana", "López", "", "06000", "MX", false),
            ("Beto", "Ruiz", "beto at example", "06000", "MX", false),
        ],
    )
    .await;

    assert_eq!(status, 422);
    assert!(
        page.contains("Added 1; 0 already counted and 1 with a problem were left out."),
        "{page}"
    );
    assert!(page.contains("Email: not an email address"));
    assert!(
        page.contains("value=\"beto at example\""),
        "kept for correcting"
    );
    assert_eq!(app.counted(), 1);
}

#[tokio::test]
async fn someone_who_signed_online_or_twice_on_the_sheet_is_shown_as_a_duplicate_and_counted_once()
{
    let app = spawn_app().await;
    app.sign_and_confirm("ana@example.org").await;
    let (client, csrf) = app.signed_in_staff().await;
    let batch = start_batch(&app, &client, &csrf).await;

    let (status, page) = enter_rows(
        &app,
        &client,
        &csrf,
        &batch,
        &[
            ("Ana", "Online", "ANA@example.org", "", "MX", false),
            ("José", "Pérez-Luna", "", "06000", "MX", false),
            ("jose", "perez  luna", "", "06000", "mx", false),
        ],
    )
    .await;

    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("Added 1; 2 already counted and 0 with a problem were left out."),
        "{page}"
    );
    assert!(page.contains("Already signed online on "), "{page}");
    assert!(page.contains("Same person as row 2"));
    assert_eq!(app.counted(), 2);
    assert_eq!(app.counted_by_channel(), (2, 1, 1));
}

#[tokio::test]
async fn an_online_signature_confirmed_after_the_same_person_signed_on_paper_counts_once() {
    let app = spawn_app().await;
    let (client, csrf) = app.signed_in_staff().await;
    let batch = start_batch(&app, &client, &csrf).await;
    // The helper's signer, typed in from a sheet without an email.
    enter_rows(
        &app,
        &client,
        &csrf,
        &batch,
        &[("José Ñúñez", "O'Connor", "", "39090", "MX", false)],
    )
    .await;
    assert_eq!(app.counted(), 1);

    app.sign_and_confirm("jose@example.org").await;

    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(app.counted(), 1);
    assert_eq!(app.stored_signatures(), 1);

    // The sheet turns out to be bad: undoing it leaves the confirmation made by email.
    let response = client
        .post(app.url(&format!("{batch}/undo")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .expect("undo");
    assert_eq!(response.status().as_u16(), 303);
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(app.counted(), 1);
    assert_eq!(
        app.query_count(
            "SELECT COUNT(*) AS n FROM signatures WHERE email = 'jose@example.org' \
             AND confirmed_at IS NOT NULL"
        ),
        1
    );
}

#[tokio::test]
async fn an_excel_csv_in_spanish_is_previewed_with_line_numbers_then_imported_once() {
    let app = spawn_app().await;
    let (client, csrf) = app.signed_in_staff().await;
    let batch = start_batch(&app, &client, &csrf).await;

    let (status, preview) = upload(&app, &client, &csrf, &batch, excel_spanish_csv()).await;

    assert_eq!(status, 200, "{preview}");
    assert!(
        preview.contains(
            "Checked: 2 new, 1 already counted, 1 with a problem. Nothing is stored yet."
        ),
        "{preview}"
    );
    assert!(preview.contains("<td class=\"number\">4</td><td>Beto Sin Correo</td>"));
    assert!(preview.contains("Same person as line 2"));
    assert_eq!(app.stored_signatures(), 0, "a preview stores nothing");

    assert!(preview.contains("Import 2 new signatures"));
    let import = |csv: String| {
        let client = client.clone();
        let url = app.url(&format!("{batch}/import"));
        let csrf = csrf.clone();
        async move {
            let response = client
                .post(url)
                .form(&[("csv", csv), ("csrf_token", csrf)])
                .send()
                .await
                .expect("import");
            (
                response.status().as_u16(),
                response.text().await.expect("body"),
            )
        }
    };
    let (status, imported) = import(String::from_utf8(excel_spanish_csv()).expect("utf-8")).await;
    assert_eq!(status, 200);
    assert!(
        imported.contains("Imported 2; 1 already counted and 1 with a problem were left out."),
        "{imported}"
    );
    assert_eq!(app.counted(), 2);

    let (_, again) = import(String::from_utf8(excel_spanish_csv()).expect("utf-8")).await;
    assert!(
        again.contains("Imported 0; 3 already counted and 1 with a problem were left out."),
        "{again}"
    );
    assert_eq!(app.stored_signatures(), 2, "importing twice adds nothing");
}

#[tokio::test]
async fn files_that_are_not_sheets_get_a_clear_reason_and_never_a_server_error() {
    let app = spawn_app().await;
    let (client, csrf) = app.signed_in_staff().await;
    let batch = start_batch(&app, &client, &csrf).await;
    let huge = {
        let mut file = b"first_name,last_name,country\n".to_vec();
        while file.len() <= 6 * 1024 * 1024 {
            file.extend_from_slice(b"Ana,L\xC3\xB3pez,MX\n");
        }
        file
    };
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("huge", huge, "larger than 5 MB"),
        (
            "binary",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe".to_vec(),
            "not a CSV text file",
        ),
        (
            "wrong columns",
            b"name;mail\nAna;ana@example.org\n".to_vec(),
            "missing: first_name, last_name, country",
        ),
        ("empty", Vec::new(), "the file is empty"),
    ];
    for (what, file, reason) in cases {
        let (status, page) = upload(&app, &client, &csrf, &batch, file).await;
        assert_eq!(status, 422, "{what}");
        assert!(page.contains(reason), "{what}: {page}");
    }
    assert_eq!(app.stored_signatures(), 0);
}

#[tokio::test]
async fn undoing_a_batch_takes_its_signatures_out_of_the_count_and_is_audited() {
    let app = spawn_app().await;
    // Signed online, never confirmed; the sheet confirms it, and undoing reopens it.
    app.sign(&signer("pending@example.org")).await;
    let (client, csrf) = app.signed_in_staff().await;
    let batch = start_batch(&app, &client, &csrf).await;
    enter_rows(
        &app,
        &client,
        &csrf,
        &batch,
        &[
            ("Ana", "López", "", "06000", "MX", false),
            (
                "José Ñúñez",
                "O'Connor",
                "pending@example.org",
                "39090",
                "MX",
                false,
            ),
        ],
    )
    .await;
    assert_eq!(app.counted(), 2);

    let response = client
        .post(app.url(&format!("{batch}/undo")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .expect("undo");

    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(app.counted(), 0);
    assert_eq!(
        app.stored_signatures(),
        1,
        "the online signature waits again"
    );
    let list = app
        .page_as(&client, &format!("/admin/campaigns/{DEMO}/paper"))
        .await;
    assert!(list.contains("Undone on"));
    let audit = app.page_as(&client, "/admin/audit").await;
    assert!(audit.contains("paper_batch_undone"));
    assert!(audit.contains("removed=1 reopened=1"));
}

#[tokio::test]
async fn exports_tell_online_signatures_from_paper_ones_and_name_the_event() {
    let app = spawn_app().await;
    app.sign_and_confirm("ana@example.org").await;
    let (client, csrf) = app.signed_in_staff().await;
    let batch = start_batch(&app, &client, &csrf).await;
    enter_rows(
        &app,
        &client,
        &csrf,
        &batch,
        &[("María", "Hernández", "", "06000", "MX", false)],
    )
    .await;

    let counts = app
        .page_as(&client, "/admin/counts.csv?by=campaign,channel")
        .await;
    assert!(
        counts.contains(&format!("\"{DEMO}\",\"online\",\"1\",\"0\"")),
        "{counts}"
    );
    assert!(
        counts.contains(&format!("\"{DEMO}\",\"paper\",\"1\",\"0\"")),
        "{counts}"
    );
    let signatures = app
        .page_as(&client, &format!("/admin/campaigns/{DEMO}/signatures.csv"))
        .await;
    assert!(signatures.contains("\"channel\",\"event\""));
    assert!(signatures.contains("\"paper\",\"Día de Muertos, Zócalo\""));
}

#[tokio::test]
async fn the_command_line_imports_a_sheet_after_a_dry_run_and_a_second_time_adds_nothing() {
    let app = spawn_app().await;
    app.campaigns_created_on("2026-10-01");
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("hojas.csv");
    std::fs::write(&file, excel_spanish_csv()).expect("write the sheet");
    let file = file.to_str().expect("utf-8 path");
    let args = [
        "paper",
        "import",
        DEMO,
        file,
        "--event",
        "Zócalo",
        "--source",
        "paper-zocalo",
    ];

    let dry = app.cli(&[&args[..], &["--dry-run"]].concat(), "");
    assert!(dry.status.success());
    assert!(
        String::from_utf8_lossy(&dry.stdout)
            .contains("Would import: 2 new, 1 duplicate, 1 invalid")
    );
    assert!(String::from_utf8_lossy(&dry.stderr).contains("line 4: Email: not an email address"));
    assert_eq!(app.stored_signatures(), 0);

    let first = app.cli(&args, "");
    assert!(String::from_utf8_lossy(&first.stdout).contains("Imported: 2 new"));
    let second = app.cli(&args, "");
    assert!(String::from_utf8_lossy(&second.stdout).contains("Imported: 0 new, 3 duplicates"));
    assert_eq!(app.stored_signatures(), 2);
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM events"),
        1,
        "the second import went to the same event"
    );
    assert_eq!(app.counted(), 2);

    let refused = app.cli(&["paper", "import", DEMO, "/nonexistent.csv"], "");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("could not read"));
}

#[tokio::test]
async fn the_paper_pages_need_a_staff_session_and_a_form_token() {
    let app = spawn_app().await;
    let (status, _) = app
        .get_text(&format!("/admin/campaigns/{DEMO}/paper"))
        .await;
    assert_ne!(status, 200);
    let (client, csrf) = app.signed_in_staff().await;
    let batch = start_batch(&app, &client, &csrf).await;
    let (status, _) = enter_rows(
        &app,
        &client,
        "not the token",
        &batch,
        &[("Ana", "López", "", "06000", "MX", false)],
    )
    .await;
    assert_eq!(status, 403);
    let unknown = app
        .page_as(&client, &format!("/admin/campaigns/{DEMO}/paper/999999"))
        .await;
    assert!(unknown.contains("no such campaign or batch"));
}

#[tokio::test]
async fn a_kiosks_event_is_not_a_paper_batch_until_paper_is_entered_into_it() {
    let app = spawn_app().await;
    let kiosk = app.cli(
        &[
            "kiosk",
            "create",
            DEMO,
            "--event",
            "Feria del libro",
            "--base-url",
            "https://firmas.example.org",
        ],
        "",
    );
    assert!(
        kiosk.status.success(),
        "{}",
        String::from_utf8_lossy(&kiosk.stderr)
    );
    let (client, _) = app.signed_in_staff().await;

    let list = app
        .page_as(&client, &format!("/admin/campaigns/{DEMO}/paper"))
        .await;

    assert!(!list.contains("Feria del libro"), "{list}");
    assert!(list.contains("No paper signatures yet."));
}

#[tokio::test]
async fn sheet_dates_with_a_short_year_before_the_campaign_or_in_the_future_are_refused_by_row() {
    let app = spawn_app().await;
    app.create_staff("ana@example.org", "a long staff password");
    let client = app.staff_client_in("es");
    app.login(&client, "ana@example.org", "a long staff password")
        .await;
    let csrf = hidden_value(&app.page_as(&client, "/admin/tokens").await, "csrf_token");
    let batch = start_batch(&app, &client, &csrf).await;
    let sheet = "first_name;last_name;country;signed_on\r\n\
                 Ana;López;MX;02/11/26\r\n\
                 Beto;Ruiz;MX;2026-09-15\r\n\
                 Carla;Díaz;MX;2027-11-02\r\n\
                 Dora;Vega;MX;2026-11-02\r\n";

    let (status, page) = upload(&app, &client, &csrf, &batch, sheet.as_bytes().to_vec()).await;

    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains(
            "Revisado: 1 nuevas, 0 ya contadas, 3 con un problema. Todavía no se guardó nada."
        ),
        "{page}"
    );
    let row =
        |line: u64, name: &str| format!("<td class=\"number\">{line}</td><td>{name}</td><td>");
    let reason = |line: u64, name: &str| {
        let start = page.find(&row(line, name)).expect("the row") + row(line, name).len();
        page[start..]
            .split("</td>")
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        reason(2, "Ana López").contains("tiene el año en dos cifras"),
        "{page}"
    );
    assert!(
        reason(3, "Beto Ruiz")
            .contains("2026-09-15 es anterior a la creación de la campaña (2026-10-01)"),
        "{page}"
    );
    assert!(
        reason(4, "Carla Díaz").contains("2027-11-02 está en el futuro"),
        "{page}"
    );
    assert_eq!(app.stored_signatures(), 0, "a preview stores nothing");
}

#[tokio::test]
async fn a_batch_dated_the_year_26_is_refused_before_any_row_is_typed() {
    let app = spawn_app().await;
    let (client, csrf) = app.signed_in_staff().await;
    let response = client
        .post(app.url(&format!("/admin/campaigns/{DEMO}/paper")))
        .form(&[
            ("name", "Día de Muertos"),
            ("held_on", "0026-11-02"),
            ("csrf_token", &csrf),
        ])
        .send()
        .await
        .expect("start a batch");

    assert_eq!(response.status().as_u16(), 422);
    let page = response.text().await.expect("body");
    assert!(
        page.contains("The date is before the campaign was created"),
        "{page}"
    );
    assert_eq!(app.query_count("SELECT COUNT(*) AS n FROM events"), 0);
}
