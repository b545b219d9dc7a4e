//! What any visitor sees: pages, languages, headers, health and the public count.

use std::io::Read;

use crate::helpers::{DEMO, TestApp, hidden_value, signer, spawn_app, with};

#[tokio::test]
async fn the_home_page_lists_the_demo_campaign_with_its_count() {
    let app = spawn_app().await;

    let (status, page) = app.get_text("/").await;

    assert_eq!(status, 200);
    assert!(page.contains("Mariposas por México"));
    assert!(page.contains(&format!("/campaigns/{DEMO}")));
    assert!(page.contains("<progress max=\"43000\" value=\"0\""));
}

#[tokio::test]
async fn the_campaign_page_has_an_accessible_form() {
    let app = spawn_app().await;

    let (status, page) = app.get_text(&format!("/campaigns/{DEMO}")).await;

    assert_eq!(status, 200);
    for (field, autocomplete) in [
        ("first_name", "given-name"),
        ("last_name", "family-name"),
        ("email", "email"),
        ("country", "country"),
        ("postal_code", "postal-code"),
    ] {
        assert!(
            page.contains(&format!("<label for=\"{field}\">")),
            "{field} has a label"
        );
        assert!(
            page.contains(&format!("autocomplete=\"{autocomplete}\"")),
            "{field}"
        );
    }
    assert!(
        page.contains("<option value=\"MX\" selected>"),
        "the campaign's country is preselected"
    );
    assert!(
        page.contains("type=\"checkbox\" value=\"yes\">"),
        "opt-in is unchecked"
    );
    assert!(page.contains("name=\"csrf_token\""));
    assert!(page.contains("name=\"website\""), "the honeypot is present");
    assert!(page.contains("Ayotzinapa"));
}

#[tokio::test]
async fn the_language_follows_the_query_then_the_browser_then_the_campaign() {
    let app = spawn_app().await;
    let path = format!("/campaigns/{DEMO}");
    let fetch = |lang_query: Option<&'static str>, accept: Option<&'static str>| {
        let mut request = app.client.get(app.url(&match lang_query {
            Some(lang) => format!("{path}?lang={lang}"),
            None => path.clone(),
        }));
        if let Some(accept) = accept {
            request = request.header("accept-language", accept);
        }
        async move {
            request
                .send()
                .await
                .expect("GET")
                .text()
                .await
                .expect("body")
        }
    };

    assert!(
        fetch(Some("pt"), Some("fr"))
            .await
            .contains("<html lang=\"pt\">")
    );
    let french = fetch(None, Some("fr-CA,fr;q=0.9,en;q=0.5")).await;
    assert!(french.contains("<html lang=\"fr\">"));
    assert!(french.contains("Des papillons pour le Mexique"));
    assert!(
        fetch(None, Some("de-DE"))
            .await
            .contains("<html lang=\"es\">")
    );
    assert!(fetch(None, None).await.contains("<html lang=\"es\">"));
    let english = fetch(Some("en"), None).await;
    assert!(english.contains("Butterflies for Mexico"));
    assert!(english.contains("hreflang=\"fr\""));
}

#[tokio::test]
async fn unknown_pages_get_a_404_in_the_site_layout() {
    let app = spawn_app().await;
    for path in [
        "/campaigns/no-such-campaign",
        "/no/such/page",
        "/static/nothing.css",
    ] {
        let (status, _) = app.get_text(path).await;
        assert_eq!(status, 404, "{path}");
    }
    let (_, page) = app.get_text("/campaigns/no-such-campaign").await;
    assert!(page.contains("No encontramos la página"));
    let api = app.get("/api/v1/campaigns/no-such-campaign").await;
    assert_eq!(api.status().as_u16(), 404);
}

#[tokio::test]
async fn the_public_api_describes_the_campaign() {
    let app = spawn_app().await;

    let response = app.get(&format!("/api/v1/campaigns/{DEMO}")).await;

    assert_eq!(response.status().as_u16(), 200);
    let json: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(json["slug"], DEMO);
    assert_eq!(json["title"], "Mariposas por México");
    assert_eq!(json["signature_count"], 0);
    assert_eq!(json["goal"], 43000);
    assert_eq!(json["open"], true);
}

#[tokio::test]
async fn health_check_answers_when_the_database_does() {
    let app = spawn_app().await;
    let (status, body) = app.get_text("/healthz").await;
    assert_eq!(status, 200);
    assert_eq!(body.trim(), "ok");
}

