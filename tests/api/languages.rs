//! Every page in the supporter's language: asked for in the address, chosen before,
//! preferred by the browser, or the campaign's own; and country names in that language.

use crate::helpers::{DEMO, TestApp, spawn_app};

/// A browser that keeps cookies, as a supporter's does.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client")
}

async fn visit(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    accept_language: Option<&str>,
) -> reqwest::Response {
    let mut request = client.get(app.url(path));
    if let Some(accept) = accept_language {
        request = request.header("accept-language", accept);
    }
    request.send().await.expect("GET")
}

/// The `<html lang>` of a page.
async fn page_lang(response: reqwest::Response) -> String {
    let page = response.text().await.expect("body");
    let start = page.find("<html lang=\"").expect("an html element") + 12;
    let end = page[start..].find('"').expect("the attribute ends") + start;
    page[start..end].to_owned()
}

fn set_cookies(response: &reqwest::Response) -> Vec<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().expect("ascii").to_owned())
        .collect()
}

fn header_values(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get_all(name)
        .iter()
        .map(|value| value.to_str().expect("ascii").to_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

#[tokio::test]
async fn a_language_picked_on_a_page_is_kept_over_the_browsers() {
    let app = spawn_app().await;
    let supporter = browser();
    let campaign = format!("/campaigns/{DEMO}");

    let picked = visit(
        &app,
        &supporter,
        &format!("{campaign}?lang=fr"),
        Some("es-MX"),
    )
    .await;

    let cookies = set_cookies(&picked);
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    let cookie = &cookies[0];
    assert!(cookie.starts_with("mariposa_lang=fr;"), "{cookie}");
    for attribute in ["Path=/", "SameSite=Lax", "HttpOnly", "Max-Age=31536000"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(
        !cookie.contains("Secure"),
        "the test server is plain http: {cookie}"
    );
    assert_eq!(page_lang(picked).await, "fr");

    let later = visit(&app, &supporter, &campaign, Some("es-MX,es;q=0.9")).await;
    assert_eq!(
        page_lang(later).await,
        "fr",
        "the earlier choice beats the browser"
    );
    let home = visit(&app, &supporter, "/", Some("es")).await;
    assert_eq!(
        page_lang(home).await,
        "fr",
        "the choice holds on every page"
    );
    let switched = visit(&app, &supporter, &format!("{campaign}?lang=pt"), None).await;
    assert_eq!(page_lang(switched).await, "pt");
    let after_switch = visit(&app, &supporter, &campaign, Some("fr")).await;
    assert_eq!(
        page_lang(after_switch).await,
        "pt",
        "the newest choice wins"
    );
}

#[tokio::test]
async fn an_unknown_language_in_the_address_neither_sets_nor_clears_the_choice() {
    let app = spawn_app().await;
    let supporter = browser();
    let campaign = format!("/campaigns/{DEMO}");
    visit(&app, &supporter, &format!("{campaign}?lang=en"), None).await;

    let unknown = visit(&app, &supporter, &format!("{campaign}?lang=xx"), Some("fr")).await;

    assert!(set_cookies(&unknown).is_empty());
    assert_eq!(page_lang(unknown).await, "en");
    let later = visit(&app, &supporter, &campaign, Some("pt")).await;
    assert_eq!(page_lang(later).await, "en", "the choice is still there");
}

#[tokio::test]
async fn the_embedded_form_and_the_api_never_set_the_language_cookie() {
    let app = spawn_app().await;
    let supporter = browser();
    for path in [
        format!("/embed/{DEMO}?lang=fr"),
        format!("/embed/{DEMO}/check-email?lang=fr"),
        // The router decodes a percent-encoded letter: so must the rule about the cookie.
        format!("/%65mbed/{DEMO}?lang=fr"),
        format!("/api/v1/campaigns/{DEMO}?lang=fr"),
        format!("/campaigns/{DEMO}/badge.svg?lang=fr"),
    ] {
        let response = visit(&app, &supporter, &path, None).await;
        assert!(response.status().is_success(), "{path}");
        assert!(set_cookies(&response).is_empty(), "{path}");
    }
    let embedded = visit(&app, &supporter, &format!("/embed/{DEMO}?lang=pt"), None).await;
    assert_eq!(page_lang(embedded).await, "pt", "the embed takes ?lang=");
    let page = visit(&app, &supporter, &format!("/campaigns/{DEMO}"), Some("en")).await;
    assert_eq!(page_lang(page).await, "en", "nothing was remembered");
}

#[tokio::test]
async fn without_a_choice_the_browser_then_the_campaign_decides() {
    let app = spawn_app().await;
    let output = app.cli(
        &[
            "campaign",
            "create",
            "papillons",
            "--title",
            "Des papillons",
            "--lang",
            "fr",
        ],
        "",
    );
    assert!(output.status.success(), "{output:?}");
    let client = browser();

    let cases = [
        (None, "fr"),
        (Some("de-DE,ja;q=0.5"), "fr"),
        // The campaign has no Portuguese text: Portuguese labels around French would
        // help nobody, so the campaign's own language wins.
        (Some("pt-BR,fr;q=0.5"), "fr"),
    ];
    for (accept, expected) in cases {
        let page = visit(&app, &client, "/campaigns/papillons", accept).await;
        assert_eq!(page.status().as_u16(), 200);
        assert_eq!(page_lang(page).await, expected, "{accept:?}");
    }
    let demo = visit(&app, &client, &format!("/campaigns/{DEMO}"), Some("de")).await;
    assert_eq!(page_lang(demo).await, "es", "the demo campaign is Spanish");
    let demo = visit(&app, &client, &format!("/campaigns/{DEMO}"), Some("pt-BR")).await;
    assert_eq!(
        page_lang(demo).await,
        "pt",
        "the demo has a Portuguese text"
    );
}

#[tokio::test]
async fn answers_that_depend_on_the_cookie_or_the_browser_tell_shared_caches() {
    let app = spawn_app().await;

    let negotiated = app.get(&format!("/campaigns/{DEMO}")).await;
    let vary = header_values(&negotiated, "vary");
    assert!(
        vary.contains("Cookie") && vary.contains("Accept-Language"),
        "{vary}"
    );
    assert!(header_values(&negotiated, "cache-control").contains("private"));
    let home = app.get("/").await;
    assert!(header_values(&home, "vary").contains("Accept-Language"));

    for path in [
        format!("/api/v1/campaigns/{DEMO}"),
        format!("/api/v1/campaigns/{DEMO}?lang=fr"),
        format!("/campaigns/{DEMO}/badge.svg"),
        format!("/campaigns/{DEMO}/badge.svg?lang=fr"),
    ] {
        let response = app.get(&path).await;
        assert_eq!(response.status().as_u16(), 200, "{path}");
        assert!(
            header_values(&response, "cache-control").contains("public"),
            "{path}"
        );
        let vary = header_values(&response, "vary");
        assert!(
            !vary.contains("Cookie") && !vary.contains("Accept-Language"),
            "{path} is the same for everyone: {vary}"
        );
    }
}

/// The names in the country menu of a page, in the order it lists them.
fn country_menu(page: &str) -> Vec<String> {
    let start = page.find("<select id=\"country\"").expect("a country menu");
    let end = page[start..].find("</select>").expect("the menu ends") + start;
    page[start..end]
        .split("<option value=\"")
        .skip(1)
        .map(|option| {
            let name = &option[option.find('>').expect("option text") + 1..];
            name[..name.find("</option>").expect("option end")].to_owned()
        })
        .collect()
}

fn position(menu: &[String], name: &str) -> usize {
    menu.iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("{name} is in the menu: {menu:?}"))
}

#[tokio::test]
async fn the_country_menu_speaks_the_supporters_language() {
    let app = spawn_app().await;
    let menu = |path: String| {
        let app = &app;
        async move {
            let (status, page) = app.get_text(&path).await;
            assert_eq!(status, 200, "{path}");
            country_menu(&page)
        }
    };

    let spanish = menu(format!("/campaigns/{DEMO}?lang=es")).await;
    let french = menu(format!("/campaigns/{DEMO}?lang=fr")).await;
    let portuguese = menu(format!("/campaigns/{DEMO}?lang=pt")).await;
    let english = menu(format!("/campaigns/{DEMO}?lang=en")).await;
    let embedded = menu(format!("/embed/{DEMO}?lang=fr")).await;

    for (menu, names) in [
        (&spanish, ["México", "Alemania"]),
        (&french, ["Mexique", "Allemagne"]),
        (&portuguese, ["México", "Alemanha"]),
        (&english, ["Mexico", "Germany"]),
        (&embedded, ["Mexique", "Allemagne"]),
    ] {
        for name in names {
            position(menu, name);
        }
        assert_eq!(
            menu.len(),
            english.len(),
            "every language lists every country"
        );
    }
    let egypt = position(&french, "Égypte");
    assert!(position(&french, "Danemark") < egypt);
    assert!(egypt < position(&french, "Espagne"), "{french:?}");
    assert!(position(&spanish, "Bélgica") < position(&spanish, "Belice"));
}
