//! Browser test of the staff pages: a member of staff signs in, creates a campaign, sees it
//! public, reads the demo campaign's dashboard and downloads its signatures as CSV.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, Locator};
use reqwest::{Method, Url};
use serde_json::json;

use crate::helpers::{DEMO, signer, spawn_app, with};
use crate::{ChromeDriver, text_of, type_into, wait_for_path_ending};

const STAFF_EMAIL: &str = "ana@example.org";
const STAFF_PASSWORD: &str = "a long staff password";
const FORMULA_COMMENT: &str = r#"=HYPERLINK("http://x","y")"#;
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Chrome DevTools' `Browser.setDownloadBehavior`, sent through chromedriver's
/// `goog/cdp/execute`. Headless Chromium would save into ~/Downloads; this keeps the file in
/// the test's own directory without changing the shared browser set-up.
#[derive(Debug)]
struct AllowDownloads {
    into: PathBuf,
}

impl WebDriverCompatibleCommand for AllowDownloads {
    fn endpoint(
        &self,
        base_url: &Url,
        session_id: Option<&str>,
    ) -> Result<Url, <Url as FromStr>::Err> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &Url) -> (Method, Option<String>) {
        let command = json!({
            "cmd": "Browser.setDownloadBehavior",
            "params": { "behavior": "allow", "downloadPath": self.into },
        });
        (Method::POST, Some(command.to_string()))
    }
}

async fn click(browser: &Client, locator: Locator<'_>, what: &str) {
    browser
        .find(locator)
        .await
        .unwrap_or_else(|error| panic!("the page has {what} ({error})"))
        .click()
        .await
        .unwrap_or_else(|error| panic!("clicking {what} ({error})"));
}