#[tokio::test]
async fn pages_send_security_headers_and_a_request_id() {
    let app = spawn_app().await;

    let response = app.get(&format!("/campaigns/{DEMO}")).await;

    let headers = response.headers();
    let csp = headers["content-security-policy"].to_str().expect("ascii");
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"));
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-request-id"].len(), 16);
    assert!(
        headers["cache-control"]
            .to_str()
            .expect("ascii")
            .contains("private")
    );
}

#[tokio::test]
async fn static_files_are_fingerprinted_and_cached_for_a_year() {
    let app = spawn_app().await;
    let (_, page) = app.get_text("/").await;
    let start = page.find("/static/mariposa-").expect("stylesheet link");
    let end = page[start..].find('"').expect("link end") + start;

    let response = app.get(&page[start..end]).await;

    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/css")
    );
    assert!(
        response.headers()["cache-control"]
            .to_str()
            .expect("ascii")
            .contains("immutable")
    );
}

#[tokio::test]
async fn a_shared_campaign_link_previews_with_its_title_summary_and_picture() {
    let app = spawn_app().await;

    let (status, page) = app.get_text(&format!("/campaigns/{DEMO}?lang=fr")).await;

    assert_eq!(status, 200);
    let meta = |property: &str| {
        let marker = format!("property=\"{property}\" content=\"");
        let start = page
            .find(&marker)
            .unwrap_or_else(|| panic!("the page has {property}"))
            + marker.len();
        let end = page[start..].find('"').expect("the content ends") + start;
        page[start..end].to_owned()
    };
    assert_eq!(meta("og:title"), "Des papillons pour le Mexique");
    assert!(!meta("og:description").is_empty());
    assert_eq!(
        meta("og:url"),
        app.url(&format!("/campaigns/{DEMO}?lang=fr"))
    );
    assert_eq!(meta("og:type"), "website");
    assert_eq!(meta("og:locale"), "fr_CA");
    assert!(page.contains("<meta property=\"og:locale:alternate\" content=\"es_MX\">"));
    assert!(page.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));

    let image = meta("og:image");
    assert!(image.starts_with(&app.address), "an absolute URL: {image}");
    let response = app.get(&image.replace(&app.address, "")).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    let bytes = response.bytes().await.expect("the image");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG picture");
}

/// The body of `path` as sent to a browser whose `Accept-Encoding` is `accepts`, with its
/// `Content-Encoding`, decoded.
async fn fetched_with(app: &TestApp, path: &str, accepts: &str) -> (String, String) {
    let response = app
        .client
        .get(app.url(path))
        .header("accept-encoding", accepts)
        .send()
        .await
        .expect("GET request");
    assert_eq!(response.status().as_u16(), 200);
    let coding = response.headers()["content-encoding"]
        .to_str()
        .expect("a coding")
        .to_owned();
    let compressed = response.bytes().await.expect("body");
    let mut text = String::new();
    match coding.as_str() {
        "br" => brotli::Decompressor::new(&compressed[..], 4096)
            .read_to_string(&mut text)
            .expect("valid Brotli"),
        "gzip" => flate2::read::GzDecoder::new(&compressed[..])
            .read_to_string(&mut text)
            .expect("valid gzip"),
        other => panic!("{path} came as {other}"),
    };
    assert!(
        compressed.len() < text.len() / 3,
        "{path} is compressed in {coding}"
    );
    (coding, text)
}

#[tokio::test]
async fn browsers_get_pages_and_the_stylesheet_in_the_best_compression_they_take() {
    let app = spawn_app().await;
    let campaign = format!("/campaigns/{DEMO}");
    let (_, plain) = app.get_text(&campaign).await;
    // Pages rendered in different seconds differ only in their form token.
    let without_token = |html: &str| html.replace(&hidden_value(html, "csrf_token"), "");

    for (accepts, expected) in [("gzip, deflate, br, zstd", "br"), ("gzip, deflate", "gzip")] {
        let (coding, page) = fetched_with(&app, &campaign, accepts).await;
        assert_eq!(coding, expected, "the campaign page for {accepts:?}");
        assert_eq!(without_token(&page), without_token(&plain));

        let stylesheet = plain
            .split("<link rel=\"stylesheet\" href=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the page links its stylesheet");
        let (coding, css) = fetched_with(&app, stylesheet, accepts).await;
        assert_eq!(coding, expected, "the stylesheet for {accepts:?}");
        assert!(css.starts_with("/* Mariposa"), "{css:.40}");
    }
}

