//! The share step after signing: plain links per channel, each counted under its own source.

use crate::helpers::{DEMO, hidden_value, signer, spawn_app, with};

/// Every `href="…"` in a page, with `&amp;` read back as `&`.
fn hrefs(page: &str) -> Vec<String> {
    page.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|href| href.replace("&amp;", "&").replace("&#38;", "&"))
        .collect()
}

fn input_value(page: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\"");
    let start = page.find(&marker).expect("the input is in the page");
    let rest = &page[start..];
    let value = rest.find("value=\"").expect("the input has a value") + "value=\"".len();
    let end = rest[value..].find('"').expect("the value ends") + value;
    rest[value..end].replace("&amp;", "&").replace("&#38;", "&")
}

#[tokio::test]
async fn after_signing_and_after_confirming_supporters_can_share_in_their_language_without_scripts()
{
    let app = spawn_app().await;
    let email_label = [
        ("es", "Correo"),
        ("en", "Email"),
        ("fr", "Courriel"),
        ("pt", "E-mail"),
    ];
    for (lang, email) in email_label {
        for step in ["check-email", "thanks"] {
            let path = format!("/campaigns/{DEMO}/{step}?lang={lang}");
            let response = app.get(&path).await;
            assert_eq!(response.status().as_u16(), 200, "{path}");
            let policy = response.headers()["content-security-policy"]
                .to_str()
                .expect("ascii")
                .to_owned();
            assert!(
                policy.contains("script-src 'self';") && policy.contains("frame-ancestors 'none'"),
                "{path}: the policy stays strict: {policy}"
            );
            let page = response.text().await.expect("body");
            assert!(page.contains(&format!("<html lang=\"{lang}\">")), "{path}");
            let links = hrefs(&page);
            for (service, code) in [
                ("https://wa.me/", "share-whatsapp"),
                ("https://t.me/share/url", "share-telegram"),
                (
                    "https://www.facebook.com/sharer/sharer.php",
                    "share-facebook",
                ),
                ("https://x.com/intent/post", "share-x"),
                ("mailto:", "share-email"),
            ] {
                let link = links
                    .iter()
                    .find(|href| href.starts_with(service))
                    .unwrap_or_else(|| panic!("{path} links to {service}"));
                let campaign = format!("%2Fcampaigns%2F{DEMO}%3Flang%3D{lang}%26source%3D{code}");
                assert!(link.contains(&campaign), "{path}: {link}");
            }
            assert!(
                page.contains(&format!(">{email}</a>")),
                "{path}: the email link is named in {lang}"
            );
            assert_eq!(
                input_value(&page, "share-url"),
                app.url(&format!("/campaigns/{DEMO}?lang={lang}&source=share-link")),
                "{path}: the address to copy"
            );
            assert!(
                page.contains("<p hidden><button type=\"button\" class=\"button\" data-share-url="),
                "{path}: the share sheet's button stays hidden unless the script runs"
            );
            for script in page.split("<script src=\"").skip(1) {
                assert!(
                    script.starts_with("/static/"),
                    "{path}: only our own scripts"
                );
            }
        }
    }
}

#[tokio::test]
async fn the_share_links_say_nothing_about_the_signer() {
    let app = spawn_app().await;
    let response = app.sign(&signer("ana.lopez@example.org")).await;
    assert_eq!(response.status().as_u16(), 303);
    let check_email = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let (_, page) = app.get_text(&check_email).await;
    let links = hrefs(&page);
    let share_links: Vec<&String> = links.iter().filter(|h| h.contains("share-")).collect();
    assert_eq!(share_links.len(), 5, "{links:?}");
    for link in share_links {
        for personal in [
            "ana.lopez",
            "example.org",
            "Ñúñez",
            "%C3%91%C3%BA%C3%B1ez",
            "Connor",
        ] {
            assert!(!link.contains(personal), "{link}");
        }
    }
}

#[tokio::test]
async fn a_signature_through_a_shared_link_counts_under_its_channel() {
    let app = spawn_app().await;
    let (status, page) = app
        .get_text(&format!("/campaigns/{DEMO}?lang=es&source=share-whatsapp"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(hidden_value(&page, "source"), "share-whatsapp");

    let form = with(signer("amigo@example.org"), "source", "share-whatsapp");
    let mut form: Vec<(&str, String)> = form;
    form.push(("csrf_token", hidden_value(&page, "csrf_token")));
    let response = app
        .post_form(&format!("/campaigns/{DEMO}/sign"), &form)
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert!(
        response.headers()["location"]
            .to_str()
            .expect("ascii")
            .contains("source=share-whatsapp")
    );

    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM signatures WHERE source = 'share-whatsapp'"),
        1
    );
}

#[tokio::test]
async fn a_shared_link_previews_with_the_count() {
    let app = spawn_app().await;
    app.sign_and_confirm("ana@example.org").await;
    assert_eq!(app.count_becomes(1).await, 1);
    // The page is rendered at most once a second, so a fresh count shows within two.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let (_, page) = app.get_text(&format!("/campaigns/{DEMO}?lang=en")).await;
        if page.contains("<meta property=\"og:description\" content=\"1 signature.") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{page}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
