//! One mailbox is one signer, however its address is spelled: an international domain or its
//! ASCII form, fullwidth letters, invisible characters pasted along with it.

use crate::helpers::{DEMO, signer, spawn_app};

/// Signs with each spelling in turn; every answer must be the first one, and one row stored.
async fn signs_once(spellings: &[&str]) {
    let app = spawn_app().await;
    let mut answers = Vec::new();
    for spelling in spellings {
        let response = app.sign(&signer(spelling)).await;
        let location = response
            .headers()
            .get("location")
            .map(|l| l.to_str().expect("ascii").to_owned());
        answers.push((response.status().as_u16(), location));
    }

    assert_eq!(answers[0].0, 303, "{spellings:?}");
    for (spelling, answer) in spellings.iter().zip(&answers) {
        assert_eq!(answer, &answers[0], "{spelling:?} got another answer");
    }
    assert_eq!(app.stored_signatures(), 1, "{spellings:?}");
}

#[tokio::test]
async fn an_address_with_an_international_domain_signs_once_in_either_spelling() {
    signs_once(&["dd@münchen.example", "dd@xn--mnchen-3ya.example"]).await;
}

#[tokio::test]
async fn an_address_spelled_with_a_fullwidth_letter_signs_once() {
    signs_once(&["dup@example.org", "dup@ｅxample.org", "ｄup@example.org"]).await;
}

#[tokio::test]
async fn an_address_with_a_zero_width_space_signs_once() {
    signs_once(&[
        "dup@example.org",
        "dup@exa\u{200B}mple.org",
        "du\u{200B}p@example.org",
        "\u{FEFF}dup@example.org\u{00AD}",
    ])
    .await;
}

#[tokio::test]
async fn a_signature_made_through_the_api_is_the_same_signer_as_the_form() {
    let app = spawn_app().await;
    assert_eq!(
        app.sign(&signer("dd@münchen.example"))
            .await
            .status()
            .as_u16(),
        303
    );

    let response = app
        .post_json(
            &format!("/api/v1/campaigns/{DEMO}/signatures"),
            &crate::helpers::osdi_signature("DD@XN--MNCHEN-3YA.example"),
        )
        .await;

    assert_eq!(response.status().as_u16(), 202);
    assert_eq!(app.stored_signatures(), 1);
}

#[tokio::test]
async fn erasing_one_spelling_erases_the_signature_made_with_another() {
    let app = spawn_app().await;
    for email in ["dd@münchen.example", "dup@ｅxample.org"] {
        assert_eq!(app.sign(&signer(email)).await.status().as_u16(), 303);
    }

    let output = app.cli(&["erase", "dd@xn--mnchen-3ya.example"], "");

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("Erased 1 signature"),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );

    let (staff, csrf) = app.signed_in_staff().await;
    let page = staff
        .post(app.url("/admin/erase"))
        .form(&[
            ("email", "dup@example.org"),
            ("campaign", ""),
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
        app.query_count("SELECT COUNT(*) AS n FROM signatures WHERE erased_at IS NULL"),
        0,
        "no spelling is left behind"
    );
}

#[tokio::test]
async fn signatures_stored_under_the_old_rules_are_found_by_every_spelling_after_migrating() {
    let app = spawn_app().await;
    // Three rows as the old rules stored them: one mailbox under two keys (the earlier one
    // pending, the later one confirmed), and another signer under a key the new rules change.
    app.execute_sql(
        "INSERT INTO signatures (campaign_id, first_name, last_name, email, email_canonical,
             country, email_opt_in, lang, consent_version, created_at, confirmed_at)
         SELECT id, 'Dora', 'Pendiente', 'dd@münchen.example', 'dd@münchen.example',
             'DE', FALSE, 'es', '2026-11-23', CURRENT_TIMESTAMP, NULL FROM campaigns
         UNION ALL
         SELECT id, 'Dora', 'Confirmada', 'dd@xn--mnchen-3ya.example', 'dd@xn--mnchen-3ya.example',
             'DE', FALSE, 'es', '2026-11-23', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM campaigns
         UNION ALL
         SELECT id, 'Ulla', 'Breit', 'ulla@ｅxample.org', 'ulla@ｅxample.org',
             'DE', FALSE, 'es', '2026-11-23', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM campaigns",
    );
    app.execute_sql("INSERT INTO email_recanonicalisation_due (id) VALUES (1)");

    let output = app.cli(&["migrate"], "");

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM signatures WHERE last_name = 'Pendiente'"),
        0,
        "the pending duplicate is gone"
    );
    assert_eq!(
        app.query_count(
            "SELECT COUNT(*) AS n FROM signatures WHERE last_name = 'Confirmada' AND confirmed_at IS NOT NULL"
        ),
        1,
        "the confirmed signature stays"
    );
    assert_eq!(
        app.sign(&signer("dd@münchen.example"))
            .await
            .status()
            .as_u16(),
        303
    );
    assert_eq!(app.stored_signatures(), 2, "signing again adds no row");
    let erased = app.cli(&["erase", "ulla@example.org"], "");
    assert!(String::from_utf8_lossy(&erased.stdout).contains("Erased 1 signature"));
}

#[tokio::test]
async fn staff_with_an_international_address_sign_in_with_either_spelling() {
    let app = spawn_app().await;
    app.create_staff("Ana@München.example", "a long staff password");

    for spelling in ["ana@münchen.example", "ANA@xn--mnchen-3ya.example"] {
        let client = app.staff_client();
        let response = app.login(&client, spelling, "a long staff password").await;
        assert_eq!(response.status().as_u16(), 303, "{spelling}");
    }
}
