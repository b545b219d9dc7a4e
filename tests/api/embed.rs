//! The form inside a partner's iframe: who may frame it, and every page of it staying inside.

use crate::helpers::{DEMO, hidden_value, signer, spawn_app, with};

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .map(|value| value.to_str().expect("an ASCII header").to_owned())
}

fn frame_ancestors(response: &reqwest::Response) -> String {
    let csp = header(response, "content-security-policy").expect("a Content-Security-Policy");
    csp.split(';')
        .map(str::trim)
        .find_map(|directive| directive.strip_prefix("frame-ancestors "))
        .unwrap_or_else(|| panic!("no frame-ancestors in {csp}"))
        .to_owned()
}

/// Asserts that a partner's page may frame `response`, from the sites in `ancestors`.
fn assert_frameable(response: &reqwest::Response, ancestors: &str) {
    assert_eq!(frame_ancestors(response), ancestors, "{}", response.url());
    assert_eq!(
        header(response, "x-frame-options"),
        None,
        "{}: X-Frame-Options would forbid every frame",
        response.url()
    );
}

#[tokio::test]
async fn any_site_may_frame_the_form_of_a_campaign_that_lists_none() {
    let app = spawn_app().await;
    app.execute_sql(
        "INSERT INTO partners (name, code, website, created_at)
         VALUES ('Centro Prodh', 'centro-prodh', '', '2026-11-01 00:00:00')",
    );

    let response = app
        .get(&format!("/embed/{DEMO}?source=Centro-Prodh&lang=en"))
        .await;

    assert_eq!(response.status().as_u16(), 200);
    assert_frameable(&response, "*");
    let page = response.text().await.expect("body");
    assert!(page.contains("<html lang=\"en\">"), "?lang= is honoured");
    assert!(page.contains("Butterflies for Mexico"));
    assert!(page.contains(&format!("action=\"/embed/{DEMO}/sign\"")));
    assert_eq!(
        hidden_value(&page, "source"),
        "centro-prodh",
        "a partner's code"
    );
    assert!(
        !page.contains("class=\"site-header\"") && !page.contains("class=\"site-footer\""),
        "the compact layout has no site navigation"
    );
    assert!(
        page.contains("/static/frame-height-"),
        "it reports its height"
    );
    assert!(
        page.contains("/static/mariposa-"),
        "it shares the site's stylesheet"
    );
}

#[tokio::test]
async fn only_the_sites_a_campaign_lists_may_frame_its_form() {
    let app = spawn_app().await;
    app.set_embed_origins(
        DEMO,
        "https://centroprodh.org.mx, https://SERAPAZ.org.mx/\nnot-an-origin",
    )
    .await;

    let response = app.get(&format!("/embed/{DEMO}")).await;

    assert_eq!(response.status().as_u16(), 200);
    assert_frameable(
        &response,
        "https://centroprodh.org.mx https://serapaz.org.mx",
    );
}

#[tokio::test]
async fn every_other_page_still_refuses_to_be_framed() {
    let app = spawn_app().await;
    for path in [
        "/".to_owned(),
        format!("/campaigns/{DEMO}"),
        format!("/campaigns/{DEMO}/check-email"),
        format!("/api/v1/campaigns/{DEMO}"),
        "/embed.js".to_owned(),
        "/embed/no-such-campaign".to_owned(),
    ] {
        let response = app.get(&path).await;

        assert_eq!(frame_ancestors(&response), "'none'", "{path}");
        assert_eq!(
            header(&response, "x-frame-options").as_deref(),
            Some("DENY"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn signing_inside_the_frame_stays_inside_the_frame() {
    let app = spawn_app().await;
    app.set_embed_origins(DEMO, "https://centroprodh.org.mx")
        .await;
    let mut form = signer("ana@example.org");
    form.push(("csrf_token", app.embed_form_token(DEMO).await));
    form.push(("source", "Centro-Prodh".into()));

    let response = app.post_form(&format!("/embed/{DEMO}/sign"), &form).await;

    assert_eq!(response.status().as_u16(), 303);
    let location = header(&response, "location").expect("a redirect");
    assert_eq!(
        location,
        format!("/embed/{DEMO}/check-email?lang=es&source=centro-prodh")
    );
    let check_email = app.get(&location).await;
    assert_eq!(check_email.status().as_u16(), 200);
    assert_frameable(&check_email, "https://centroprodh.org.mx");
    let page = check_email.text().await.expect("body");
    assert!(page.contains("Revisa tu correo"));
    assert!(page.contains("class=\"embedded\""), "in the compact layout");
    assert!(
        page.contains(&format!(
            "href=\"/embed/{DEMO}?lang=es&#38;source=centro-prodh\""
        )),
        "the way back leads to the embedded form: {page}"
    );

    app.mail.wait_for("ana@example.org", 1).await;
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM signatures WHERE source = 'centro-prodh'"),
        1
    );
}

#[tokio::test]
async fn invalid_input_in_the_frame_gets_422_in_the_compact_layout() {
    let app = spawn_app().await;
    let mut form = with(signer("ana@example.org"), "email", "ana.example.org");
    form.push(("csrf_token", app.embed_form_token(DEMO).await));

    let response = app.post_form(&format!("/embed/{DEMO}/sign"), &form).await;

    assert_eq!(response.status().as_u16(), 422);
    assert_frameable(&response, "*");
    let page = response.text().await.expect("body");
    assert!(page.contains("class=\"embedded\""));
    assert!(!page.contains("class=\"site-header\""));
    assert!(page.contains("id=\"email-error\""));
    assert!(
        page.contains("value=\"ana.example.org\""),
        "what was typed is kept"
    );
    assert!(page.contains(&format!("action=\"/embed/{DEMO}/sign\"")));
    assert_eq!(app.stored_signatures(), 0);
}

#[tokio::test]
async fn a_forged_token_in_the_frame_gets_403_in_the_compact_layout() {
    let app = spawn_app().await;
    let mut form = signer("ana@example.org");
    form.push(("csrf_token", "1795460657.forged".into()));

    let response = app.post_form(&format!("/embed/{DEMO}/sign"), &form).await;

    assert_eq!(response.status().as_u16(), 403);
    assert_frameable(&response, "*");
    let page = response.text().await.expect("body");
    assert!(page.contains("class=\"embedded\""));
    assert!(page.contains("Por tu seguridad"), "{page}");
    assert_eq!(app.stored_signatures(), 0);
}

#[tokio::test]
async fn the_snippet_script_is_served_to_any_site_and_cached_briefly() {
    let app = spawn_app().await;

    let response = app.get("/embed.js").await;

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some("*")
    );
    assert_eq!(
        header(&response, "cache-control").as_deref(),
        Some("public, max-age=300")
    );
    let script = response.text().await.expect("body");
    assert!(script.contains("\"es\":\"Formulario para firmar la petición\""));
    assert!(script.contains("mariposa:height"));
}