/// Waits for a finished download named `prefix…csv`: Chromium writes a `.crdownload` file
/// and renames it when the last byte is in.
async fn downloaded_csv(dir: &Path, prefix: &str) -> PathBuf {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let names: Vec<String> = std::fs::read_dir(dir)
            .expect("the download directory is readable")
            .map(|entry| {
                entry
                    .expect("a download directory entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        let partial = names.iter().any(|name| name.ends_with(".crdownload"));
        let finished = names
            .iter()
            .find(|name| name.starts_with(prefix) && name.ends_with(".csv"));
        if let (Some(name), false) = (finished, partial) {
            return dir.join(name);
        }
        assert!(
            Instant::now() < deadline,
            "no finished {prefix}….csv in {} after 10 s; it holds {names:?}",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_sign_in_create_a_campaign_see_it_public_and_download_the_csv() {
    const FORMULA_EMAIL: &str = "formula@example.org";
    let app = spawn_app().await;
    app.create_staff(STAFF_EMAIL, STAFF_PASSWORD);

    // Two confirmed signatures, one commenting with a spreadsheet formula, and one pending.
    app.sign_and_confirm("maria@example.org").await;
    let formula = with(signer(FORMULA_EMAIL), "comment", FORMULA_COMMENT);
    assert_eq!(
        app.sign(&formula).await.status().as_u16(),
        303,
        "a comment that looks like a formula is still a comment"
    );
    app.sign_and_confirm_existing(FORMULA_EMAIL).await;
    let pending = app.sign(&signer("pending@example.org")).await;
    assert_eq!(
        pending.status().as_u16(),
        303,
        "the pending signature is taken"
    );

    let driver = ChromeDriver::start().await;
    let profile = tempfile::tempdir().expect("a fresh Chromium profile directory");
    let downloads = tempfile::tempdir().expect("a download directory");
    let browser = driver.open_browser(profile.path()).await;
    browser
        .issue_cmd(AllowDownloads {
            into: downloads.path().to_owned(),
        })
        .await
        .expect("Chromium accepts a download directory");

    // The staff pages send her to sign in first.
    browser
        .goto(&app.url("/admin/campaigns"))
        .await
        .expect("the staff pages open");
    wait_for_path_ending(&browser, "/admin/login").await;
    type_into(&browser, "#email", STAFF_EMAIL).await;
    type_into(&browser, "#password", STAFF_PASSWORD).await;
    click(
        &browser,
        Locator::Css("main button[type=submit]"),
        "the sign-in button",
    )
    .await;
    wait_for_path_ending(&browser, "/admin/campaigns").await;
    let campaigns = text_of(&browser, "main table").await;
    assert!(
        campaigns.contains("Mariposas por México"),
        "the campaign list shows the demo campaign: {campaigns:?}"
    );

    // Her browser reads Spanish, and so do her staff pages until she picks another language.
    click(
        &browser,
        Locator::LinkText("Nueva campaña"),
        "the New campaign link",
    )
    .await;
    wait_for_path_ending(&browser, "/admin/campaigns/new").await;
    type_into(&browser, "#slug", "agua-limpia").await;
    type_into(&browser, "#title_es", "Agua limpia para Guerrero").await;
    type_into(
        &browser,
        "#summary_es",
        "Pozos y filtros para diez comunidades.",
    )
    .await;
    type_into(
        &browser,
        "#body_es",
        "Las lluvias contaminaron los pozos.\n\nCon tu firma pedimos filtros para cada escuela.",
    )
    .await;
    let goal = browser
        .find(Locator::Css("#goal"))
        .await
        .expect("the form has a goal");
    goal.clear().await.expect("clearing the goal");
    type_into(&browser, "#goal", "500").await;
    let open = browser
        .find(Locator::Css("#is_open"))
        .await
        .expect("the form has an open checkbox");
    assert!(
        open.is_selected().await.expect("the checkbox's state"),
        "a new campaign is open for signatures unless staff say otherwise"
    );
    click(
        &browser,
        Locator::Css("main button[type=submit]"),
        "the Save button",
    )
    .await;
    wait_for_path_ending(&browser, "/admin/campaigns/agua-limpia").await;
    assert_eq!(
        text_of(&browser, "main h1").await,
        "Agua limpia para Guerrero"
    );

    browser
        .goto(&app.url("/campaigns/agua-limpia"))
        .await
        .expect("the new campaign's public page opens");
    assert_eq!(text_of(&browser, "h1").await, "Agua limpia para Guerrero");
    let paragraphs = browser
        .find_all(Locator::Css(".campaign-body p"))
        .await
        .expect("the campaign's text");
    assert_eq!(
        paragraphs.len(),
        2,
        "the blank line separates two paragraphs"
    );

    browser
        .goto(&app.url(&format!("/admin/campaigns/{DEMO}")))
        .await
        .expect("the demo campaign's dashboard opens");
    assert_eq!(
        text_of(&browser, "dl.stats > div:nth-child(1) dd").await,
        "2",
        "the dashboard counts the two confirmed signatures"
    );
    assert_eq!(
        text_of(&browser, "dl.stats > div:nth-child(2) dd").await,
        "1",
        "the dashboard counts the pending signature apart"
    );
    browser
        .find(Locator::Css(".chart svg rect"))
        .await
        .expect("the chart has a bar for the day they signed");

    browser
        .find(Locator::Css("#status"))
        .await
        .expect("the export form has a status")
        .select_by_value("confirmed")
        .await
        .expect("choosing confirmed signatures");
    click(
        &browser,
        Locator::Css("form[action$='/signatures.csv'] button[type=submit]"),
        "the Download CSV button",
    )
    .await;
    let file = downloaded_csv(downloads.path(), &format!("{DEMO}-signatures-")).await;

    let bytes = std::fs::read(&file).expect("the downloaded file is readable");
    assert!(
        bytes.starts_with(BOM),
        "the CSV starts with a byte-order mark so spreadsheets read it as UTF-8"
    );
    let mut reader = csv::Reader::from_reader(&bytes[BOM.len()..]);
    let header = reader.headers().expect("the CSV has a header").clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|column| column == name)
            .unwrap_or_else(|| panic!("the header has {name}: {header:?}"))
    };
    let (first_name, comment) = (column("first_name"), column("comment"));
    let records: Vec<csv::StringRecord> = reader
        .records()
        .map(|record| record.expect("a well-formed CSV row"))
        .collect();
    let first_names: Vec<&str> = records.iter().map(|r| &r[first_name]).collect();
    let comments: Vec<&str> = records.iter().map(|r| &r[comment]).collect();
    assert_eq!(
        first_names.len(),
        2,
        "only the two confirmed signatures are exported: {first_names:?}"
    );
    assert!(
        first_names.contains(&"José Ñúñez"),
        "accents survive the download: {first_names:?}"
    );
    assert!(
        comments.contains(&format!("'{FORMULA_COMMENT}").as_str()),
        "the formula is neutralised with a leading apostrophe: {comments:?}"
    );

    browser.close().await.expect("the browser session closes");
}