#[tokio::test]
async fn an_edited_campaign_shows_within_seconds_without_a_restart() {
    let app = spawn_app().await;
    let (_, before) = app.get_text(&format!("/campaigns/{DEMO}?lang=en")).await;
    assert!(!before.contains("Edited while the server runs"));

    app.execute_sql(
        "UPDATE campaign_texts SET title = 'Edited while the server runs' WHERE lang = 'en'",
    );

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let (_, page) = app.get_text(&format!("/campaigns/{DEMO}?lang=en")).await;
        let json = app
            .get(&format!("/api/v1/campaigns/{DEMO}?lang=en"))
            .await
            .text()
            .await
            .expect("body");
        if page.contains("Edited while the server runs")
            && json.contains("Edited while the server runs")
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the page and the public JSON show the new title within seconds"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The raw answer to `HEAD path`, read until the server closes the connection.
async fn raw_head(app: &crate::helpers::TestApp, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(app.address.trim_start_matches("http://"))
        .await
        .expect("connect");
    let request =
        format!("HEAD {path} HTTP/1.1\r\nHost: mariposa.test\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut answer = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(20),
        stream.read_to_end(&mut answer),
    )
    .await
    .expect("the server closes the connection")
    .expect("read");
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn uptime_checkers_can_ask_head_of_every_page() {
    let app = spawn_app().await;
    let (_, home) = app.get_text("/").await;
    let stylesheet = home
        .split('"')
        .find(|part| part.starts_with("/static/mariposa-"))
        .expect("the page links its stylesheet")
        .to_owned();

    for path in [
        "/".to_owned(),
        format!("/campaigns/{DEMO}"),
        "/healthz".to_owned(),
        format!("/api/v1/campaigns/{DEMO}"),
        stylesheet,
    ] {
        let answer = raw_head(&app, &path).await;
        let (head, body) = answer.split_once("\r\n\r\n").expect("a whole head");
        assert!(head.starts_with("HTTP/1.1 200"), "{path}: {head}");
        assert_eq!(body, "", "{path}: a HEAD answer has no body");
    }
    let missing = raw_head(&app, "/campaigns/nothing-here").await;
    assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
}

#[tokio::test]
async fn a_reached_goal_rises_so_the_bar_never_sits_full() {
    let app = spawn_app().await;
    app.change_campaigns(&format!(
        "UPDATE campaigns SET goal = 2, goal_multiplier = 5 WHERE slug = '{DEMO}'"
    ))
    .await;
    app.sign_and_confirm("ana@example.org").await;
    app.sign_and_confirm("bruno@example.org").await;
    assert_eq!(app.count_becomes(2).await, 2);

    let json: serde_json::Value = app
        .get(&format!("/api/v1/campaigns/{DEMO}"))
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(json["goal"], 10, "2 reached, so ×5");

    // The page is rendered at most once a second, so the new count shows within two.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let (_, page) = app.get_text(&format!("/campaigns/{DEMO}?lang=en")).await;
        if page.contains("<progress max=\"10\" value=\"2\"") {
            assert!(page.contains("Goal: 10"), "{page}");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{page}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_check_your_email_page_repeats_the_address_once_escaped_and_uncached() {
    let app = spawn_app().await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let token = app.form_token(DEMO).await;
    let email = "o'connor+test@example.org";
    let signed = client
        .post(app.url(&format!("/campaigns/{DEMO}/sign")))
        .form(&with(signer(email), "csrf_token", &token))
        .send()
        .await
        .expect("signing");
    assert_eq!(signed.status().as_u16(), 303);
    let location = signed.headers()["location"]
        .to_str()
        .expect("an address")
        .to_owned();
    assert!(
        !location.contains("connor"),
        "the address is not in the URL: {location}"
    );

    let page = client
        .get(app.url(&location))
        .send()
        .await
        .expect("the page");
    assert_eq!(page.headers()["cache-control"], "no-store");
    let body = page.text().await.expect("body");
    assert!(
        body.contains("o&#x27;connor+test@example.org")
            || body.contains("o&#39;connor+test@example.org"),
        "the address, escaped: {body}"
    );

    let again = client
        .get(app.url(&location))
        .send()
        .await
        .expect("the page again")
        .text()
        .await
        .expect("body");
    assert!(!again.contains("connor"), "shown once");
}
