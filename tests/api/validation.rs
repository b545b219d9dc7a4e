//! Bad input gets a clear answer beside the field, keeps what was typed, and stores nothing.

use crate::helpers::{DEMO, hidden_value, signer, spawn_app, with};

#[tokio::test]
async fn each_kind_of_invalid_input_gets_422_with_its_message_beside_the_field() {
    let app = spawn_app().await;
    let long_name = "a".repeat(10_000);
    let cases: [(&str, &str, &str); 9] = [
        ("first_name", "", "Escribe tu nombre."),
        ("last_name", "   ", "Escribe tus apellidos."),
        ("first_name", &long_name, "100 caracteres"),
        ("last_name", "Ana\u{7}", "caracteres que no podemos aceptar"),
        (
            "email",
            "ana.example.org",
            "no parece una dirección de correo",
        ),
        ("email", "", "Escribe tu dirección de correo"),
        ("country", "XX", "Elige tu país"),
        ("postal_code", "3909", "código postal no parece correcto"),
        (
            "comment",
            &"¡Vivos! ".repeat(200),
            "comentario es demasiado largo",
        ),
    ];
    for (field, value, message) in cases {
        let response = app
            .sign(&with(signer("ana@example.org"), field, value))
            .await;

        assert_eq!(response.status().as_u16(), 422, "{field}={value:.20}");
        let page = response.text().await.expect("body");
        assert!(
            page.contains(&format!("id=\"{field}-error\"")),
            "{field}: error is beside the field"
        );
        assert!(page.contains("aria-invalid=\"true\""), "{field}");
        assert!(page.contains(message), "{field}: expected {message:?}");
        assert!(
            page.contains("value=\"ana@example.org\"") || field == "email",
            "{field}: typed email kept"
        );
    }
    assert_eq!(app.stored_signatures(), 0);
}

#[tokio::test]
async fn typed_values_are_kept_and_escaped() {
    let app = spawn_app().await;
    let form = with(
        with(
            signer("not an email"),
            "first_name",
            "<script>alert(1)</script>",
        ),
        "comment",
        "\"quoted\" & <b>bold</b>",
    );

    let response = app.sign(&form).await;

    assert_eq!(response.status().as_u16(), 422);
    let page = response.text().await.expect("body");
    assert!(!page.contains("<script>alert(1)</script>"));
    assert!(
        page.contains("&#60;script&#62;alert(1)&#60;/script&#62;")
            || page.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    assert!(page.contains("value=\"not an email\""));
    assert!(!page.contains("<b>bold</b>"));
}

#[tokio::test]
async fn names_from_many_cultures_are_accepted() {
    let app = spawn_app().await;
    for (i, (first, last)) in [
        ("José Ñúñez", "O'Connor"),
        ("María-José", "Nguyễn Thị"),
        ("山田", "太郎"),
        ("Ngũgĩ", "wa Thiong'o"),
    ]
    .into_iter()
    .enumerate()
    {
        let form = with(
            with(
                signer(&format!("person{i}@example.org")),
                "first_name",
                first,
            ),
            "last_name",
            last,
        );
        assert_eq!(
            app.sign(&form).await.status().as_u16(),
            303,
            "{first} {last}"
        );
    }
    assert_eq!(app.stored_signatures(), 4);
}

#[tokio::test]
async fn a_forged_or_missing_form_token_gets_403_and_keeps_the_typed_values() {
    let app = spawn_app().await;
    let forged = "1700000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".to_owned();
    for token in [None, Some(forged)] {
        let mut form = signer("ana@example.org");
        if let Some(token) = token.clone() {
            form.push(("csrf_token", token));
        }
        let response = app
            .post_form(&format!("/campaigns/{DEMO}/sign"), &form)
            .await;

        assert_eq!(response.status().as_u16(), 403, "{token:?}");
        let page = response.text().await.expect("body");
        assert!(
            page.contains("vuelve a enviar el formulario"),
            "a friendly explanation"
        );
        assert!(page.contains("value=\"ana@example.org\""));
        assert!(page.contains("value=\"José Ñúñez\""));
        let fresh = hidden_value(&page, "csrf_token");
        assert!(
            !fresh.is_empty(),
            "a fresh token lets the supporter send again"
        );
        let retry = with(signer("ana@example.org"), "csrf_token", &fresh);
        let again = app
            .post_form(&format!("/campaigns/{DEMO}/sign"), &retry)
            .await;
        assert_eq!(again.status().as_u16(), 303);
    }
}

#[tokio::test]
async fn a_token_for_another_campaign_is_refused() {
    let app = spawn_app().await;
    app.execute_sql(
        "INSERT INTO campaigns (slug, default_lang, goal, default_country, created_at, updated_at)
         VALUES ('other', 'en', 10, 'US', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
    );
    app.execute_sql(
        "INSERT INTO campaign_texts (campaign_id, lang, title, summary, body)
         SELECT id, 'en', 'Other', 'Other campaign', 'Text' FROM campaigns WHERE slug = 'other'",
    );
    let other_token = app.form_token("other").await;
    let form = with(signer("ana@example.org"), "csrf_token", &other_token);

    let response = app
        .post_form(&format!("/campaigns/{DEMO}/sign"), &form)
        .await;

    assert_eq!(response.status().as_u16(), 403);
    assert_eq!(app.stored_signatures(), 0);
}

#[tokio::test]
async fn a_filled_honeypot_gets_the_normal_answer_but_nothing_is_stored() {
    let app = spawn_app().await;

    let response = app
        .sign(&with(
            signer("bot@example.org"),
            "website",
            "http://spam.example",
        ))
        .await;

    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(app.stored_signatures(), 0);
}

#[tokio::test]
async fn malformed_requests_get_clear_client_errors_never_500() {
    let app = spawn_app().await;
    let url = app.url(&format!("/campaigns/{DEMO}/sign"));
    let cases: Vec<(&str, Vec<u8>, u16)> = vec![
        ("application/json", b"{\"email\":\"a@b.c\"}".to_vec(), 415),
        (
            "application/x-www-form-urlencoded",
            vec![b'a'; 64 * 1024],
            413,
        ),
        (
            "application/x-www-form-urlencoded",
            b"first_name=%FF%FE&email=x".to_vec(),
            400,
        ),
        (
            "application/x-www-form-urlencoded",
            b"email=a&email=b".to_vec(),
            400,
        ),
    ];
    for (content_type, body, expected) in cases {
        let response = app
            .client
            .post(&url)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), expected, "{content_type}");
        let page = response.text().await.expect("body");
        assert!(
            page.contains("<html"),
            "the error is a page in the site's layout"
        );
    }
    let unknown = app
        .post_form(
            "/campaigns/no-such-campaign/sign",
            &signer("ana@example.org"),
        )
        .await;
    assert_eq!(unknown.status().as_u16(), 404);
    assert_eq!(app.stored_signatures(), 0);
}

