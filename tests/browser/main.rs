//! Browser tests: a real Chromium, driven through chromedriver, signs petitions on the real
//! application the way a supporter would: on the campaign page and inside a partner's page.

// The harness is shared with the API tests, so this binary leaves some of its helpers unused.
#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

#[allow(dead_code)]
#[path = "../api/child_server.rs"]
mod child_server;

mod accessibility;
mod admin;
mod charts;
mod confirm;
mod embed;
mod guarded;
mod kiosk;
mod paper;
mod share;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use tokio::sync::{Mutex, MutexGuard};

use helpers::{DEMO, spawn_app};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// How long chromedriver may take to start before a test gives up on it.
const CHROMEDRIVER_START: Duration = Duration::from_secs(90);
const HOW_TO_INSTALL: &str = "install Debian's `chromium` and `chromium-driver` packages \
     (sudo apt-get install chromium chromium-driver), or run the test command from the README";

/// One Chromium at a time: two on a small machine starve each other and time out.
static BROWSER_SLOT: Mutex<()> = Mutex::const_new(());

/// A chromedriver started for one test, stopped when the test ends, however it ends.
struct ChromeDriver {
    process: Child,
    url: String,
    _slot: MutexGuard<'static, ()>,
}

impl ChromeDriver {
    async fn start() -> Self {
        for program in [CHROMEDRIVER, CHROMIUM] {
            assert!(
                Path::new(program).exists(),
                "{program} is missing, so the browser tests cannot run: {HOW_TO_INSTALL}"
            );
        }
        let slot = BROWSER_SLOT.lock().await;
        // Port 0 lets chromedriver pick a free port, which it then names on its output.
        let mut process = Command::new(CHROMEDRIVER)
            .arg("--port=0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| {
                panic!("could not start {CHROMEDRIVER} ({error}): {HOW_TO_INSTALL}")
            });
        let output = process.stdout.take().expect("chromedriver's output");
        let (port_tx, port_rx) = mpsc::channel();
        std::thread::spawn(move || {
            // Reads on until chromedriver exits, so its output never fills the pipe.
            for line in BufReader::new(output).lines().map_while(Result::ok) {
                if let Some(port) = line
                    .split("started successfully on port ")
                    .nth(1)
                    .and_then(|rest| rest.trim_end_matches('.').parse::<u16>().ok())
                {
                    let _ = port_tx.send(port);
                }
            }
        });
        // Generous: on a loaded two-processor machine chromedriver has taken over 10 s to
        // start, and a slow machine must not fail a test; a chromedriver that hangs still does.
        let port = port_rx
            .recv_timeout(CHROMEDRIVER_START)
            .unwrap_or_else(|_| {
                let _ = process.kill();
                panic!("chromedriver did not report its port within {CHROMEDRIVER_START:?}")
            });
        ChromeDriver {
            process,
            url: format!("http://127.0.0.1:{port}"),
            _slot: slot,
        }
    }

    /// A headless Chromium whose owner reads Spanish, on a phone-sized screen.
    async fn open_browser(&self, profile: &Path) -> Client {
        let options = json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                // The test needs nothing but loopback; these keep Chromium from reaching for
                // Google's servers at start-up, which has hung it on sandboxed machines.
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                // Containers often have a tiny /dev/shm, which crashes Chromium's renderers.
                "--disable-dev-shm-usage",
                "--window-size=412,915",
                "--lang=es-MX",
                format!("--user-data-dir={}", profile.display()),
            ],
            "prefs": {
                // `--lang` only sets the interface language; this is what Accept-Language sends.
                "intl.accept_languages": "es-MX,es",
                // As in more and more supporters' browsers; the embedded form needs no cookie.
                "profile.block_third_party_cookies": true,
            },
        });
        // Both of rustls's crypto back-ends are compiled into this binary (see Cargo.toml), so
        // it refuses to guess; an error only means a provider is already installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), options);
        ClientBuilder::rustls()
            .expect("TLS set-up for the WebDriver connection")
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .expect("chromedriver starts a Chromium session")
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // Already gone is fine; there is nothing else worth reporting from a test's clean-up.
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Waits for the browser to arrive at a page whose path ends with `suffix`: forms submitted by a
/// click or by a script navigate on their own time.
async fn wait_for_path_ending(browser: &Client, suffix: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let url = browser.current_url().await.expect("the browser's URL");
        if url.path().ends_with(suffix) {
            return url.to_string();
        }
        assert!(
            Instant::now() < deadline,
            "the browser is still on {url}, expected a page ending with {suffix}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn text_of(browser: &Client, selector: &str) -> String {
    browser
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(selector))
        .await
        .unwrap_or_else(|error| panic!("the page has {selector} ({error})"))
        .text()
        .await
        .unwrap_or_else(|error| panic!("the text of {selector} ({error})"))
}

