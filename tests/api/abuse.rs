//! Floods are slowed per address without blocking people; operators can see it happen.

use std::time::Duration;

use crate::helpers::{DEMO, Options, hidden_value, osdi_signature, signer, spawn_app_with, with};

#[tokio::test]
async fn a_flood_of_signatures_from_one_address_gets_429_with_retry_after() {
    let app = spawn_app_with(Options {
        rate_limits: true,
        ..Options::default()
    })
    .await;
    let token = app.form_token(DEMO).await;
    let mut statuses = Vec::new();
    for i in 0..40 {
        let form = with(
            signer(&format!("flood{i}@example.org")),
            "csrf_token",
            &token,
        );
        let response = app
            .post_form(&format!("/campaigns/{DEMO}/sign"), &form)
            .await;
        statuses.push(response.status().as_u16());
        if response.status().as_u16() == 429 {
            assert!(response.headers().contains_key("retry-after"));
            let page = response.text().await.expect("body");
            assert!(
                page.contains("Espera un momento"),
                "a friendly page in the visitor's language"
            );
        }
    }

    assert_eq!(
        statuses.iter().filter(|s| **s != 429).count(),
        20,
        "{statuses:?}"
    );
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 20);
    assert_eq!(app.stored_signatures(), 10, "one form carries ten at most");
    let metrics = app.get_text("/metrics").await.1;
    assert!(
        metrics.contains("mariposa_rate_limited_total{route=\"sign\"} 20"),
        "{metrics}"
    );
    assert_eq!(
        app.get(&format!("/campaigns/{DEMO}"))
            .await
            .status()
            .as_u16(),
        200,
        "reading is never limited"
    );
}

#[tokio::test]
async fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
    let untrusted = spawn_app_with(Options {
        rate_limits: true,
        ..Options::default()
    })
    .await;
    let trusted = spawn_app_with(Options {
        rate_limits: true,
        trusted_proxies: "127.0.0.1",
        ..Options::default()
    })
    .await;
    for (app, expected_refusals) in [(&untrusted, 10), (&trusted, 0)] {
        let token = app.form_token(DEMO).await;
        let mut refused = 0;
        for i in 0..30 {
            // Each request claims a different client; only a trusted proxy is believed.
            let response = app
                .client
                .post(app.url(&format!("/campaigns/{DEMO}/sign")))
                .header("x-forwarded-for", format!("203.0.113.{i}"))
                .form(&with(
                    signer(&format!("p{i}@example.org")),
                    "csrf_token",
                    &token,
                ))
                .send()
                .await
                .expect("request");
            if response.status().as_u16() == 429 {
                refused += 1;
            }
        }
        assert_eq!(refused, expected_refusals);
    }
}

#[tokio::test]
async fn metrics_count_what_happened() {
    let app = spawn_app_with(Options::default()).await;
    app.sign_and_confirm("ana@example.org").await;
    app.sign(&with(signer("bad"), "email", "not an email"))
        .await;

    let (status, text) = app.get_text("/metrics").await;

    assert_eq!(status, 200);
    assert!(
        text.contains("mariposa_signatures_confirmed_total 1"),
        "{text}"
    );
    assert!(text.contains("mariposa_emails_sent_total 1"), "{text}");
    assert!(text.contains("mariposa_outbox_depth 0"), "{text}");
}

#[tokio::test]
async fn an_https_site_sends_hsts_and_secure_staff_cookies() {
    let app = spawn_app_with(Options {
        base_url: Some("https://firmas.example.org"),
        ..Options::default()
    })
    .await;

    let page = app.get(&format!("/campaigns/{DEMO}")).await;
    assert!(
        page.headers()["strict-transport-security"]
            .to_str()
            .expect("ascii")
            .contains("max-age=")
    );
    app.create_staff("ana@example.org", "a long staff password");
    let login = app
        .login(
            &app.staff_client(),
            "ana@example.org",
            "a long staff password",
        )
        .await;
    let cookie = login.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(cookie.contains("Secure"), "{cookie}");

    let plain = spawn_app_with(Options::default()).await;
    let page = plain.get(&format!("/campaigns/{DEMO}")).await;
    assert!(
        !page.headers().contains_key("strict-transport-security"),
        "never on plain http"
    );
}

/// Requests one client sends before the first `429`, out of `attempts`.
async fn admitted_before_refusal(
    client_address: &str,
    attempts: usize,
    request: impl Fn() -> reqwest::RequestBuilder,
) -> usize {
    for sent in 0..attempts {
        let response = request()
            .header("x-forwarded-for", client_address)
            .send()
            .await
            .expect("request");
        if response.status().as_u16() == 429 {
            assert!(response.headers().contains_key("retry-after"));
            return sent;
        }
    }
    attempts
}

