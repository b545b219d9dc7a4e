//! A partner organisation pastes Mariposa's snippet into its own page, served from another
//! origin; Chromium, with third-party cookies blocked, shows the form in an iframe there.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};

use crate::helpers::{DEMO, TestApp, spawn_app};
use crate::{ChromeDriver, text_of, type_into};

/// The height embed.js gives the iframe before the form reports its own.
const INITIAL_FRAME_HEIGHT: f64 = 600.0;

/// A partner's web site: a page carrying Mariposa's snippet, served from its own port on
/// loopback under the name `localhost`, while Mariposa answers at `127.0.0.1`, so the two
/// are different sites to the browser. Returns the page's address.
fn serve_partner_page(app: &TestApp) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port for the partner's site");
    let port = listener.local_addr().expect("the partner's address").port();
    let page = format!(
        "<!doctype html>\n<html lang=\"es\">\n<head><meta charset=\"utf-8\">\
         <title>Centro Prodh</title></head>\n<body>\n<h1>Centro Prodh</h1>\n\
         <p>Firma con nosotros por los 43.</p>\n\
         <script src=\"{}/embed.js\" data-campaign=\"{DEMO}\" data-source=\"centro-prodh\" \
         data-lang=\"es\" async></script>\n<p>Pie de página</p>\n</body>\n</html>\n",
        app.address
    );
    // The thread ends with the test binary; nothing else listens on this port.
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            if let Err(error) = answer(stream, &page) {
                eprintln!("the partner's site could not answer: {error}");
            }
        }
    });
    format!("http://localhost:{port}/")
}

/// Just enough HTTP/1.1 for a browser: the page at `/`, 404 for anything else.
fn answer(mut stream: TcpStream, page: &str) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? <= 2 {
            break;
        }
    }
    let (status, body) = if request_line.starts_with("GET / ") {
        ("200 OK", page)
    } else {
        ("404 Not Found", "")
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

async fn run(browser: &Client, script: &str) -> serde_json::Value {
    browser
        .execute(script, Vec::new())
        .await
        .unwrap_or_else(|error| panic!("running {script:?} ({error})"))
}

async fn frame_height(browser: &Client) -> f64 {
    run(
        browser,
        "return document.querySelector('iframe').getBoundingClientRect().height;",
    )
    .await
    .as_f64()
    .expect("a height in pixels")
}

/// Opens the partner's page and waits for embed.js to have put the iframe in it.
async fn open_partner_page(browser: &Client, partner_page: &str) -> fantoccini::elements::Element {
    browser
        .goto(partner_page)
        .await
        .expect("the partner's page opens");
    browser
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("script[data-campaign] + iframe"))
        .await
        .expect("embed.js puts an iframe right after its script tag")
}

