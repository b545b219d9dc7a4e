//! The kill switch: staff pause signing on a campaign in an emergency, supporters are told
//! why on every surface, nothing already signed is touched, and signing resumes.

use crate::helpers::{DEMO, TestApp, hidden_value, osdi_signature, signer, spawn_app, with};

const NOTE: &str = "Estamos revisando las firmas recibidas. Vuelve mañana, por favor.";

async fn pause(app: &TestApp, staff: &reqwest::Client, csrf: &str, note: &str) -> u16 {
    staff
        .post(app.url(&format!("/admin/campaigns/{DEMO}/pause")))
        .form(&[("csrf_token", csrf), ("message", note)])
        .send()
        .await
        .expect("pause")
        .status()
        .as_u16()
}

#[tokio::test]
async fn staff_pause_signing_and_supporters_see_their_note_on_every_surface() {
    let app = spawn_app().await;
    assert_eq!(
        app.sign(&signer("earlier@example.org"))
            .await
            .status()
            .as_u16(),
        303
    );
    let token = app.form_token(DEMO).await;
    let (staff, csrf) = app.signed_in_staff().await;

    assert_eq!(pause(&app, &staff, &csrf, NOTE).await, 303);

    let (status, page) = app.get_text(&format!("/campaigns/{DEMO}")).await;
    assert_eq!(status, 200);
    assert!(page.contains(NOTE), "the campaign page shows the note");
    assert!(!page.contains("name=\"csrf_token\""), "and no form");
    let (_, embedded) = app.get_text(&format!("/embed/{DEMO}")).await;
    assert!(embedded.contains(NOTE), "the embedded form shows the note");

    let refused = app
        .post_form(
            &format!("/campaigns/{DEMO}/sign"),
            &with(signer("during@example.org"), "csrf_token", &token),
        )
        .await;
    assert_eq!(refused.status().as_u16(), 503);
    assert_eq!(refused.headers()["retry-after"], "300");
    assert!(refused.text().await.expect("body").contains(NOTE));
    let api = app
        .post_json(
            &format!("/api/v1/campaigns/{DEMO}/signatures"),
            &osdi_signature("api@example.org"),
        )
        .await;
    assert_eq!(api.status().as_u16(), 503);
    let answer: serde_json::Value = api.json().await.expect("JSON");
    assert_eq!(answer["error"], "paused");
    assert_eq!(answer["message"], NOTE);
    let summary: serde_json::Value = app
        .get(&format!("/api/v1/campaigns/{DEMO}"))
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(summary["open"], false);
    assert_eq!(summary["paused"], true);
    assert_eq!(
        app.stored_signatures(),
        1,
        "nothing was stored while paused"
    );

    // A signature made before the pause can still be confirmed: nothing signed is touched.
    app.sign_and_confirm_existing("earlier@example.org").await;
    assert_eq!(app.count_becomes(1).await, 1);

    let dashboard = app
        .page_as(&staff, &format!("/admin/campaigns/{DEMO}"))
        .await;
    assert!(dashboard.contains("Signing is paused"));
    assert!(dashboard.contains(NOTE));
    let audit = app.page_as(&staff, "/admin/audit").await;
    assert!(audit.contains("campaign_paused"));

    let resumed = staff
        .post(app.url(&format!("/admin/campaigns/{DEMO}/resume")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .expect("resume");
    assert_eq!(resumed.status().as_u16(), 303);
    let (_, page) = app.get_text(&format!("/campaigns/{DEMO}")).await;
    assert!(!page.contains(NOTE));
    assert_eq!(
        app.sign(&signer("after@example.org"))
            .await
            .status()
            .as_u16(),
        303
    );
    assert_eq!(app.stored_signatures(), 2);
}

#[tokio::test]
async fn without_a_note_each_supporter_reads_the_standard_one_in_their_language() {
    let app = spawn_app().await;
    let (staff, csrf) = app.signed_in_staff().await;

    assert_eq!(pause(&app, &staff, &csrf, "  ").await, 303);

    let (_, french) = app.get_text(&format!("/campaigns/{DEMO}?lang=fr")).await;
    assert!(french.contains("La collecte de signatures est suspendue pour un moment."));
    let (_, spanish) = app.get_text(&format!("/campaigns/{DEMO}?lang=es")).await;
    assert!(spanish.contains("La recogida de firmas está en pausa por un momento."));
}

#[tokio::test]
async fn a_pause_without_the_staff_form_token_or_with_too_long_a_note_changes_nothing() {
    let app = spawn_app().await;
    let (staff, csrf) = app.signed_in_staff().await;

    let forged = pause(&app, &staff, "not-the-token", NOTE).await;
    let too_long = pause(&app, &staff, &csrf, &"a".repeat(501)).await;

    assert_eq!(forged, 403);
    assert_eq!(too_long, 422);
    let (_, page) = app.get_text(&format!("/campaigns/{DEMO}")).await;
    assert!(
        !hidden_value(&page, "csrf_token").is_empty(),
        "the form is still there"
    );
}
