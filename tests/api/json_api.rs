//! Partners' own forms and servers sign through the JSON API, and anyone reads the numbers.

use serde_json::{Value, json};

use crate::helpers::{DEMO, osdi_signature, spawn_app};

fn signatures_path(slug: &str) -> String {
    format!("/api/v1/campaigns/{slug}/signatures")
}

async fn json_of(response: reqwest::Response) -> Value {
    assert_eq!(
        response.headers()["content-type"],
        "application/json",
        "errors are JSON too"
    );
    response.json().await.expect("a JSON body")
}

#[tokio::test]
async fn a_partner_form_signs_through_the_api_and_the_signer_gets_the_confirmation_email() {
    let app = spawn_app().await;

    let response = app
        .post_json(&signatures_path(DEMO), &osdi_signature("ana@example.org"))
        .await;

    assert_eq!(response.status().as_u16(), 202);
    let body = json_of(response).await;
    assert_eq!(body["status"], "pending_confirmation");
    assert!(
        body["message"]
            .as_str()
            .expect("a message")
            .contains("Te enviamos un correo"),
        "in the campaign's language: {body}"
    );
    let email = &app.mail.wait_for("ana@example.org", 1).await[0];
    assert!(email.text().contains("Ana"), "{}", email.text());
    assert_eq!(
        app.query_count(
            "SELECT COUNT(*) AS n FROM signatures WHERE source = 'centro-prodh' \
             AND first_name = 'Ana' AND postal_code = '39090' \
             AND comment = '¡Vivos se los llevaron!'"
        ),
        1,
        "the partner's referrer code is stored with the signature"
    );
    assert_eq!(app.public_count().await, 0, "it counts once confirmed");
}

#[tokio::test]
async fn signing_twice_through_the_api_gets_the_same_answer_and_stores_one_signature() {
    let app = spawn_app().await;
    let first = app
        .post_json(&signatures_path(DEMO), &osdi_signature("ana@example.org"))
        .await;
    let first_status = first.status().as_u16();
    let first_body = first.text().await.expect("body");

    let again = osdi_signature("Ana+petition@Example.org");
    let second = app.post_json(&signatures_path(DEMO), &again).await;

    assert_eq!(first_status, 202);
    assert_eq!(second.status().as_u16(), 202);
    assert_eq!(
        second.text().await.expect("body"),
        first_body,
        "nobody can tell from the answer that this email signed before"
    );
    assert_eq!(app.stored_signatures(), 1);
}