/// Inside the frame: waits until its document is no longer the initial empty one, and
/// returns its address.
async fn loaded_frame_address(browser: &Client) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let state = run(
            browser,
            "return document.readyState === 'complete' ? location.href : '';",
        )
        .await;
        let href = state.as_str().unwrap_or_default().to_owned();
        if !href.is_empty() && href != "about:blank" {
            return href;
        }
        assert!(
            Instant::now() < deadline,
            "the frame never finished loading"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supporter_signs_inside_a_partners_page_with_third_party_cookies_blocked() {
    const EMAIL: &str = "lucia@example.org";
    let app = spawn_app().await;
    let partner_page = serve_partner_page(&app);
    let partner_origin = partner_page.trim_end_matches('/');
    app.set_embed_origins(
        DEMO,
        &format!("https://centroprodh.org.mx {partner_origin}"),
    )
    .await;
    let driver = ChromeDriver::start().await;
    let profile = tempfile::tempdir().expect("a fresh Chromium profile directory");
    let browser = driver.open_browser(profile.path()).await;

    let frame = open_partner_page(&browser, &partner_page).await;

    assert_eq!(
        frame.attr("title").await.expect("iframe[title]").as_deref(),
        Some("Formulario para firmar la petición"),
        "screen readers can name the frame"
    );
    assert_eq!(
        frame.attr("src").await.expect("iframe[src]"),
        Some(app.url(&format!("/embed/{DEMO}?source=centro-prodh&lang=es")))
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut height = frame_height(&browser).await;
    while height <= INITIAL_FRAME_HEIGHT {
        assert!(
            Instant::now() < deadline,
            "the frame stayed {height}px high: the form's height never reached the page"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        height = frame_height(&browser).await;
    }

    frame.enter_frame().await.expect("switching into the frame");
    type_into(&browser, "#first_name", "Lucía").await;
    type_into(&browser, "#last_name", "Hernández").await;
    type_into(&browser, "#email", EMAIL).await;
    type_into(&browser, "#postal_code", "39090").await;
    browser
        .find(Locator::Css("form.sign-form button[type=submit]"))
        .await
        .expect("the embedded form has a submit button")
        .click()
        .await
        .expect("clicking the submit button");

    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let path = run(&browser, "return location.pathname;").await;
        if path.as_str() == Some(&format!("/embed/{DEMO}/check-email")) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the frame is still on {path}, expected the check-email page"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(text_of(&browser, "h1").await, "Revisa tu correo");

    browser
        .enter_parent_frame()
        .await
        .expect("back to the partner's page");
    assert_eq!(
        browser
            .current_url()
            .await
            .expect("the page's URL")
            .as_str(),
        partner_page,
        "the supporter never left the partner's page"
    );
    app.mail.wait_for(EMAIL, 1).await;
    assert_eq!(
        app.query_count(
            "SELECT COUNT(*) AS n FROM signatures \
             WHERE source = 'centro-prodh' AND email = 'lucia@example.org'"
        ),
        1,
        "the signature is attributed to the partner"
    );

    browser.close().await.expect("the browser session closes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_the_campaign_does_not_list_cannot_frame_its_form() {
    let app = spawn_app().await;
    let partner_page = serve_partner_page(&app);
    app.set_embed_origins(DEMO, "https://centroprodh.org.mx")
        .await;
    let driver = ChromeDriver::start().await;
    let profile = tempfile::tempdir().expect("a fresh Chromium profile directory");
    let browser = driver.open_browser(profile.path()).await;

    let frame = open_partner_page(&browser, &partner_page).await;
    frame.enter_frame().await.expect("switching into the frame");
    let address = loaded_frame_address(&browser).await;

    assert!(
        !address.starts_with(&app.address),
        "Chromium refused to show the form and put its error page in the frame: {address}"
    );
    assert!(
        browser.find(Locator::Css("form.sign-form")).await.is_err(),
        "the frame holds no signing form"
    );
    browser
        .enter_parent_frame()
        .await
        .expect("back to the partner's page");
    // No form reported a height, so a plain link to the campaign's page takes the place of
    // the grey box, in the page's language.
    let link = browser
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("script[data-campaign] + p a.mariposa-link"))
        .await
        .expect("a plain link instead of a broken frame");
    assert_eq!(
        link.text().await.expect("its words"),
        "Firma la petición en la página de la campaña"
    );
    let href = link
        .attr("href")
        .await
        .expect("its address")
        .unwrap_or_default();
    assert!(
        href.starts_with(&format!("{}/campaigns/{DEMO}", app.address)),
        "{href}"
    );
    assert!(
        browser.find(Locator::Css("iframe")).await.is_err(),
        "the broken frame is gone"
    );

    browser.close().await.expect("the browser session closes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_a_partners_page_a_failed_submit_brings_the_error_summary_into_view_and_focus() {
    let app = spawn_app().await;
    let partner_page = serve_partner_page(&app);
    app.set_embed_origins(DEMO, partner_page.trim_end_matches('/'))
        .await;
    let driver = ChromeDriver::start().await;
    let profile = tempfile::tempdir().expect("a fresh Chromium profile directory");
    let browser = driver.open_browser(profile.path()).await;
    let frame = open_partner_page(&browser, &partner_page).await;
    frame.enter_frame().await.expect("switching into the frame");
    loaded_frame_address(&browser).await;

    // She sends the form before filling it in.
    browser
        .find(Locator::Css("form.sign-form button[type=submit]"))
        .await
        .expect("the embedded form has a submit button")
        .click()
        .await
        .expect("clicking the submit button");
    text_of(&browser, ".error-summary h2").await;

    // Browsers ignore autofocus in a frame from another site; the frame's own script
    // gives the summary the focus, which also scrolls the partner's page to it.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let focused = run(&browser, "return document.activeElement.className;").await;
        if focused.as_str() == Some("error-summary") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the focus stayed on {focused} inside the frame"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let summary_top = run(
        &browser,
        "return document.querySelector('.error-summary').getBoundingClientRect().top;",
    )
    .await
    .as_f64()
    .expect("the summary's position in the frame");
    browser
        .enter_parent_frame()
        .await
        .expect("back to the partner's page");
    let (frame_top, window_height) = (
        frame_top(&browser).await,
        run(&browser, "return window.innerHeight;")
            .await
            .as_f64()
            .expect("the window's height"),
    );
    let on_screen = frame_top + summary_top;
    assert!(
        (0.0..window_height).contains(&on_screen),
        "the summary is on the partner's screen, at {on_screen} px of {window_height}"
    );

    browser.close().await.expect("the browser session closes");
}

async fn frame_top(browser: &Client) -> f64 {
    run(
        browser,
        "return document.querySelector('iframe').getBoundingClientRect().top;",
    )
    .await
    .as_f64()
    .expect("the frame's position")
}
