//! Supporters' data: erased from the files on request, kept only as long as needed, and
//! recoverable from a consistent backup.

use std::time::Duration;

use crate::helpers::{
    DEMO, Options, TestDatabase, postgres_server, signer, spawn_app, spawn_app_with, with,
};

/// Whether `needle` is still stored anywhere the database keeps it. SQLite: the bytes of the
/// database file and its write-ahead log. PostgreSQL: any row version in the tables that
/// hold personal data, live or dead, as the server's own page inspector reads them (a dead
/// version stays in the table until `VACUUM` removes it).
fn database_files_contain(app: &crate::helpers::TestApp, needle: &str) -> bool {
    if postgres_server().is_some() {
        app.execute_sql("CREATE EXTENSION IF NOT EXISTS pageinspect");
        return ["signatures", "confirmation_tokens", "outbox"]
            .iter()
            .any(|table| {
                app.query_count(&format!(
                    "SELECT COUNT(*) AS n \
                     FROM generate_series(0, pg_relation_size('{table}') / 8192 - 1) AS page, \
                          heap_page_items(get_raw_page('{table}', page::int)) \
                     WHERE position(convert_to('{needle}', 'UTF8') IN t_data) > 0"
                )) > 0
            });
    }
    let mut found = false;
    for suffix in ["", "-wal", "-shm"] {
        let path = format!("{}{suffix}", app.db_path.display());
        if let Ok(bytes) = std::fs::read(&path) {
            found |= bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
        }
    }
    found
}

#[tokio::test]
async fn erasing_a_signer_removes_their_data_from_the_files_but_keeps_the_count() {
    let app = spawn_app().await;
    let form = with(
        with(
            signer("Zoe.Quetzal+x@Gmail.com"),
            "first_name",
            "Zoequetzalli",
        ),
        "comment",
        "Mensaje muy personal de Zoequetzalli",
    );
    assert_eq!(app.sign(&form).await.status().as_u16(), 303);
    app.sign_and_confirm_existing("Zoe.Quetzal+x@Gmail.com")
        .await;
    app.sign_and_confirm("otra@example.org").await;
    assert_eq!(app.count_becomes(2).await, 2);
    assert!(database_files_contain(&app, "Zoequetzalli"));
    assert!(database_files_contain(&app, "Zoe.Quetzal+x@gmail.com"));

    let output = app.cli(&["erase", "zoequetzal@googlemail.com"], "");

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("Erased 1 signature"));
    assert!(
        !database_files_contain(&app, "Zoequetzalli"),
        "the name is gone from the database files"
    );
    assert!(
        !database_files_contain(&app, "zoequetzal@gmail.com"),
        "so is the canonical address"
    );
    assert!(
        !database_files_contain(&app, "Zoe.Quetzal+x@gmail.com"),
        "and the address as typed (its domain is kept in lower case, as IDNA maps it)"
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(app.public_count().await, 2, "counts stay right");
    let export = app.cli(&["export", "signatures", DEMO], "");
    let csv = String::from_utf8_lossy(&export.stdout);
    assert!(
        csv.contains("otra@example.org") && csv.lines().count() == 2,
        "erased rows leave the export: {csv}"
    );
    let audit = app.query_count(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'erase' AND detail NOT LIKE '%zoe%'",
    );
    assert_eq!(audit, 1, "the erasure is audited without the address");
}

#[tokio::test]
async fn staff_can_erase_from_the_admin_pages() {
    let app = spawn_app().await;
    app.sign_and_confirm("ana@example.org").await;
    let (staff, csrf) = app.signed_in_staff().await;

    let page = staff
        .post(app.url("/admin/erase"))
        .form(&[
            ("email", "ANA+old@example.org"),
            ("campaign", DEMO),
            ("csrf_token", csrf.as_str()),
        ])
        .send()
        .await
        .expect("erase")
        .text()
        .await
        .expect("body");

    assert!(page.contains("Erased one signature"), "{page}");
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM signatures WHERE email = 'ana@example.org'"),
        0
    );
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM signatures WHERE confirmed_at IS NOT NULL"),
        1
    );
}

#[tokio::test]
async fn a_backup_taken_while_serving_is_a_consistent_copy() {
    let app = spawn_app().await;
    app.sign_and_confirm("ana@example.org").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir.path().join("copia.db");

    let output = app.cli(&["backup", &copy.to_string_lossy()], "");

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // On PostgreSQL the copy is a pg_dump archive, restored as an operator would.
    let restored_database = postgres_server().map(|server| TestDatabase::empty(&server));
    let restored_url = match &restored_database {
        Some(database) => {
            let restore = std::process::Command::new("pg_restore")
                .arg("--dbname")
                .arg(database.url())
                .arg(&copy)
                .output()
                .expect("pg_restore runs");
            assert!(
                restore.status.success(),
                "{}",
                String::from_utf8_lossy(&restore.stderr)
            );
            database.url()
        }
        None => format!("sqlite://{}", copy.display()),
    };
    let restored = app.cli_on(&restored_url, &["export", "signatures", DEMO]);
    assert!(String::from_utf8_lossy(&restored.stdout).contains("ana@example.org"));
    let again = app.cli(&["backup", &copy.to_string_lossy()], "");
    assert!(
        !again.status.success(),
        "an existing file is never overwritten"
    );
}

