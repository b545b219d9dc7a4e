//! A kiosk at an event, in Chromium: people sign online, the server goes away (the process
//! is killed), the kiosk page still opens and takes signatures, and when the server is back
//! on the same address they arrive once, counted in person with the event. The device's
//! storage never holds a readable name.

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};

use crate::child_server::ChildServer;
use crate::helpers::{DEMO, connect, fresh_database};
use crate::{ChromeDriver, type_into};

/// Where screenshots of the kiosk go when a person wants to look at them.
const SCREENSHOTS: &str = "MARIPOSA_SCREENSHOTS";

fn count(database_url: &str, sql: &str) -> i64 {
    use diesel::{QueryableByName, RunQueryDsl, sql_types::BigInt};
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    diesel::sql_query(sql)
        .get_result::<Count>(&mut connect(database_url))
        .unwrap_or_else(|error| panic!("{sql}: {error}"))
        .n
}

fn execute(database_url: &str, sql: &str) {
    use diesel::connection::SimpleConnection;
    connect(database_url)
        .batch_execute(sql)
        .unwrap_or_else(|error| panic!("{sql}: {error}"));
}

async fn run(browser: &Client, script: &str) -> serde_json::Value {
    browser
        .execute(script, Vec::new())
        .await
        .unwrap_or_else(|error| panic!("running {script:.60} ({error})"))
}

