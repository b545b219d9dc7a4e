//! Browser test of typing in a paper sheet: a member of staff enters two signers from the
//! keyboard alone, in Spanish, Tab through each row and Enter to the next, and both count at once; then
//! imports a file whose countries are written out, and the batch shows what is stored.

use fantoccini::Client;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;

use crate::helpers::{DEMO, spawn_app};
use crate::{ChromeDriver, text_of, type_into, wait_for_path_ending, wait_for_text};

const STAFF_EMAIL: &str = "ana@example.org";
const STAFF_PASSWORD: &str = "a long staff password";

async fn press(browser: &Client, keys: &[char]) {
    let mut actions = KeyActions::new("keyboard".to_owned());
    for &key in keys {
        actions = actions
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
    }
    browser
        .perform_actions(actions)
        .await
        .unwrap_or_else(|error| panic!("pressing {keys:?} ({error})"));
}

async fn type_keys(browser: &Client, text: &str) {
    press(browser, &text.chars().collect::<Vec<_>>()).await;
}

/// Ctrl and `key`, as one chord.
async fn ctrl(browser: &Client, key: char) {
    let actions = KeyActions::new("keyboard".to_owned())
        .then(KeyAction::Down {
            value: Key::Control.into(),
        })
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key })
        .then(KeyAction::Up {
            value: Key::Control.into(),
        });
    browser
        .perform_actions(actions)
        .await
        .expect("pressing a Ctrl chord");
}

async fn ctrl_enter(browser: &Client) {
    ctrl(browser, Key::Enter.into()).await;
}

