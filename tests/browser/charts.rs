//! Browser test of the charts' time axis: a day without signatures keeps its place at zero,
//! and the dates under the axis are written in the page's language, on the dashboard and
//! on the public campaign page.

use chrono::{TimeDelta, Utc};
use fantoccini::{Client, Locator};

use std::time::Duration;

use crate::helpers::{DEMO, Options, spawn_app_with};
use crate::{ChromeDriver, type_into, wait_for_path_ending};

async fn texts(browser: &Client, selector: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for element in browser
        .find_all(Locator::Css(selector))
        .await
        .unwrap_or_else(|error| panic!("{selector} ({error})"))
    {
        let text = element
            .prop("textContent")
            .await
            .expect("the text")
            .unwrap_or_default();
        texts.push(text);
    }
    texts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_charts_show_a_day_without_signatures_on_a_dated_axis() {
    // The public page reads its history afresh at once, not a minute on.
    let app = spawn_app_with(Options {
        history_ttl: Some(Duration::from_millis(100)),
        ..Options::default()
    })
    .await;
    app.sign_and_confirm("hoy@example.org").await;
    app.sign_and_confirm("antier@example.org").await;
    let today = Utc::now().date_naive();
    let two_days_ago = today - TimeDelta::days(2);
    app.execute_sql(&format!(
        "UPDATE signatures SET created_at = '{two_days_ago} 10:00:00', \
         confirmed_at = '{two_days_ago} 10:05:00' WHERE email = 'antier@example.org'"
    ));
    app.create_staff("ana@example.org", "a long staff password");
    let driver = ChromeDriver::start().await;
    let profile = tempfile::tempdir().expect("a fresh Chromium profile directory");
    let browser = driver.open_browser(profile.path()).await;
    browser
        .goto(&app.url("/admin/login"))
        .await
        .expect("the login page");
    type_into(&browser, "#email", "ana@example.org").await;
    type_into(&browser, "#password", "a long staff password").await;
    browser
        .find(Locator::Css("form button[type=submit]"))
        .await
        .expect("the sign-in button")
        .click()
        .await
        .expect("signing in");
    wait_for_path_ending(&browser, "/admin/campaigns").await;
    browser
        .goto(&app.url(&format!("/admin/campaigns/{DEMO}")))
        .await
        .expect("the dashboard");

    let days = texts(&browser, "#day-chart rect.day title").await;
    assert_eq!(
        days.len(),
        3,
        "two days with signatures and the one between: {days:?}"
    );
    assert!(
        days[1].ends_with(": 0"),
        "the empty day is at zero: {days:?}"
    );
    let ticks = texts(&browser, "#day-chart text.tick").await;
    let spanish_months = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    assert!(!ticks.is_empty());
    for tick in &ticks {
        assert!(
            spanish_months
                .iter()
                .any(|month| tick.contains(&format!(" de {month}"))),
            "{tick} is a date in Spanish"
        );
    }

    // The public page is rendered from caches that catch up within moments.
    let mut public = Vec::new();
    for _ in 0..50 {
        browser
            .goto(&app.url(&format!("/campaigns/{DEMO}")))
            .await
            .expect("the campaign page");
        public = texts(&browser, ".history svg text.tick").await;
        if !public.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(public.len() >= 3, "{public:?}");
    for tick in &public {
        assert!(
            spanish_months
                .iter()
                .any(|month| tick.contains(&format!(" de {month}"))),
            "{tick} is a date in Spanish"
        );
    }
    browser.close().await.expect("the browser session closes");
}
