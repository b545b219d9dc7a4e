//! The share step's script: where the browser has a share sheet, a button opens it with the
//! campaign's address for that channel; elsewhere the plain links are all there is.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use serde_json::json;

use crate::ChromeDriver;
use crate::helpers::{DEMO, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_share_sheet_button_appears_only_where_the_browser_has_a_share_sheet() {
    let app = spawn_app().await;
    let driver = ChromeDriver::start().await;
    let profile = tempfile::tempdir().expect("a fresh Chromium profile directory");
    let browser = driver.open_browser(profile.path()).await;
    browser
        .goto(&app.url(&format!("/campaigns/{DEMO}/thanks?lang=pt")))
        .await
        .expect("the thank-you page opens");
    let button = Locator::Css("button[data-share-url]");

    let has_sheet = browser
        .execute("return typeof navigator.share === 'function';", vec![])
        .await
        .expect("a script runs");
    let shown = browser
        .find(button)
        .await
        .expect("the button is in the page")
        .is_displayed()
        .await
        .expect("its visibility");
    assert_eq!(
        Some(shown),
        has_sheet.as_bool(),
        "shown exactly when there is a sheet"
    );

    // A browser with a share sheet, standing in for a phone's: the page's own script is
    // loaded again once the sheet exists.
    browser
        .execute(
            "Object.defineProperty(navigator, 'share', { configurable: true, value: \
               function (data) { window.sharedWith = data; return Promise.resolve(); } });\
             var again = document.createElement('script');\
             again.src = document.querySelector('script[src^=\"/static/share-\"]').src;\
             document.body.appendChild(again);",
            vec![],
        )
        .await
        .expect("the stand-in sheet is installed");
    let deadline = Instant::now() + Duration::from_secs(10);
    let sheet_button = loop {
        let found = browser.find(button).await.expect("the button");
        if found.is_displayed().await.expect("its visibility") {
            break found;
        }
        assert!(Instant::now() < deadline, "the script shows the button");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(
        sheet_button.text().await.expect("its label"),
        "Compartilhar…"
    );
    sheet_button.click().await.expect("pressing the button");

    let shared = browser
        .execute("return window.sharedWith || null;", vec![])
        .await
        .expect("a script runs");
    assert_eq!(
        shared["url"],
        json!(app.url(&format!("/campaigns/{DEMO}?lang=pt&source=share-native")))
    );
    assert!(
        shared["text"]
            .as_str()
            .is_some_and(|text| text.contains("Borboletas")),
        "the message names the campaign: {shared}"
    );

    browser.close().await.expect("the browser session closes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_signing_the_page_repeats_the_address_and_copies_the_link() {
    const EMAIL: &str = "maria.jose@example.org";
    let app = spawn_app().await;
    let driver = ChromeDriver::start().await;
    let profile = tempfile::tempdir().expect("a fresh Chromium profile directory");
    let browser = driver.open_browser(profile.path()).await;
    browser
        .set_window_size(1280, 900)
        .await
        .expect("a desktop window");
    browser
        .goto(&app.url(&format!("/campaigns/{DEMO}")))
        .await
        .expect("the campaign page opens");

    // On a desktop the story follows the goal, whatever the height of the form beside them.
    let gap = browser
        .execute(
            "return document.querySelector('.campaign-body').getBoundingClientRect().top \
               - document.querySelector('.campaign-header').getBoundingClientRect().bottom;",
            vec![],
        )
        .await
        .expect("a script runs")
        .as_f64()
        .expect("a distance");
    assert!(gap < 48.0, "{gap} px between the goal and the story");

    crate::type_into(&browser, "#first_name", "María-José").await;
    crate::type_into(&browser, "#last_name", "Ñúñez").await;
    crate::type_into(&browser, "#email", EMAIL).await;
    crate::type_into(&browser, "#postal_code", "39090").await;
    browser
        .find(Locator::Css("form.sign-form button[type=submit]"))
        .await
        .expect("the submit button")
        .click()
        .await
        .expect("signing");
    crate::wait_for_path_ending(&browser, "/check-email").await;
    let page = crate::text_of(&browser, "main").await;
    assert!(
        page.contains(&format!("Lo enviamos a {EMAIL}.")),
        "the address is repeated, so a typo shows: {page}"
    );

    let copy = browser
        .find(Locator::Css("#copy-share-link"))
        .await
        .expect("the copy button");
    assert!(copy.is_displayed().await.expect("its visibility"));
    copy.click().await.expect("copying");
    let deadline = Instant::now() + Duration::from_secs(10);
    while copy.text().await.expect("its label") != "Enlace copiado" {
        assert!(Instant::now() < deadline, "the button says it copied");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Opened again, the page no longer holds the address.
    browser.refresh().await.expect("the page again");
    assert!(!crate::text_of(&browser, "main").await.contains(EMAIL));
    browser.close().await.expect("the browser session closes");
}