/// The name of the field with the keyboard focus.
async fn focused(browser: &Client) -> String {
    browser
        .execute("return document.activeElement.name || '';", Vec::new())
        .await
        .expect("reading the focus")
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn tab_to(browser: &Client, target: &str) {
    for _ in 0..60 {
        if focused(browser).await == target {
            return;
        }
        press(browser, &[Key::Tab.into()]).await;
    }
    panic!(
        "Tab never reached {target}; the focus is on {}",
        focused(browser).await
    );
}

/// Types one row from its first field, Tab after each field, and Enter at the end.
async fn type_row(browser: &Client, row: usize, cells: [&str; 5], keep_informed: bool) {
    let names = ["first_name", "last_name", "email", "postal_code", "country"];
    for (name, text) in names.iter().zip(cells) {
        assert_eq!(focused(browser).await, format!("{name}-{row}"));
        if *name == "country" {
            // The row starts with the campaign's country; the sheet may say another.
            ctrl(browser, 'a').await;
        }
        type_keys(browser, text).await;
        press(browser, &[Key::Tab.into()]).await;
    }
    assert_eq!(focused(browser).await, format!("email_opt_in-{row}"));
    if keep_informed {
        press(browser, &[' ']).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_type_two_signers_from_a_sheet_with_the_keyboard_alone() {
    let app = spawn_app().await;
    app.create_staff(STAFF_EMAIL, STAFF_PASSWORD);
    let driver = ChromeDriver::start().await;
    let profile = tempfile::tempdir().expect("a fresh Chromium profile directory");
    let browser = driver.open_browser(profile.path()).await;
    browser
        .goto(&app.url(&format!("/admin/campaigns/{DEMO}/paper")))
        .await
        .expect("the paper page opens");
    wait_for_path_ending(&browser, "/admin/login").await;
    type_into(&browser, "#email", STAFF_EMAIL).await;
    type_into(&browser, "#password", STAFF_PASSWORD).await;
    press(&browser, &[Key::Enter.into()]).await;
    wait_for_path_ending(&browser, "/admin/campaigns").await;
    browser
        .goto(&app.url(&format!("/admin/campaigns/{DEMO}/paper")))
        .await
        .expect("the paper page opens");

    // She starts a batch for the festival's sheets.
    type_into(&browser, "#name", "Día de Muertos, Zócalo").await;
    type_into(&browser, "#source", "paper-zocalo").await;
    press(&browser, &[Key::Enter.into()]).await;
    text_of(&browser, "#entry-heading").await;
    let batch = browser.current_url().await.expect("the browser's URL");
    assert!(batch.path().contains("/paper/"), "{batch}");

    // From the top of the page, Tab reaches the first row; then only the keyboard.
    tab_to(&browser, "first_name-0").await;
    assert_eq!(
        browser
            .find(fantoccini::Locator::Css("[name=country-0]"))
            .await
            .expect("the country cell")
            .prop("value")
            .await
            .expect("its value")
            .as_deref(),
        Some("México"),
        "rows start with the campaign's country, by name"
    );
    type_row(
        &browser,
        0,
        ["Łukasz", "Nowak", "", "06000", "México"],
        false,
    )
    .await;
    press(&browser, &[Key::Enter.into()]).await;
    assert_eq!(
        focused(&browser).await,
        "first_name-1",
        "Enter goes to the next row"
    );
    type_row(
        &browser,
        1,
        ["Zoé", "Lefèvre", "zoe@example.org", "75011", "FR"],
        true,
    )
    .await;
    ctrl_enter(&browser).await;

    let result = text_of(&browser, "#result-heading").await;
    assert_eq!(
        result,
        "Se agregaron 2; se dejaron fuera 0 ya contadas y 0 con un problema."
    );
    let rows = text_of(&browser, ".notice table").await;
    assert!(rows.contains("Łukasz Nowak"), "{rows}");
    assert!(rows.contains("Zoé Lefèvre"), "{rows}");
    assert_eq!(app.counted(), 2);
    assert_eq!(
        text_of(&browser, "#batch-count").await,
        "2 firmas en papel contadas",
        "the count shown is the one stored"
    );
    app.mail.wait_for("zoe@example.org", 1).await;

    // A file from another volunteer writes countries out, in French and without accents.
    let dir = tempfile::tempdir().expect("a directory for the file");
    let file = dir.path().join("feuille.csv");
    std::fs::write(
        &file,
        "first_name;last_name;postal_code;country\r\n\
         Łukasz;Nowak;06000;Mexique\r\n\
         Inès;Durand;75011;France\r\n\
         Joao;Silva;01310-100;bresil\r\n",
    )
    .expect("the file is written");
    type_into(&browser, "#file", &file.display().to_string()).await;
    browser
        .find(fantoccini::Locator::Css("#import-form button"))
        .await
        .expect("the check button")
        .click()
        .await
        .expect("the file is sent");
    let preview = wait_for_text(&browser, "#result-heading", "Revisado:").await;
    assert_eq!(
        preview,
        "Revisado: 2 nuevas, 1 ya contadas, 0 con un problema. Todavía no se guardó nada."
    );
    let rows = text_of(&browser, ".notice table").await;
    assert!(
        rows.contains("Ya cuenta en papel desde el ") && rows.contains("Día de Muertos, Zócalo"),
        "a duplicate names the earlier signature in words: {rows}"
    );
    assert!(
        !rows.contains("Agregada"),
        "nothing is added before importing: {rows}"
    );
    assert_eq!(
        text_of(&browser, "#batch-count").await,
        "2 firmas en papel contadas"
    );
    assert_eq!(app.counted(), 2);
    browser
        .find(fantoccini::Locator::Css("#import-confirm button"))
        .await
        .expect("the import button")
        .click()
        .await
        .expect("the import is sent");
    wait_for_text(&browser, "#result-heading", "Se importaron 2;").await;
    assert_eq!(
        text_of(&browser, "#result-heading").await,
        "Se importaron 2; se dejaron fuera 1 ya contadas y 0 con un problema."
    );
    assert_eq!(
        text_of(&browser, "#batch-count").await,
        "4 firmas en papel contadas"
    );
    assert_eq!(app.counted(), 4);
    browser.close().await.expect("the browser session closes");
}