/// Waits until the element `selector` is on the page and its text contains `expected`: a
/// form's answer replaces the page in its own time.
async fn wait_for_text(browser: &Client, selector: &str, expected: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(element) = browser.find(Locator::Css(selector)).await
            && let Ok(text) = element.text().await
            && text.contains(expected)
        {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "{selector} never read {expected:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn type_into(browser: &Client, selector: &str, text: &str) {
    browser
        .find(Locator::Css(selector))
        .await
        .unwrap_or_else(|error| panic!("the form has {selector} ({error})"))
        .send_keys(text)
        .await
        .unwrap_or_else(|error| panic!("typing into {selector} ({error})"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supporter_signs_the_demo_campaign_and_confirms_from_the_email() {
    const EMAIL: &str = "maria.jose@example.org";
    let app = spawn_app().await;
    let driver = ChromeDriver::start().await;
    let profile = tempfile::tempdir().expect("a fresh Chromium profile directory");
    let browser = driver.open_browser(profile.path()).await;
    let campaign_page = app.url(&format!("/campaigns/{DEMO}"));

    // She follows a shared link that says nothing about language; her browser asks for Spanish.
    browser
        .goto(&campaign_page)
        .await
        .expect("the campaign page opens");
    let html = browser
        .find(Locator::Css("html"))
        .await
        .expect("the page has an html element");
    assert_eq!(
        html.attr("lang").await.expect("html[lang]").as_deref(),
        Some("es"),
        "the page follows the browser's Accept-Language"
    );

    type_into(&browser, "#first_name", "María-José").await;
    type_into(&browser, "#last_name", "Ñúñez O'Connor").await;
    type_into(&browser, "#email", EMAIL).await;
    let country = browser
        .find(Locator::Css("#country"))
        .await
        .expect("the form has a country list");
    assert_eq!(
        country
            .prop("value")
            .await
            .expect("the chosen country")
            .as_deref(),
        Some("MX"),
        "Mexico is already chosen for this campaign"
    );
    assert_eq!(
        text_of(&browser, "#country option:checked").await,
        "México",
        "the country list is in Spanish"
    );
    type_into(&browser, "#postal_code", "39090").await;
    browser
        .find(Locator::Css("form.sign-form button[type=submit]"))
        .await
        .expect("the form has a submit button")
        .click()
        .await
        .expect("clicking the submit button");

    let check_email = wait_for_path_ending(&browser, "/check-email").await;
    assert_eq!(
        check_email,
        app.url(&format!("/campaigns/{DEMO}/check-email?lang=es"))
    );
    assert_eq!(text_of(&browser, "h1").await, "Revisa tu correo");

    let emails = app.mail.wait_for(EMAIL, 1).await;
    let email = &emails[0];
    assert!(
        email.subject().contains("Mariposas por México"),
        "the subject names the campaign in Spanish: {:?}",
        email.subject()
    );
    assert!(
        email.text().contains("María-José"),
        "the email greets her by the name she typed: {:?}",
        email.text()
    );
    let link = email.confirmation_link();
    assert!(
        link.starts_with(&app.address),
        "the link points at this app: {link}"
    );

    // Opening the link shows a button; she presses it.
    browser
        .goto(&link)
        .await
        .expect("the confirmation link opens");
    browser
        .find(Locator::Css("form button[type=submit]"))
        .await
        .expect("the page has a confirm button")
        .click()
        .await
        .expect("clicking the confirm button");
    let thanks = wait_for_path_ending(&browser, "/thanks").await;
    assert_eq!(
        thanks,
        app.url(&format!("/campaigns/{DEMO}/thanks?lang=es"))
    );
    assert_eq!(text_of(&browser, "h1").await, "¡Gracias!");

    assert_eq!(
        app.count_becomes(1).await,
        1,
        "the public count includes her"
    );
    // Campaign pages are rendered at most once a second, so the count may take a reload.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        browser
            .goto(&campaign_page)
            .await
            .expect("the campaign page opens again");
        let shown = text_of(&browser, "p.count strong").await;
        if shown == "1" {
            break;
        }
        assert!(Instant::now() < deadline, "the page still shows {shown}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    browser.close().await.expect("the browser session closes");
}