#[tokio::test]
async fn signers_who_opted_in_can_unsubscribe_in_one_click() {
    let app = spawn_app().await;
    let opted_in = with(signer("ana@example.org"), "email_opt_in", "yes");
    app.sign(&opted_in).await;
    app.sign(&signer("luis@example.org")).await;
    let email = &app.mail.wait_for("ana@example.org", 1).await[0];
    let quiet = &app.mail.wait_for("luis@example.org", 1).await[0];
    assert_eq!(
        quiet.header("List-Unsubscribe"),
        None,
        "no news was asked for, so none to stop"
    );
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM signatures WHERE email_opt_in"),
        1
    );

    let header = email
        .header("List-Unsubscribe")
        .expect("a List-Unsubscribe header");
    assert_eq!(
        email.header("List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    let link = header
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_owned();
    assert!(
        email.text().contains(&link),
        "the text part offers the same link"
    );
    let path = link.replace(&app.address, "");

    let (status, page) = app.get_text(&path).await;
    assert_eq!(status, 200);
    assert!(page.contains("<button"));
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM signatures WHERE email_opt_in"),
        1,
        "opening the link changes nothing"
    );
    // What a mail provider sends for RFC 8058 one-click unsubscribe.
    let response = app
        .client
        .post(app.url(&path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("one-click POST");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM signatures WHERE email_opt_in"),
        0
    );
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM signatures WHERE opted_out_at IS NOT NULL"),
        1
    );

    let forged = path.replace(&path[path.len() - 4..], "0000");
    assert_eq!(app.post_form(&forged, &[]).await.status().as_u16(), 404);
}

#[tokio::test]
async fn unconfirmed_signatures_are_deleted_after_the_retention_period() {
    let app = spawn_app().await;
    app.sign(&signer("old@example.org")).await;
    app.sign(&signer("recent@example.org")).await;
    app.sign_and_confirm("confirmed@example.org").await;
    app.execute_sql(
        "UPDATE signatures SET created_at = '2020-01-01 00:00:00' WHERE email IN ('old@example.org', 'confirmed@example.org')",
    );

    tokio::time::sleep(Duration::from_millis(800)).await;

    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM signatures WHERE email = 'old@example.org'"),
        0
    );
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM signatures WHERE email = 'recent@example.org'"),
        1
    );
    assert_eq!(
        app.query_count(
            "SELECT COUNT(*) AS n FROM signatures WHERE email = 'confirmed@example.org'"
        ),
        1,
        "confirmed signatures are kept"
    );
}

#[tokio::test]
async fn closed_campaigns_can_be_anonymised_while_keeping_their_counts() {
    let app = spawn_app_with(Options {
        anonymise_after_days: 30,
        ..Options::default()
    })
    .await;
    app.sign_and_confirm("ana@example.org").await;
    assert_eq!(app.count_becomes(1).await, 1);
    app.execute_sql("UPDATE campaigns SET is_open = FALSE, updated_at = '2020-01-01 00:00:00'");

    tokio::time::sleep(Duration::from_millis(800)).await;

    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM signatures WHERE email = 'ana@example.org'"),
        0
    );
    assert_eq!(app.query_count("SELECT COUNT(*) AS n FROM signatures WHERE confirmed_at IS NOT NULL AND erased_at IS NOT NULL"), 1);
    assert_eq!(app.public_count().await, 1, "the count stays");
}

#[tokio::test]
async fn a_confirmation_token_is_never_written_to_the_database_files() {
    let app = spawn_app().await;
    let token_of = |email: &crate::helpers::ReceivedEmail| {
        let link = email.confirmation_link();
        link[link.find("/confirm/").expect("a confirmation link") + "/confirm/".len()..].to_owned()
    };
    assert_eq!(
        app.sign(&signer("ana@example.org")).await.status().as_u16(),
        303
    );
    assert_eq!(
        app.sign(&signer("luis@example.org"))
            .await
            .status()
            .as_u16(),
        303
    );
    let first = token_of(&app.mail.wait_for("luis@example.org", 1).await[0]);
    // Signing again before confirming sends a new link.
    assert_eq!(
        app.sign(&signer("luis@example.org"))
            .await
            .status()
            .as_u16(),
        303
    );
    let ana = token_of(&app.mail.wait_for("ana@example.org", 1).await[0]);
    let resent = token_of(&app.mail.wait_for("luis@example.org", 2).await[1]);
    assert_ne!(first, resent);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while app.query_count("SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL") > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the outbox records the emails as sent"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    for token in [&ana, &first, &resent] {
        assert!(
            !database_files_contain(&app, token),
            "a token sent by email is in the database files"
        );
    }
    for token in [&ana, &resent] {
        let confirmed = app.post_form(&format!("/confirm/{token}"), &[]).await;
        assert_eq!(confirmed.status().as_u16(), 303, "the link still confirms");
    }
    assert_eq!(app.count_becomes(2).await, 2);
}
