//! Addresses no mail can reach and names that are not names are refused beside their field,
//! on the form and through the JSON API alike, and nothing is stored.

use serde_json::Value;

use crate::helpers::{DEMO, osdi_signature, signer, spawn_app, with};

const UNDELIVERABLE: [&str; 6] = [
    "a@[127.0.0.1]",
    "a@localhost",
    "a@1.2.3.4",
    "ana@mariposa.invalid",
    "ana@printer.local",
    "ana@app.localhost",
];

const WEB_ADDRESS_NAMES: [&str; 4] = [
    "URGENT: your account is locked, visit https://evil.example/login",
    "Ana www.evil.example",
    "evil.example/login",
    "Ana (evil。example/login)",
];

const INVISIBLE_NAMES: [&str; 3] = [
    "\u{200B}\u{200D}",
    "\u{202E}\u{2066}\u{2069}",
    "\u{FEFF}\u{00AD}",
];

/// Posts the form with `field` set to `value` and checks the 422 page shows `message` there.
async fn form_refuses(app: &crate::helpers::TestApp, field: &str, value: &str, message: &str) {
    let email_field = if field == "email" {
        value
    } else {
        "ana@example.org"
    };
    let form = with(signer(email_field), static_name(field), value);
    let response = app.sign(&form).await;
    assert_eq!(response.status().as_u16(), 422, "{field}={value:?}");
    let page = response.text().await.expect("body");
    let beside = page
        .find(&format!("id=\"{field}-error\""))
        .unwrap_or_else(|| panic!("{field}={value:?}: no error beside the field"));
    let end = page[beside..]
        .find("</p>")
        .map_or(page.len(), |e| beside + e);
    assert!(
        page[beside..end].contains(message),
        "{field}={value:?}: expected {message:?} in {}",
        &page[beside..end]
    );
}

fn static_name(field: &str) -> &'static str {
    match field {
        "email" => "email",
        "first_name" => "first_name",
        _ => "last_name",
    }
}

async fn api_refuses(app: &crate::helpers::TestApp, body: Value, field: &str, code: &str) {
    let response = app
        .post_json(&format!("/api/v1/campaigns/{DEMO}/signatures"), &body)
        .await;
    assert_eq!(response.status().as_u16(), 422, "{body}");
    let json: Value = response.json().await.expect("JSON");
    let errors = json["errors"].as_array().expect("errors").clone();
    assert!(
        errors
            .iter()
            .any(|e| e["field"] == field && e["code"] == code && e["message"].is_string()),
        "{field} {code}: {json}"
    );
}

#[tokio::test]
async fn addresses_no_mail_can_reach_are_refused_on_the_form_and_the_api() {
    let app = spawn_app().await;
    for address in UNDELIVERABLE {
        form_refuses(
            &app,
            "email",
            address,
            "No podemos enviar correo a esta dirección",
        )
        .await;
        api_refuses(
            &app,
            osdi_signature(address),
            "email",
            "error-email-undeliverable",
        )
        .await;
    }
    assert_eq!(app.stored_signatures(), 0);
}

#[tokio::test]
async fn example_domains_used_in_documentation_are_still_accepted() {
    let app = spawn_app().await;
    for address in ["ana@example.org", "ana@example.com", "ana@partner.example"] {
        assert_eq!(
            app.sign(&signer(address)).await.status().as_u16(),
            303,
            "{address}"
        );
    }
    assert_eq!(app.stored_signatures(), 3);
}

#[tokio::test]
async fn a_name_holding_a_web_address_is_refused_on_the_form_and_the_api() {
    let app = spawn_app().await;
    for name in WEB_ADDRESS_NAMES {
        form_refuses(&app, "first_name", name, "sin direcciones web").await;
        form_refuses(&app, "last_name", name, "sin direcciones web").await;
        let mut body = osdi_signature("ana@example.org");
        body["person"]["family_name"] = Value::from(name);
        api_refuses(&app, body, "last_name", "error-name-web-address").await;
    }
    assert_eq!(app.stored_signatures(), 0);
}

#[tokio::test]
async fn a_name_made_only_of_invisible_characters_is_refused_on_the_form_and_the_api() {
    let app = spawn_app().await;
    for name in INVISIBLE_NAMES {
        form_refuses(&app, "first_name", name, "Escribe tu nombre.").await;
        let mut body = osdi_signature("ana@example.org");
        body["person"]["given_name"] = Value::from(name);
        api_refuses(&app, body, "first_name", "error-name-empty").await;
    }
    assert_eq!(app.stored_signatures(), 0);
}

#[tokio::test]
async fn bidirectional_overrides_are_taken_out_of_names() {
    let app = spawn_app().await;
    let form = with(
        with(signer("ana@example.org"), "first_name", "\u{202E}anA"),
        "last_name",
        "L\u{2066}ópez\u{2069}",
    );
    assert_eq!(app.sign(&form).await.status().as_u16(), 303);
    let mut body = osdi_signature("luis@example.org");
    body["person"]["given_name"] = Value::from("Luis\u{202D}");
    let response = app
        .post_json(&format!("/api/v1/campaigns/{DEMO}/signatures"), &body)
        .await;
    assert_eq!(response.status().as_u16(), 202);

    assert_eq!(
        app.query_count(
            "SELECT COUNT(*) AS n FROM signatures WHERE first_name IN ('anA', 'Luis') AND last_name IN ('López', 'López Guerrero')"
        ),
        2,
        "stored without the controls"
    );
}

#[tokio::test]
async fn a_campaign_title_of_invisible_characters_is_no_title() {
    let app = spawn_app().await;
    let (staff, csrf) = app.signed_in_staff().await;
    let form = |title: &'static str| {
        vec![
            ("slug", "agua-limpia"),
            ("default_lang", "es"),
            ("goal", "500"),
            ("default_country", "MX"),
            ("is_open", "yes"),
            ("title_es", title),
            ("csrf_token", csrf.as_str()),
        ]
    };

    let blank = staff
        .post(app.url("/admin/campaigns"))
        .form(&form("\u{200B}\u{202E}\u{FEFF}"))
        .send()
        .await
        .expect("create");

    assert_eq!(blank.status().as_u16(), 422);
    let page = blank.text().await.expect("body");
    assert!(page.contains("needs a title"), "{page}");
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM campaigns WHERE slug = 'agua-limpia'"),
        0
    );

    let overridden = staff
        .post(app.url("/admin/campaigns"))
        .form(&form("\u{202E}Agua limpia\u{2066}"))
        .send()
        .await
        .expect("create");
    assert_eq!(overridden.status().as_u16(), 303);
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM campaign_texts WHERE title = 'Agua limpia'"),
        1,
        "stored without the controls"
    );
}