#[tokio::test]
async fn invalid_fields_get_422_with_a_code_and_a_translated_message_for_each() {
    let app = spawn_app().await;
    let body = json!({
        "person": {
            "given_name": "",
            "family_name": "López",
            "email_addresses": [{ "address": "ana.example.org" }],
            "postal_addresses": [{ "postal_code": "1", "country": "ZZ" }]
        },
        "lang": "en"
    });

    let response = app.post_json(&signatures_path(DEMO), &body).await;

    assert_eq!(response.status().as_u16(), 422);
    let errors = json_of(response).await["errors"].clone();
    let codes: Vec<(&str, &str)> = errors
        .as_array()
        .expect("a list of errors")
        .iter()
        .map(|e| {
            (
                e["field"].as_str().expect("field"),
                e["code"].as_str().expect("code"),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("first_name", "error-name-empty"),
            ("email", "error-email-invalid"),
            ("country", "error-country-unknown"),
        ]
    );
    assert_eq!(
        errors[1]["message"],
        "This does not look like an email address. Please check it."
    );

    let french = app
        .client
        .post(app.url(&signatures_path(DEMO)))
        .header("accept-language", "fr-CA")
        .json(&json!({ "person": { "given_name": "Ana", "family_name": "López" } }))
        .send()
        .await
        .expect("POST");
    assert_eq!(french.status().as_u16(), 422);
    let errors = json_of(french).await["errors"].clone();
    assert_eq!(errors[0]["code"], "error-email-empty");
    assert!(
        errors[0]["message"]
            .as_str()
            .expect("message")
            .contains("adresse"),
        "Accept-Language picks the language when the body names none: {errors}"
    );
    assert_eq!(app.stored_signatures(), 0);
}

#[tokio::test]
async fn malformed_json_or_the_wrong_shape_gets_400() {
    let app = spawn_app().await;
    let cases: [(&str, Vec<u8>); 6] = [
        ("cut short", br#"{"person": {"given_name": "Ana""#.to_vec()),
        ("not an object", br#"["ana@example.org"]"#.to_vec()),
        (
            "a name that is a number",
            br#"{"person": {"given_name": 7}}"#.to_vec(),
        ),
        (
            "addresses that are not a list",
            br#"{"person": {"email_addresses": "ana@example.org"}}"#.to_vec(),
        ),
        (
            "bytes that are not UTF-8",
            b"{\"comments\": \"\xff\xfe\"}".to_vec(),
        ),
        ("empty", Vec::new()),
    ];
    for (case, body) in cases {
        let response = app
            .client
            .post(app.url(&signatures_path(DEMO)))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("POST");

        assert_eq!(response.status().as_u16(), 400, "{case}");
        assert_eq!(json_of(response).await["error"], "malformed", "{case}");
    }
    assert_eq!(app.stored_signatures(), 0);
}

#[tokio::test]
async fn json_nested_deeper_than_a_signature_gets_400_even_in_fields_we_ignore() {
    let app = spawn_app().await;
    let nest = |depth: usize| format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let valid = osdi_signature("ana@example.org").to_string();
    let with_extra =
        |extra: &str| format!("{},\"custom_fields\":{extra}}}", &valid[..valid.len() - 1]);

    // Ten levels inside the object: past our limit. Two hundred: past serde_json's own.
    for depth in [10, 200] {
        let response = app
            .client
            .post(app.url(&signatures_path(DEMO)))
            .header("content-type", "application/json")
            .body(with_extra(&nest(depth)))
            .send()
            .await
            .expect("POST");

        assert_eq!(response.status().as_u16(), 400, "depth {depth}");
        assert_eq!(json_of(response).await["error"], "malformed");
    }
    assert_eq!(app.stored_signatures(), 0);

    let shallow = app
        .client
        .post(app.url(&signatures_path(DEMO)))
        .header("content-type", "application/json")
        .body(with_extra(&nest(3)))
        .send()
        .await
        .expect("POST");
    assert_eq!(
        shallow.status().as_u16(),
        202,
        "extra OSDI fields are ignored"
    );
}

#[tokio::test]
async fn a_body_larger_than_16_kib_gets_413() {
    let app = spawn_app().await;
    let mut body = osdi_signature("ana@example.org");
    body["comments"] = json!("¡Vivos! ".repeat(3_000));

    let response = app.post_json(&signatures_path(DEMO), &body).await;

    assert_eq!(response.status().as_u16(), 413);
    assert_eq!(json_of(response).await["error"], "too_large");
    assert_eq!(app.stored_signatures(), 0);
}

#[tokio::test]
async fn a_body_that_is_not_json_gets_415() {
    let app = spawn_app().await;
    let json_text = osdi_signature("ana@example.org").to_string();
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut request = app
            .client
            .post(app.url(&signatures_path(DEMO)))
            .body(json_text.clone());
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = request.send().await.expect("POST");

        assert_eq!(response.status().as_u16(), 415, "{content_type:?}");
        assert_eq!(json_of(response).await["error"], "unsupported_media_type");
    }
    assert_eq!(app.stored_signatures(), 0);
}

#[tokio::test]
async fn an_unknown_campaign_gets_404_and_a_closed_one_409() {
    let app = spawn_app().await;
    let body = osdi_signature("ana@example.org");

    let unknown = app
        .post_json(&signatures_path("no-such-campaign"), &body)
        .await;
    assert_eq!(unknown.status().as_u16(), 404);
    assert_eq!(json_of(unknown).await["error"], "not_found");

    app.change_campaigns(&format!(
        "UPDATE campaigns SET is_open = FALSE WHERE slug = '{DEMO}'"
    ))
    .await;
    let closed = app.post_json(&signatures_path(DEMO), &body).await;
    assert_eq!(closed.status().as_u16(), 409);
    assert_eq!(json_of(closed).await["error"], "campaign_closed");
    assert_eq!(app.stored_signatures(), 0);
}

async fn preflight(app: &crate::helpers::TestApp, origin: &str) -> reqwest::Response {
    app.client
        .request(reqwest::Method::OPTIONS, app.url(&signatures_path(DEMO)))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .expect("OPTIONS")
}

#[tokio::test]
async fn a_page_on_a_listed_site_may_post_and_read_the_answer_and_others_may_not() {
    let app = spawn_app().await;
    app.set_embed_origins(DEMO, "https://centroprodh.org.mx https://serapaz.org.mx")
        .await;

    let allowed = preflight(&app, "https://centroprodh.org.mx").await;
    assert_eq!(allowed.status().as_u16(), 204);
    let headers = allowed.headers();
    assert_eq!(
        headers["access-control-allow-origin"],
        "https://centroprodh.org.mx"
    );
    assert_eq!(headers["access-control-allow-methods"], "POST, OPTIONS");
    assert_eq!(headers["access-control-allow-headers"], "content-type");
    assert!(headers.contains_key("access-control-max-age"));
    assert_eq!(headers["vary"], "origin");

    let refused = preflight(&app, "https://evil.example").await;
    assert_eq!(refused.status().as_u16(), 403);
    assert!(
        !refused
            .headers()
            .contains_key("access-control-allow-origin")
    );

    let post = |origin: &'static str, email: &'static str| {
        app.client
            .post(app.url(&signatures_path(DEMO)))
            .header("origin", origin)
            .json(&osdi_signature(email))
            .send()
    };
    let from_partner = post("https://serapaz.org.mx", "ana@example.org")
        .await
        .expect("POST");
    assert_eq!(from_partner.status().as_u16(), 202);
    assert_eq!(
        from_partner.headers()["access-control-allow-origin"],
        "https://serapaz.org.mx"
    );
    let from_elsewhere = post("https://evil.example", "eve@example.org")
        .await
        .expect("POST");
    assert_eq!(from_elsewhere.status().as_u16(), 403);
    assert!(
        !from_elsewhere
            .headers()
            .contains_key("access-control-allow-origin")
    );
    assert_eq!(app.stored_signatures(), 1, "only the partner's signature");

    let invalid = app
        .client
        .post(app.url(&signatures_path(DEMO)))
        .header("origin", "https://centroprodh.org.mx")
        .json(&json!({}))
        .send()
        .await
        .expect("POST");
    assert_eq!(invalid.status().as_u16(), 422);
    assert_eq!(
        invalid.headers()["access-control-allow-origin"],
        "https://centroprodh.org.mx",
        "the partner's page can read the errors to show them"
    );
}

#[tokio::test]
async fn a_campaign_that_lists_no_site_accepts_pages_from_any() {
    let app = spawn_app().await;

    let response = preflight(&app, "https://any-partner.example").await;

    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn the_public_numbers_are_cached_briefly_and_revalidated_with_an_etag() {
    let app = spawn_app().await;
    let path = format!("/api/v1/campaigns/{DEMO}");

    let response = app.get(&path).await;

    assert_eq!(response.status().as_u16(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["access-control-allow-origin"], "*");
    let cache = headers["cache-control"].to_str().expect("ascii");
    assert!(
        cache.contains("public") && cache.contains("max-age=5"),
        "{cache}"
    );
    let etag = headers["etag"].to_str().expect("ascii").to_owned();
    assert!(
        etag.starts_with('"') && etag.ends_with('"'),
        "a strong ETag: {etag}"
    );
    let with_etag = |etag: String| {
        app.client
            .get(app.url(&path))
            .header("if-none-match", etag)
            .send()
    };

    let unchanged = with_etag(etag.clone()).await.expect("GET");
    assert_eq!(unchanged.status().as_u16(), 304);
    assert_eq!(unchanged.headers()["etag"], etag.as_str());
    assert!(unchanged.text().await.expect("body").is_empty());

    app.sign_and_confirm("ana@example.org").await;
    assert_eq!(app.count_becomes(1).await, 1);
    let changed = with_etag(etag.clone()).await.expect("GET");
    assert_eq!(changed.status().as_u16(), 200, "a new count is a new body");
    assert_ne!(changed.headers()["etag"], etag.as_str());
}

#[tokio::test]
async fn the_badge_shows_the_formatted_count_in_the_requested_language() {
    let app = spawn_app().await;
    app.execute_sql(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1234) \
         INSERT INTO signatures (campaign_id, first_name, last_name, email, email_canonical, \
           country, email_opt_in, lang, consent_version, created_at, confirmed_at) \
         SELECT (SELECT id FROM campaigns WHERE slug = '{DEMO}'), 'A', 'B', \
           'a' || i || '@example.org', 'a' || i || '@example.org', 'MX', FALSE, 'es', 'test', \
           '2026-11-23 00:00:00', '2026-11-23 00:00:00' FROM n"
    ));
    assert_eq!(app.count_becomes(1234).await, 1234);

    let response = app.get(&format!("/campaigns/{DEMO}/badge.svg")).await;

    assert_eq!(response.status().as_u16(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "image/svg+xml; charset=utf-8");
    assert_eq!(headers["access-control-allow-origin"], "*");
    assert!(
        headers["cache-control"]
            .to_str()
            .expect("ascii")
            .contains("max-age=")
    );
    let svg = response.text().await.expect("body");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(
        svg.contains("Mariposas por México"),
        "the campaign's language"
    );
    assert!(svg.contains(">1,234</tspan> firmas"), "{svg}");
    assert!(svg.contains("width=\"8.3\""), "1,234 of 43,000 of the bar");

    let (_, portuguese) = app
        .get_text(&format!("/campaigns/{DEMO}/badge.svg?lang=pt"))
        .await;
    assert!(
        portuguese.contains(">1.234</tspan> assinaturas"),
        "{portuguese}"
    );

    let (status, _) = app.get_text("/campaigns/no-such-campaign/badge.svg").await;
    assert_eq!(status, 404);
}
