//! Browser test of typing in a paper sheet: a member of staff enters two signers from the
//! keyboard alone, Tab through each row and Enter to the next, and both count at once.

use fantoccini::Client;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;

use crate::helpers::{DEMO, spawn_app};
use crate::{ChromeDriver, text_of, type_into, wait_for_path_ending};

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

/// Ctrl+Enter, as one chord.
async fn ctrl_enter(browser: &Client) {
    let actions = KeyActions::new("keyboard".to_owned())
        .then(KeyAction::Down {
            value: Key::Control.into(),
        })
        .then(KeyAction::Down {
            value: Key::Enter.into(),
        })
        .then(KeyAction::Up {
            value: Key::Enter.into(),
        })
        .then(KeyAction::Up {
            value: Key::Control.into(),
        });
    browser
        .perform_actions(actions)
        .await
        .expect("pressing Ctrl+Enter");
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
    type_row(&browser, 0, ["Łukasz", "Nowak", "", "06000", "MX"], false).await;
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
    assert_eq!(result, "2 new, 0 duplicates, 0 invalid");
    let rows = text_of(&browser, ".notice table").await;
    assert!(rows.contains("Łukasz Nowak"), "{rows}");
    assert!(rows.contains("Zoé Lefèvre"), "{rows}");
    assert_eq!(app.counted(), 2);
    app.mail.wait_for("zoe@example.org", 1).await;
    browser.close().await.expect("the browser session closes");
}