#[tokio::test]
async fn a_failed_submit_opens_on_a_titled_summary_that_names_each_field() {
    let app = spawn_app().await;
    let form = with(
        with(
            with(signer("ana.example.org"), "first_name", ""),
            "last_name",
            "",
        ),
        "lang",
        "es",
    );

    let response = app.sign(&form).await;

    assert_eq!(response.status().as_u16(), 422);
    let page = response.text().await.expect("body");
    assert!(
        page.contains("<title>Error: Mariposas por México"),
        "the title says there is an error before anything else"
    );
    let main = &page[page.find("<main").expect("a <main>")..];
    let first_in_main = main
        .split('>')
        .nth(1)
        .and_then(|rest| rest.split_whitespace().nth(1))
        .unwrap_or_default();
    assert_eq!(
        first_in_main, "class=\"error-summary\"",
        "the summary is the first thing in <main>: {main:.300}"
    );
    let summary = &main[..main.find("</ul>").expect("the summary's list")];
    assert!(summary.contains("autofocus"), "the summary takes focus");
    assert!(summary.contains("<h2 id=\"error-summary-title\">Hay un problema</h2>"));
    for (field, message) in [
        ("first_name", "Escribe tu nombre."),
        ("last_name", "Escribe tus apellidos."),
        (
            "email",
            "Esto no parece una dirección de correo electrónico.",
        ),
    ] {
        assert!(
            summary.contains(&format!("<a href=\"#{field}\">{message}")),
            "the summary links to {field} with its own words"
        );
    }
    let hint = page.find("id=\"email-hint\"").expect("the email hint");
    let error = page.find("id=\"email-error\"").expect("the email error");
    assert!(hint < error, "the hint comes before the error");
    assert!(
        page.contains(
            "<p class=\"error\" id=\"last_name-error\"><span class=\"visually-hidden\">Error:</span> Escribe tus apellidos.</p>"
        ),
        "a screen reader hears that the message is an error"
    );
}