/// Waits until `script` returns true in the page.
async fn until(browser: &Client, script: &str, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if run(browser, script).await == serde_json::Value::Bool(true) {
            return;
        }
        assert!(Instant::now() < deadline, "still waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Everything the kiosk keeps in IndexedDB, as text. Opening a database that does not exist
/// yet is rolled back, so the test never creates one the page would then find empty.
async fn device_storage(browser: &Client) -> String {
    run(
        browser,
        "return new Promise((resolve) => {
           const request = indexedDB.open('mariposa-kiosk');
           request.onupgradeneeded = () => request.transaction.abort();
           request.onerror = () => resolve('[]');
           request.onsuccess = () => {
             const db = request.result;
             if (!db.objectStoreNames.contains('queue')) { db.close(); resolve('[]'); return; }
             const all = db.transaction('queue').objectStore('queue').getAll();
             all.onsuccess = () => { db.close(); resolve(JSON.stringify(all.result)); };
             all.onerror = () => { db.close(); resolve('[]'); };
           };
         });",
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

async fn queue_text(browser: &Client) -> String {
    run(
        browser,
        "return document.getElementById('kiosk-queue').textContent;",
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

/// Signs one person on the kiosk page and checks that the next person finds nothing of them.
async fn sign(
    browser: &Client,
    first: &str,
    last: &str,
    names_so_far: &[&str],
    shot: Option<&str>,
) -> String {
    type_into(browser, "#first_name", first).await;
    type_into(browser, "#last_name", last).await;
    browser
        .find(Locator::Css("#kiosk-form button[type=submit]"))
        .await
        .expect("the kiosk's button")
        .click()
        .await
        .expect("signing");
    until(
        browser,
        "return !document.getElementById('kiosk-thanks').hidden;",
        "the thank-you screen",
    )
    .await;
    if let Some(name) = shot {
        screenshot(browser, name).await;
    }
    let thanks = run(
        browser,
        "return document.getElementById('kiosk-thanks-body').textContent;",
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned();
    browser
        .find(Locator::Css("#kiosk-next"))
        .await
        .expect("the next-person button")
        .click()
        .await
        .expect("next person");
    until(
        browser,
        "return !document.getElementById('kiosk-form-panel').hidden \
         && document.activeElement.id === 'first_name';",
        "the empty form for the next person",
    )
    .await;
    let page = run(browser, "return document.documentElement.outerHTML;")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let stored = device_storage(browser).await;
    for name in names_so_far.iter().chain([&first, &last]) {
        assert!(
            !page.contains(name),
            "the page still shows {name}: {}",
            &page[page.find(name).unwrap_or_default().saturating_sub(300)..]
        );
        assert!(!stored.contains(name), "the device stores {name} readably");
    }
    for field in ["first_name", "last_name", "email"] {
        let value = run(
            browser,
            &format!("return document.getElementById('{field}').value;"),
        )
        .await;
        assert_eq!(value, "", "{field} is empty for the next person");
    }
    thanks
}

async fn screenshot(browser: &Client, name: &str) {
    let Some(dir) = std::env::var_os(SCREENSHOTS) else {
        return;
    };
    for (width, height) in [(390, 844), (1024, 768)] {
        browser
            .set_window_size(width, height)
            .await
            .expect("window size");
        let png = browser.screenshot().await.expect("a screenshot");
        let path = std::path::Path::new(&dir).join(format!("kiosk-{name}-{width}x{height}.png"));
        std::fs::write(&path, png).expect("the screenshot is written");
    }
    browser
        .set_window_size(412, 915)
        .await
        .expect("window size");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_keeps_signing_through_an_outage_and_each_signature_arrives_once() {
    let dir = tempfile::tempdir().expect("a directory");
    let (database_url, _database) = fresh_database(dir.path());
    let server = ChildServer::start(&database_url, &[]).await;
    let port = server
        .address
        .rsplit(':')
        .next()
        .and_then(|port| port.parse::<u16>().ok())
        .expect("the server's port");
    let created = std::process::Command::new(env!("CARGO_BIN_EXE_mariposa"))
        .args(["kiosk", "create", DEMO, "--event", "Feria del libro"])
        .args(["--source", "feria", "--base-url", &server.address])
        .env("MARIPOSA_DATABASE_URL", &database_url)
        .env("MARIPOSA_LOG", "warn")
        .output()
        .expect("mariposa kiosk create");
    assert!(created.status.success(), "{created:?}");
    let link = String::from_utf8(created.stdout)
        .expect("utf-8")
        .trim()
        .to_owned();

    let driver = ChromeDriver::start().await;
    let profile = tempfile::tempdir().expect("a fresh Chromium profile directory");
    let browser = driver.open_browser(profile.path()).await;
    browser.goto(&link).await.expect("the kiosk opens");
    until(
        &browser,
        "return navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)",
        "the service worker to look after the page",
    )
    .await;
    until(
        &browser,
        "return caches.match(location.href).then((found) => !!found)",
        "the page to be kept for offline use",
    )
    .await;
    screenshot(&browser, "form").await;

    // A missing last name is flagged by the page itself, in its language, beside the field.
    type_into(&browser, "#first_name", "Itzel").await;
    browser
        .find(Locator::Css("#kiosk-form button[type=submit]"))
        .await
        .expect("the kiosk's button")
        .click()
        .await
        .expect("signing");
    until(
        &browser,
        "return !!document.getElementById('last_name-error') \
         && document.activeElement.id === 'last_name';",
        "the page's own error beside the last name",
    )
    .await;
    let missing = run(
        &browser,
        "return document.getElementById('last_name-error').textContent;",
    )
    .await;
    assert!(
        missing
            .as_str()
            .unwrap_or_default()
            .contains("Escribe tus apellidos."),
        "{missing}"
    );
    browser
        .find(Locator::Css("#first_name"))
        .await
        .expect("the field")
        .clear()
        .await
        .expect("cleared");

    // Two people sign while the network is fine.
    let thanks = sign(&browser, "Itzel", "Hernández", &[], Some("thanks")).await;
    assert!(thanks.starts_with("Tu firma ya cuenta."), "{thanks}");
    sign(&browser, "Tomás", "Ruiz", &["Itzel", "Hernández"], None).await;
    until(
        &browser,
        "return document.getElementById('kiosk-queue').dataset.waiting === '0' \
         && document.getElementById('kiosk-queue').textContent !== '';",
        "both to be sent",
    )
    .await;
    assert_eq!(
        queue_text(&browser).await,
        "Todas las firmas están enviadas."
    );
    let kiosk_signatures = "SELECT COUNT(*) AS n FROM signatures s \
         JOIN events e ON e.id = s.event_id \
         WHERE s.channel = 'kiosk' AND e.name = 'Feria del libro' \
         AND s.confirmed_at IS NOT NULL";
    assert_eq!(count(&database_url, kiosk_signatures), 2);

    // While online, a mistake only the server sees comes back beside its field at once,
    // with what was typed, as it does without the script.
    type_into(&browser, "#first_name", "Emiliano").await;
    type_into(&browser, "#last_name", "=SUMA(1)").await;
    browser
        .find(Locator::Css("#kiosk-form button[type=submit]"))
        .await
        .expect("the kiosk's button")
        .click()
        .await
        .expect("signing");
    until(
        &browser,
        "return !!document.getElementById('last_name-error') \
         && document.activeElement.id === 'last_name';",
        "the error beside the last name",
    )
    .await;
    assert_eq!(
        run(
            &browser,
            "return document.getElementById('first_name').value;"
        )
        .await,
        "Emiliano"
    );
    assert_eq!(
        run(
            &browser,
            "return document.getElementById('kiosk-thanks').hidden;"
        )
        .await,
        true
    );
    for field in ["#first_name", "#last_name"] {
        browser
            .find(Locator::Css(field))
            .await
            .expect("the field")
            .clear()
            .await
            .expect("cleared");
    }
    sign(
        &browser,
        "Emiliano",
        "Páramo",
        &["Itzel", "Hernández"],
        None,
    )
    .await;
    assert_eq!(count(&database_url, kiosk_signatures), 3);

    // The server goes away, for real, and the kiosk page is opened again.
    drop(server);
    browser.refresh().await.expect("the page reloads");
    let title = browser
        .find(Locator::Css("h1"))
        .await
        .expect("the kiosk opens without the server")
        .text()
        .await
        .expect("its title");
    assert_eq!(title, "Mariposas por México");
    let earlier = ["Itzel", "Hernández", "Tomás", "Ruiz", "Emiliano", "Páramo"];
    let thanks = sign(&browser, "Marisol", "Quintero", &earlier, None).await;
    assert!(
        thanks.contains("Contará cuando la tableta vuelva a tener conexión."),
        "offline, the signature is only queued, and the screen says so: {thanks}"
    );
    sign(&browser, "Joaquín", "Salgado", &earlier, None).await;
    sign(&browser, "Rigoberta", "Menchú", &earlier, None).await;
    until(
        &browser,
        "return document.getElementById('kiosk-queue').dataset.waiting === '3';",
        "three waiting",
    )
    .await;
    let waiting = queue_text(&browser).await;
    assert!(
        waiting.starts_with("Firmas pendientes de envío: 3"),
        "{waiting}"
    );
    let stored = device_storage(&browser).await;
    let held: Vec<serde_json::Value> = serde_json::from_str(&stored).expect("JSON");
    assert_eq!(held.len(), 3, "three sealed signatures on the device");
    for name in [
        "Marisol",
        "Quintero",
        "Joaquín",
        "Salgado",
        "Rigoberta",
        "Menchú",
    ] {
        assert!(!stored.contains(name), "{name} is readable on the device");
    }
    screenshot(&browser, "offline").await;
    assert_eq!(count(&database_url, kiosk_signatures), 3);

    // The server comes back on the same address and database; the queue empties by itself.
    let server = ChildServer::start_on(&database_url, port, &[]).await;
    until(
        &browser,
        "return document.getElementById('kiosk-queue').dataset.waiting === '0';",
        "the three to be sent",
    )
    .await;
    assert_eq!(
        queue_text(&browser).await,
        "Todas las firmas están enviadas."
    );
    assert_eq!(device_storage(&browser).await, "[]");
    assert_eq!(
        count(&database_url, kiosk_signatures),
        6,
        "each arrived once"
    );
    for last in ["Quintero", "Salgado", "Menchú"] {
        assert_eq!(
            count(
                &database_url,
                &format!(
                    "SELECT COUNT(*) AS n FROM signatures WHERE last_name = '{last}' \
                     AND channel = 'kiosk' AND source = 'feria' AND confirmed_at IS NOT NULL"
                )
            ),
            1,
            "{last} counted once, in person, with the event's source"
        );
    }
    assert_eq!(
        count(
            &database_url,
            "SELECT COUNT(*) AS n FROM kiosks WHERE waiting = 0 AND reported_at IS NOT NULL"
        ),
        1,
        "staff see that nothing is waiting on the device"
    );

    // Another outage; one more person signs; meanwhile staff revoke the kiosk. When the
    // server is back, what the device held is refused, the screen says so, and staff see it.
    drop(server);
    let everyone = [
        "Itzel",
        "Hernández",
        "Tomás",
        "Ruiz",
        "Emiliano",
        "Páramo",
        "Marisol",
        "Quintero",
        "Joaquín",
        "Salgado",
        "Rigoberta",
        "Menchú",
    ];
    sign(&browser, "Valentina", "Ocampo", &everyone, None).await;
    until(
        &browser,
        "return document.getElementById('kiosk-queue').dataset.waiting === '1';",
        "one waiting",
    )
    .await;
    execute(&database_url, "UPDATE kiosks SET revoked_at = created_at");
    let server = ChildServer::start_on(&database_url, port, &[]).await;
    until(
        &browser,
        "return document.getElementById('kiosk-queue').dataset.waiting === '0';",
        "the held signature to be answered",
    )
    .await;
    assert!(
        queue_text(&browser)
            .await
            .starts_with("Este quiosco está cerrado."),
        "the screen says the kiosk is closed"
    );
    assert_eq!(
        count(&database_url, kiosk_signatures),
        6,
        "nothing more counts"
    );
    assert_eq!(
        count(&database_url, "SELECT refused AS n FROM kiosks"),
        1,
        "staff see it as refused"
    );

    // Opened again, the revoked kiosk says so, and no longer opens from the device's cache.
    browser.refresh().await.expect("the page reloads");
    let heading = browser
        .find(Locator::Css("h1"))
        .await
        .expect("a heading")
        .text()
        .await
        .expect("its text");
    assert_eq!(heading, "Este quiosco está cerrado");
    assert!(
        browser.find(Locator::Css("#kiosk-form")).await.is_err(),
        "no form on a revoked kiosk"
    );
    drop(server);
    // A failed navigation is what is expected here; the page is what matters.
    let _ = browser.refresh().await;
    assert!(
        browser.find(Locator::Css("#kiosk-form")).await.is_err(),
        "the revoked kiosk no longer opens from the device's cache"
    );
    browser.close().await.expect("the browser session closes");
}

/// The QR codes in a PNG, decoded with zbarimg.
fn qr_codes(png: &std::path::Path) -> Vec<String> {
    let output = std::process::Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(png)
        .output()
        .expect("zbarimg runs (scripts/test installs zbar-tools)");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_hand_a_new_kiosk_link_to_a_tablet_by_qr_code_or_copy() {
    let app = crate::helpers::spawn_app().await;
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
    crate::wait_for_path_ending(&browser, "/admin/campaigns").await;
    browser
        .goto(&app.url(&format!("/admin/campaigns/{DEMO}/kiosks")))
        .await
        .expect("the kiosks page");
    type_into(&browser, "#event", "Feria del libro").await;
    browser
        .find(Locator::Css("form.admin-form button[type=submit]"))
        .await
        .expect("the create button")
        .click()
        .await
        .expect("the kiosk is made");

    let link = browser
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#kiosk-link"))
        .await
        .expect("the new link, as a link")
        .attr("href")
        .await
        .expect("its address")
        .expect("an href");
    assert!(link.contains("/kiosk/"), "{link}");
    run(
        &browser,
        "document.getElementById('kiosk-qr').scrollIntoView({block: 'center'});",
    )
    .await;
    let qr = browser
        .find(Locator::Css("#kiosk-qr svg"))
        .await
        .expect("the QR code")
        .screenshot()
        .await
        .expect("a picture of the QR code");
    let dir = tempfile::tempdir().expect("a directory");
    let png = dir.path().join("qr.png");
    std::fs::write(&png, qr).expect("the picture is written");
    assert_eq!(
        qr_codes(&png),
        vec![link.clone()],
        "the QR code is the link"
    );

    let copy = browser
        .find(Locator::Css("#copy-kiosk-link"))
        .await
        .expect("the copy button");
    assert!(copy.is_displayed().await.expect("visibility"));
    assert_eq!(copy.text().await.expect("its label"), "Copiar el enlace");
    copy.click().await.expect("copying");
    until(
        &browser,
        "return document.getElementById('copy-kiosk-link').textContent === 'Copiado';",
        "the button to say the link is copied",
    )
    .await;

    // Still shown once: the list page again holds no link.
    browser.refresh().await.expect("the page again");
    let again = run(&browser, "return document.body.innerHTML;").await;
    assert!(!again.as_str().unwrap_or_default().contains(&link));
    browser.close().await.expect("the browser session closes");
}