#[tokio::test]
async fn percent_encoding_a_limited_path_does_not_escape_its_limit() {
    let app = spawn_app_with(Options {
        rate_limits: true,
        trusted_proxies: "127.0.0.1",
        ..Options::default()
    })
    .await;
    let token = app.form_token(DEMO).await;
    let sign_form = |i: usize| with(signer(&format!("s{i}@example.org")), "csrf_token", &token);
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let next = || counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);

    for (client, path) in [
        ("203.0.113.1", format!("/campaigns/{DEMO}/sign")),
        ("203.0.113.2", format!("/campaigns/{DEMO}/si%67n")),
        ("203.0.113.3", format!("/embed/{DEMO}/%73ign")),
    ] {
        let admitted = admitted_before_refusal(client, 30, || {
            app.client.post(app.url(&path)).form(&sign_form(next()))
        })
        .await;
        assert_eq!(admitted, 20, "POST {path}");
    }
    for (client, path) in [
        (
            "203.0.113.4",
            format!("/api/v1/campaigns/{DEMO}/signatures"),
        ),
        (
            "203.0.113.5",
            format!("/api/v1/campaigns/{DEMO}/signature%73"),
        ),
    ] {
        let admitted = admitted_before_refusal(client, 30, || {
            let email = format!("j{}@example.org", next());
            app.client
                .post(app.url(&path))
                .json(&osdi_signature(&email))
        })
        .await;
        assert_eq!(admitted, 20, "POST {path}");
    }
    for (client, path) in [
        ("203.0.113.6", "/admin/login"),
        ("203.0.113.7", "/admin/logi%6E"),
    ] {
        let admitted = admitted_before_refusal(client, 20, || {
            app.client
                .post(app.url(path))
                .form(&[("email", "x@example.org"), ("password", "guess")])
        })
        .await;
        assert_eq!(admitted, 10, "POST {path}");
    }
    for (client, path) in [
        ("203.0.113.8", "/confirm/no-such-token"),
        ("203.0.113.9", "/%63onfirm/no-such-token"),
    ] {
        let admitted = admitted_before_refusal(client, 40, || app.client.get(app.url(path))).await;
        assert_eq!(admitted, 30, "GET {path}");
    }
    assert_eq!(
        app.stored_signatures(),
        3 * 10 + 2 * 20,
        "each form client stores what one form carries, each API client its burst, no more"
    );
}

#[tokio::test]
async fn a_person_who_sends_the_form_at_once_gets_it_back_and_loses_nothing() {
    let app = spawn_app_with(Options {
        min_fill_time: Duration::from_secs(2),
        ..Options::default()
    })
    .await;

    for (stored_before, surface, email) in [
        (0, "campaigns", "rapida@example.org"),
        (1, "embed", "veloz@example.org"),
    ] {
        let (_, page) = app.get_text(&format!("/{surface}/{DEMO}")).await;
        let token = hidden_value(&page, "csrf_token");
        let path = format!("/{surface}/{DEMO}/sign");

        // Autofill and a quick tap: sent within a second of the page.
        let hasty = app
            .post_form(&path, &with(signer(email), "csrf_token", &token))
            .await;
        assert_eq!(hasty.status().as_u16(), 422, "{surface}");
        let page = hasty.text().await.expect("body");
        assert!(
            page.contains(&format!("value=\"{email}\"")),
            "{surface}: {page}"
        );
        assert!(
            page.contains("value=\"39090\""),
            "{surface}: every value kept"
        );
        assert!(
            page.contains("Revisa lo que escribiste y vuelve a presionar el botón"),
            "{surface}: a note in her language"
        );
        assert_eq!(
            app.stored_signatures(),
            stored_before,
            "{surface}: not stored yet"
        );

        // She looks it over and presses again, with the form she was given.
        let fresh = hidden_value(&page, "csrf_token");
        tokio::time::sleep(Duration::from_millis(2100)).await;
        let again = app
            .post_form(&path, &with(signer(email), "csrf_token", &fresh))
            .await;
        assert_eq!(again.status().as_u16(), 303, "{surface}");
        app.mail.wait_for(email, 1).await;
    }
    assert_eq!(app.stored_signatures(), 2);

    // A bot that fills in the honeypot still learns nothing, however fast it is.
    let bot = app
        .sign(&with(
            signer("bot@example.org"),
            "website",
            "http://spam.example",
        ))
        .await;
    assert_eq!(bot.status().as_u16(), 303);
    assert_eq!(app.stored_signatures(), 2);
    let metrics = app.get_text("/metrics").await.1;
    assert!(
        metrics.contains("mariposa_bot_submissions_total 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("mariposa_signatures_rejected_total{reason=\"too_soon\"} 2"),
        "{metrics}"
    );
}

#[tokio::test]
async fn one_form_carries_at_most_ten_signatures() {
    let app = spawn_app_with(Options {
        rate_limits: true,
        ..Options::default()
    })
    .await;
    let token = app.form_token(DEMO).await;
    for i in 0..10 {
        let response = app
            .post_form(
                &format!("/campaigns/{DEMO}/sign"),
                &with(signer(&format!("s{i}@example.org")), "csrf_token", &token),
            )
            .await;
        assert_eq!(response.status().as_u16(), 303, "signature {i}");
    }

    let eleventh = app
        .post_form(
            &format!("/campaigns/{DEMO}/sign"),
            &with(signer("s10@example.org"), "csrf_token", &token),
        )
        .await;

    assert_eq!(eleventh.status().as_u16(), 403);
    let page = eleventh.text().await.expect("body");
    assert!(page.contains("Vuelve a cargar la página"), "{page}");
    assert!(
        page.contains(&format!("href=\"/campaigns/{DEMO}?lang=es\"")),
        "{page}"
    );
    assert_eq!(app.stored_signatures(), 10);
    // Pages are rendered once a second and tokens carry whole seconds: wait for a new one.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let fresh = app.form_token(DEMO).await;
    let with_a_fresh_form = app
        .post_form(
            &format!("/campaigns/{DEMO}/sign"),
            &with(signer("s10@example.org"), "csrf_token", &fresh),
        )
        .await;
    assert_eq!(with_a_fresh_form.status().as_u16(), 303, "a new form works");
}
