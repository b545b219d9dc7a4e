//! Accessibility, checked the way it is lost: axe-core on every page a supporter or a member
//! of staff meets, in every language, on a phone and on a desktop, with the page's reflow at
//! 320 px and at 200 % text; and signing with the keyboard alone after a failed submit.
//! `MARIPOSA_SCREENSHOTS=DIR` keeps a phone-sized screenshot of the staff dashboard in each
//! language there, for a person to look at.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use crate::helpers::{DEMO, TestApp, signer, spawn_app, with};
use crate::{ChromeDriver, text_of, wait_for_path_ending};

/// Installed from the npm registry by scripts/test (`npm ci --prefix tests/browser/axe`),
/// pinned by the lock file there; the tests never fetch it.
const AXE_SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/browser/axe/node_modules/axe-core/axe.min.js"
);
const LANGUAGES: [&str; 4] = ["es", "en", "fr", "pt"];
/// A small phone and a desktop.
const WIDTHS: [u32; 2] = [360, 1280];
const HEIGHT: u32 = 800;
/// The narrowest screen WCAG's reflow asks for (1.4.10).
const REFLOW_WIDTH: u32 = 320;
/// WCAG 2.1 A and AA, and 2.2 AA, whose target size (24 × 24 px) staff pages meet too.
const WCAG_TAGS: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const STAFF_EMAIL: &str = "ana@example.org";
const STAFF_PASSWORD: &str = "a long staff password";

fn axe_source() -> String {
    std::fs::read_to_string(AXE_SCRIPT).unwrap_or_else(|error| {
        panic!(
            "{AXE_SCRIPT} cannot be read ({error}), so the accessibility pass cannot run: \
             run `npm ci --prefix tests/browser/axe`, or the test command from the README"
        )
    })
}

async fn run(browser: &Client, script: &str) -> Value {
    browser
        .execute(script, Vec::new())
        .await
        .unwrap_or_else(|error| panic!("running {script:.60} ({error})"))
}

async fn set_width(browser: &Client, width: u32) {
    browser
        .set_window_size(width, HEIGHT)
        .await
        .unwrap_or_else(|error| panic!("a window {width} px wide ({error})"));
}

/// What axe-core finds against `WCAG_TAGS` on the page open now, one line per element:
/// the rule, the element's selector and what the rule asks for.
async fn axe_violations(browser: &Client, axe: &str) -> Vec<String> {
    run(browser, axe).await;
    let found = browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {
               runOnly: { type: 'tag', values: arguments[0] },
               resultTypes: ['violations'],
             }).then(
               (results) => done(results.violations.flatMap((rule) => rule.nodes.map(
                 (node) => rule.id + ' at ' + node.target.join(' ') + ': ' + rule.help))),
               (error) => done(['axe-core could not run: ' + error]),
             );",
            vec![json!(WCAG_TAGS)],
        )
        .await
        .unwrap_or_else(|error| panic!("axe-core runs in the page ({error})"));
    found
        .as_array()
        .expect("a list of violations")
        .iter()
        .map(|line| line.as_str().unwrap_or_default().to_owned())
        .collect()
}

/// How many CSS pixels the page scrolls sideways.
async fn sideways_scroll(browser: &Client) -> i64 {
    run(
        browser,
        "const root = document.documentElement; return root.scrollWidth - root.clientWidth;",
    )
    .await
    .as_i64()
    .expect("a width in pixels")
}

/// The innermost elements that reach past the right edge of the screen, outside boxes that
/// scroll on their own (wide tables), so that a reflow problem names what to fix.
async fn past_the_edge(browser: &Client) -> String {
    run(
        browser,
        "const edge = document.documentElement.clientWidth;
         const scrolls = (el) => el.parentElement && el.parentElement !== document.body &&
           (getComputedStyle(el.parentElement).overflowX !== 'visible' || scrolls(el.parentElement));
         const past = [...document.body.querySelectorAll('*')].filter((el) =>
           el.getBoundingClientRect().right > edge + 1 && !scrolls(el) &&
           ![...el.children].some((child) => child.getBoundingClientRect().right > edge + 1));
         return past.slice(0, 3).map((el) => el.tagName.toLowerCase() +
           (el.id ? '#' + el.id : '') + ' \"' + (el.textContent || '').trim().slice(0, 30) + '\"')
           .join(', ');",
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

/// Reflow on a 320 px screen, at the browser's text size and at twice it (WCAG 1.4.10 and
/// 1.4.4): the page must not scroll sideways. Every size in the stylesheet is in rem or em,
/// so doubling the root font size is what a reader's 200 % text setting does.
async fn reflow_problems(browser: &Client, width_after: u32) -> Vec<String> {
    set_width(browser, REFLOW_WIDTH).await;
    let mut problems = Vec::new();
    for text_size in ["100%", "200%"] {
        run(
            browser,
            &format!("document.documentElement.style.fontSize = '{text_size}';"),
        )
        .await;
        let overflow = sideways_scroll(browser).await;
        if overflow > 0 {
            problems.push(format!(
                "scrolls {overflow} px sideways at {REFLOW_WIDTH} px and {text_size} text, \
                 past the edge: {}",
                past_the_edge(browser).await
            ));
        }
    }
    run(browser, "document.documentElement.style.fontSize = '';").await;
    set_width(browser, width_after).await;
    problems
}

/// Everything wrong with the page open now, each line naming the page and the width.
async fn page_problems(browser: &Client, axe: &str, page: &str, width: u32) -> Vec<String> {
    let mut problems = axe_violations(browser, axe).await;
    let overflow = sideways_scroll(browser).await;
    if overflow > 0 {
        problems.push(format!("scrolls {overflow} px sideways"));
    }
    if width == WIDTHS[0] {
        problems.extend(reflow_problems(browser, width).await);
    }
    problems
        .into_iter()
        .map(|problem| format!("{page} at {width} px: {problem}"))
        .collect()
}

fn with_lang(path: &str, lang: &str) -> String {
    let separator = if path.contains('?') { '&' } else { '?' };
    format!("{path}{separator}lang={lang}")
}

async fn open(browser: &Client, url: &str) {
    browser
        .goto(url)
        .await
        .unwrap_or_else(|error| panic!("{url} opens ({error})"));
}

/// Sends the form on the page open now with nothing typed, and waits for the answer.
async fn submit_empty_form(browser: &Client) {
    browser
        .find(Locator::Css("form.sign-form button[type=submit]"))
        .await
        .expect("the page has the signing form")
        .click()
        .await
        .expect("clicking the submit button");
    text_of(browser, ".error-summary h2").await;
}

/// A link from an email (bare or in a header's angle brackets) as a path on the app.
fn path_of(app: &TestApp, link: &str) -> String {
    link.trim_start_matches('<')
        .trim_end_matches('>')
        .replace(&app.address, "")
}

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

/// What has the keyboard focus: its id, else its class, else its tag.
async fn focused(browser: &Client) -> String {
    run(
        browser,
        "const el = document.activeElement;
         return el.id || el.className || el.tagName.toLowerCase();",
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

/// Presses Tab until `target` has the focus, as a keyboard user moves through a page.
async fn tab_to(browser: &Client, target: &str) {
    for _ in 0..40 {
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

/// Presses the header's button for `lang`, which keeps it on the staff account.
async fn choose_staff_language(browser: &Client, lang: &str) {
    open_path_of(browser, "/admin/campaigns").await;
    browser
        .find(Locator::Css(&format!(
            "nav.languages button[value=\"{lang}\"]"
        )))
        .await
        .unwrap_or_else(|error| panic!("the header offers {lang} ({error})"))
        .click()
        .await
        .unwrap_or_else(|error| panic!("choosing {lang} ({error})"));
    for _ in 0..100 {
        if html_lang(browser).await == lang {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the staff pages did not turn to {lang}");
}

/// Opens `path` on the site the browser is on.
async fn open_path_of(browser: &Client, path: &str) {
    let mut url = browser.current_url().await.expect("the browser's URL");
    url.set_path(path);
    url.set_query(None);
    open(browser, url.as_str()).await;
}

/// The language the page open now says it is in; empty between two pages, when the one
/// being loaded has no document element yet.
async fn html_lang(browser: &Client) -> String {
    run(
        browser,
        "return document.documentElement ? document.documentElement.lang : '';",
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

/// Keeps a screenshot of the page as a phone of `width` × `HEIGHT` shows it, as
/// `NAME.png` in the directory named by `MARIPOSA_SCREENSHOTS`, for people to look at;
/// without it, nothing is written.
async fn keep_screenshot(browser: &Client, name: &str, width: u32) {
    let Some(dir) = std::env::var_os("MARIPOSA_SCREENSHOTS") else {
        return;
    };
    // The window's own frame takes some of its height: grow it so the page gets all of HEIGHT.
    let frame = run(browser, "return window.outerHeight - window.innerHeight;")
        .await
        .as_u64()
        .and_then(|frame| u32::try_from(frame).ok())
        .unwrap_or(0);
    browser
        .set_window_size(width, HEIGHT + frame)
        .await
        .unwrap_or_else(|error| panic!("a window for the screenshot ({error})"));
    let png = browser
        .screenshot()
        .await
        .unwrap_or_else(|error| panic!("a screenshot of {name} ({error})"));
    set_width(browser, width).await;
    let path = std::path::Path::new(&dir).join(format!("{name}.png"));
    std::fs::write(&path, png)
        .unwrap_or_else(|error| panic!("writing {} ({error})", path.display()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_passes_axe_and_reflows_in_every_language_on_a_phone_and_a_desktop() {
    let axe = axe_source();
    let app = spawn_app().await;
    app.create_staff(STAFF_EMAIL, STAFF_PASSWORD);
    // A signer who wants news gets both links a supporter follows from email.
    app.sign(&with(signer("lucia@example.org"), "email_opt_in", "yes"))
        .await;
    let email = &app.mail.wait_for("lucia@example.org", 1).await[0];
    let confirm = path_of(&app, &email.confirmation_link());
    // A confirmed signature puts the count history's chart on the campaign page.
    app.sign_and_confirm("ana.confirmada@example.org").await;
    let unsubscribe = path_of(
        &app,
        &email
            .header("List-Unsubscribe")
            .expect("an unsubscribe link"),
    );
    let not_me = path_of(
        &app,
        email
            .text()
            .split_whitespace()
            .find(|word| word.contains("/not-me/"))
            .expect("a this-wasn't-me link"),
    );
    // A wave this hour, so that the review page has unusual rows, a preview with its sample
    // and an invalidation in its history.
    let now = chrono::Utc::now().naive_utc().format("%Y-%m-%d %H:%M:%S");
    let wave: Vec<String> = (0..25)
        .map(|i| {
            format!(
                "(1, 'Bot', 'Ola', 'bot{i}@oleada.example', 'bot{i}@oleada.example', 'MX', \
                 FALSE, 'es', 'v', '{now}', '{now}', 'oleada.example')"
            )
        })
        .collect();
    app.execute_sql(&format!(
        "INSERT INTO signatures (campaign_id, first_name, last_name, email, email_canonical, \
           country, email_opt_in, lang, consent_version, created_at, confirmed_at, email_domain) \
         VALUES {};
         INSERT INTO invalidations (campaign_id, conditions, reason, created_by, created_at, \
           affected, finished_at) \
         VALUES (1, '{{\"domain\":\"spam.example\"}}', 'Bots', 'staff:{STAFF_EMAIL}', '{now}', \
           12, '{now}');",
        wave.join(", ")
    ));

    let created = app.cli(&["kiosk", "create", DEMO, "--event", "Feria"], "");
    assert!(created.status.success(), "{created:?}");
    let kiosk = String::from_utf8_lossy(&created.stdout)
        .trim()
        .replace("http://127.0.0.1:8080", "");
    // Published updates, one of them the target's response, only in Spanish and English:
    // the French and Portuguese pages show the Spanish text, marked as Spanish.
    app.change_campaigns(&format!(
        "INSERT INTO campaign_updates (id, campaign_id, created_at, created_by, published_at,
             is_target_response)
           SELECT 1, id, '2026-09-26 10:00:00', 'staff:{STAFF_EMAIL}', '2026-09-26 10:00:00', FALSE
           FROM campaigns WHERE slug = '{DEMO}';
         INSERT INTO campaign_updates (id, campaign_id, created_at, created_by, published_at,
             is_target_response)
           SELECT 2, id, '2026-10-02 10:00:00', 'staff:{STAFF_EMAIL}', '2026-10-02 10:00:00', TRUE
           FROM campaigns WHERE slug = '{DEMO}';
         INSERT INTO campaign_update_texts (update_id, lang, subject, body) VALUES
           (1, 'es', 'Entregamos 43,000 firmas', 'Fotos: https://example.org/fotos\n\nGracias.'),
           (1, 'en', 'We delivered 43,000 signatures', 'Photos: https://example.org/photos\n\nThank you.'),
           (2, 'es', 'La Fiscalía respondió', 'Se comprometió a reabrir el caso.');"
    ))
    .await;

    let driver = ChromeDriver::start().await;
    let profile = tempfile::tempdir().expect("a fresh Chromium profile directory");
    let browser = driver.open_browser(profile.path()).await;

    let campaign = format!("/campaigns/{DEMO}");
    let embed = format!("/embed/{DEMO}");
    let public_pages = [
        ("index", "/".to_owned()),
        ("campaign", campaign.clone()),
        ("check-email", format!("{campaign}/check-email")),
        ("confirmation", confirm.clone()),
        ("thanks", format!("{campaign}/thanks")),
        ("embed", embed.clone()),
        ("embed check-email", format!("{embed}/check-email")),
        ("unsubscribe", unsubscribe),
        ("this wasn't me", not_me),
        ("kiosk", kiosk.clone()),
        ("kiosk thanks", format!("{kiosk}/thanks")),
    ];
    let mut problems = Vec::new();
    for width in WIDTHS {
        set_width(&browser, width).await;
        for lang in LANGUAGES {
            for (name, path) in &public_pages {
                open(&browser, &app.url(&with_lang(path, lang))).await;
                let url = browser.current_url().await.expect("the browser's URL");
                assert!(
                    url.path() == path.split('?').next().unwrap_or_default(),
                    "{name} stays on its page to be checked, not on {url}"
                );
                let page = format!("{name} ({lang})");
                problems.extend(page_problems(&browser, &axe, &page, width).await);
            }
            for (name, path) in [("campaign", &campaign), ("embed", &embed)] {
                open(&browser, &app.url(&with_lang(path, lang))).await;
                submit_empty_form(&browser).await;
                let page = format!("{name} after a failed submit ({lang})");
                problems.extend(page_problems(&browser, &axe, &page, width).await);
            }
        }
    }
    // Before sign-in, staff pick their language with the page's own links.
    for width in WIDTHS {
        set_width(&browser, width).await;
        for lang in LANGUAGES {
            open(&browser, &app.url(&with_lang("/admin/login", lang))).await;
            let page = format!("staff sign-in ({lang})");
            problems.extend(page_problems(&browser, &axe, &page, width).await);
        }
    }

    // Once the campaign closes, its page says so and a late confirmation link gets a page
    // saying the signature could not be added.
    app.change_campaigns(&format!(
        "UPDATE campaigns SET closes_at = '2026-01-31 23:59:59' WHERE slug = '{DEMO}'"
    ))
    .await;
    let closed_pages = [
        ("closed campaign", campaign.clone()),
        ("confirmation after closing", confirm),
        ("closed kiosk", kiosk),
    ];
    for width in WIDTHS {
        set_width(&browser, width).await;
        for lang in LANGUAGES {
            for (name, path) in &closed_pages {
                open(&browser, &app.url(&with_lang(path, lang))).await;
                let page = format!("{name} ({lang})");
                problems.extend(page_problems(&browser, &axe, &page, width).await);
            }
        }
    }

    open(&browser, &app.url("/admin/login")).await;
    crate::type_into(&browser, "#email", STAFF_EMAIL).await;
    crate::type_into(&browser, "#password", STAFF_PASSWORD).await;
    browser
        .find(Locator::Css("main button[type=submit]"))
        .await
        .expect("the sign-in button")
        .click()
        .await
        .expect("signing in");
    wait_for_path_ending(&browser, "/admin/campaigns").await;
    // A batch of paper signatures, so that its page has rows and results to check.
    let sheets = tempfile::tempdir().expect("a directory for a sheet");
    let sheet = sheets.path().join("sheet.csv");
    std::fs::write(&sheet, "first_name,last_name,country\nŁukasz,Nowak,MX\n").expect("a sheet");
    let sheet = sheet.to_str().expect("a UTF-8 path");
    let imported = app.cli(&["paper", "import", DEMO, sheet, "--event", "Zócalo"], "");
    assert!(imported.status.success(), "the sheet is imported");
    let batch = app.query_count("SELECT MAX(id) AS n FROM events");
    let staff_pages = [
        ("campaigns", "/admin/campaigns".to_owned()),
        ("dashboard", format!("/admin/campaigns/{DEMO}")),
        ("edit form", format!("/admin/campaigns/{DEMO}/edit")),
        ("new campaign form", "/admin/campaigns/new".to_owned()),
        ("tokens", "/admin/tokens".to_owned()),
        ("staff", "/admin/staff".to_owned()),
        ("partners", "/admin/partners".to_owned()),
        ("organisation", "/admin/organisation".to_owned()),
        ("audit log", "/admin/audit".to_owned()),
        ("erase", "/admin/erase".to_owned()),
        ("paper batches", format!("/admin/campaigns/{DEMO}/paper")),
        (
            "paper batch",
            format!("/admin/campaigns/{DEMO}/paper/{batch}"),
        ),
        ("kiosks", format!("/admin/campaigns/{DEMO}/kiosks")),
        ("review", format!("/admin/campaigns/{DEMO}/review")),
        (
            "review with a preview",
            format!("/admin/campaigns/{DEMO}/review?domain=oleada.example"),
        ),
        ("updates", format!("/admin/campaigns/{DEMO}/updates")),
        ("update", format!("/admin/campaigns/{DEMO}/updates/1")),
    ];
    let started = std::time::Instant::now();
    for lang in LANGUAGES {
        choose_staff_language(&browser, lang).await;
        for width in WIDTHS {
            set_width(&browser, width).await;
            for (name, path) in &staff_pages {
                open(&browser, &app.url(path)).await;
                assert_eq!(html_lang(&browser).await, lang, "staff {name}");
                let page = format!("staff {name} ({lang})");
                problems.extend(page_problems(&browser, &axe, &page, width).await);
                if *name == "dashboard" && width == WIDTHS[0] {
                    let name = format!("staff-dashboard-{lang}-{width}");
                    keep_screenshot(&browser, &name, width).await;
                }
            }
            // A staff message page: the answer to a resend for an address that never signed.
            open(&browser, &app.url(&format!("/admin/campaigns/{DEMO}"))).await;
            crate::type_into(&browser, "#resend-email", "nadie@example.org").await;
            browser
                .find(Locator::Css("#resend-heading ~ form button[type=submit]"))
                .await
                .expect("the resend button")
                .click()
                .await
                .expect("asking for a resend");
            wait_for_path_ending(&browser, "/resend-confirmation").await;
            let page = format!("staff message ({lang})");
            problems.extend(page_problems(&browser, &axe, &page, width).await);
        }
    }
    eprintln!(
        "axe on {} staff pages in {} languages at {} widths took {:.0?}",
        staff_pages.len() + 1,
        LANGUAGES.len(),
        WIDTHS.len(),
        started.elapsed()
    );

    assert!(
        problems.is_empty(),
        "{} accessibility problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    browser.close().await.expect("the browser session closes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_keyboard_user_recovers_from_a_failed_submit_through_the_error_summary_and_signs() {
    const EMAIL: &str = "teclado@example.org";
    let app = spawn_app().await;
    let driver = ChromeDriver::start().await;
    let profile = tempfile::tempdir().expect("a fresh Chromium profile directory");
    let browser = driver.open_browser(profile.path()).await;
    set_width(&browser, WIDTHS[0]).await;
    open(&browser, &app.url(&format!("/campaigns/{DEMO}"))).await;

    // He fills in his first name and email, forgets his last name, and sends the form.
    tab_to(&browser, "first_name").await;
    type_keys(&browser, "Tomas").await;
    press(&browser, &[Key::Tab.into(), Key::Tab.into()]).await;
    assert_eq!(focused(&browser).await, "email", "Tab goes field by field");
    type_keys(&browser, EMAIL).await;
    tab_to(&browser, "button primary").await;
    press(&browser, &[Key::Enter.into()]).await;

    text_of(&browser, ".error-summary h2").await;
    assert_eq!(
        focused(&browser).await,
        "error-summary",
        "the summary has the focus, so a screen reader reads it first"
    );
    let title = browser.title().await.expect("the page's title");
    assert!(title.starts_with("Error: "), "{title}");

    // The summary's only link names the field; following it puts him in that field with its
    // label and message in view.
    press(&browser, &[Key::Tab.into()]).await;
    let link = browser.active_element().await.expect("the focused element");
    assert_eq!(
        link.text().await.expect("the link's text"),
        "Escribe tus apellidos."
    );
    press(&browser, &[Key::Enter.into()]).await;
    assert_eq!(focused(&browser).await, "last_name");
    let label_top = run(
        &browser,
        "return document.querySelector('label[for=last_name]').getBoundingClientRect().top;",
    )
    .await
    .as_f64()
    .expect("the label's position");
    assert!(
        label_top >= 0.0,
        "the label is on screen above the field, at {label_top} px"
    );

    type_keys(&browser, "Ruiz").await;
    tab_to(&browser, "button primary").await;
    press(&browser, &[Key::Enter.into()]).await;
    wait_for_path_ending(&browser, "/check-email").await;
    let emails = app.mail.wait_for(EMAIL, 1).await;
    assert!(
        emails[0].text().contains("Tomas"),
        "what he typed before the error was kept"
    );
    browser.close().await.expect("the browser session closes");
}

/// Pieces of English that staff pages can show: the English staff catalogue's values (and
/// their plural variants) cut at each placeable, of two words or more and 12 characters at
/// least, leaving out any piece that also occurs in `lang`'s catalogues (a code, a column
/// name), and a few words only English has. Found on a page in `lang`, such a piece is a
/// word left in English.
fn english_pieces(lang: &str) -> Vec<String> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/locales");
    let read = |lang: &str, file: &str| {
        std::fs::read_to_string(format!("{root}/{lang}/{file}"))
            .unwrap_or_else(|error| panic!("{lang}/{file} ({error})"))
    };
    let other: String = ["admin.ftl", "dates.ftl", "main.ftl", "documents.ftl"]
        .iter()
        .map(|file| read(lang, file))
        .collect();
    let mut pieces = Vec::new();
    for file in ["admin.ftl", "dates.ftl"] {
        for line in read("en", file).lines() {
            let text = if line.starts_with(char::is_whitespace) {
                match line.split_once("] ") {
                    Some((_, variant)) => variant,
                    None => continue,
                }
            } else if let Some((id, value)) = line.split_once(" = ") {
                if id.starts_with('#') {
                    continue;
                }
                value
            } else {
                continue;
            };
            let mut rest = text;
            while !rest.is_empty() {
                let (piece, after) = match rest.split_once('{') {
                    Some((piece, after)) => (piece, after.split_once('}').map_or("", |(_, a)| a)),
                    None => (rest, ""),
                };
                let piece = piece
                    .trim()
                    .trim_matches(|c: char| c.is_ascii_punctuation())
                    .trim();
                if piece.len() >= 12 && piece.contains(' ') && !other.contains(piece) {
                    pieces.push(piece.to_owned());
                }
                rest = after;
            }
        }
    }
    // Words a page can only have in English, for English written in the code rather than
    // taken from the catalogue ("2 new, 0 duplicates").
    pieces.extend(
        [
            " the ", " and ", " with ", " were ", " was ", " not ", " your ", " new, ",
        ]
        .map(str::to_owned),
    );
    pieces.sort();
    pieces.dedup();
    pieces
}

/// The English pieces the page open now shows.
async fn english_on_page(browser: &Client, pieces: &[String]) -> Vec<String> {
    let text = run(browser, "return document.body.innerText;")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned();
    pieces
        .iter()
        .filter(|piece| text.contains(piece.as_str()))
        .cloned()
        .collect()
}

async fn click(browser: &Client, selector: &str) {
    browser
        .find(Locator::Css(selector))
        .await
        .unwrap_or_else(|error| panic!("the page has {selector} ({error})"))
        .click()
        .await
        .unwrap_or_else(|error| panic!("clicking {selector} ({error})"));
}

/// Waits for the page open now to have `selector`, after a form's answer.
async fn wait_for(browser: &Client, selector: &str) {
    browser
        .wait()
        .at_most(std::time::Duration::from_secs(10))
        .for_element(Locator::Css(selector))
        .await
        .unwrap_or_else(|error| panic!("the page came with {selector} ({error})"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_pages_show_no_english_on_other_languages_after_every_action() {
    let axe = axe_source();
    let app = crate::helpers::spawn_app_with(crate::helpers::Options {
        update_cancel_window: Some(std::time::Duration::from_secs(600)),
        ..crate::helpers::Options::default()
    })
    .await;
    app.create_staff(STAFF_EMAIL, STAFF_PASSWORD);
    app.sign_and_confirm("ana.confirmada@example.org").await;
    app.sign(&with(signer("lucia@example.org"), "email_opt_in", "yes"))
        .await;
    let sheets = tempfile::tempdir().expect("a directory for sheets");
    let first = sheets.path().join("first.csv");
    std::fs::write(&first, "first_name,last_name,country\nŁukasz,Nowak,MX\n").expect("a sheet");
    let first = first.to_str().expect("a UTF-8 path");
    let created = app.cli(&["paper", "import", DEMO, first, "--event", "Zócalo"], "");
    assert!(
        created.status.success(),
        "a batch to enter rows into: {created:?}"
    );
    let batch = app.query_count("SELECT MAX(id) AS n FROM events");
    app.change_campaigns(&format!(
        "INSERT INTO campaign_updates (id, campaign_id, created_at, created_by)
           SELECT 1, id, '2026-09-26 10:00:00', 'staff:{STAFF_EMAIL}'
           FROM campaigns WHERE slug = '{DEMO}';
         INSERT INTO campaign_update_texts (update_id, lang, subject, body) VALUES
           (1, 'es', 'Entregamos las firmas', 'Gracias.');"
    ))
    .await;
    let batch_page = format!("/admin/campaigns/{DEMO}/paper/{batch}");
    let update_page = format!("/admin/campaigns/{DEMO}/updates/1");
    let walk = [
        "/admin/campaigns".to_owned(),
        format!("/admin/campaigns/{DEMO}"),
        format!("/admin/campaigns/{DEMO}/edit"),
        format!("/admin/campaigns/{DEMO}/close"),
        format!("/admin/campaigns/{DEMO}/paper"),
        batch_page.clone(),
        format!("/admin/campaigns/{DEMO}/kiosks"),
        format!("/admin/campaigns/{DEMO}/updates"),
        update_page.clone(),
        "/admin/tokens".to_owned(),
        "/admin/staff".to_owned(),
        "/admin/partners".to_owned(),
        "/admin/audit".to_owned(),
    ];

    let driver = ChromeDriver::start().await;
    let profile = tempfile::tempdir().expect("a fresh Chromium profile directory");
    let browser = driver.open_browser(profile.path()).await;
    set_width(&browser, WIDTHS[1]).await;
    open(&browser, &app.url("/admin/login")).await;
    crate::type_into(&browser, "#email", STAFF_EMAIL).await;
    crate::type_into(&browser, "#password", STAFF_PASSWORD).await;
    click(&browser, "main button[type=submit]").await;
    wait_for_path_ending(&browser, "/admin/campaigns").await;

    // The check can fail: on the English pages it finds its pieces.
    choose_staff_language(&browser, "en").await;
    open(&browser, &app.url(&batch_page)).await;
    let probes = english_pieces("es");
    assert!(
        probes.len() > 100,
        "{} pieces of English to look for",
        probes.len()
    );
    assert!(
        !english_on_page(&browser, &probes).await.is_empty(),
        "the English batch page shows English pieces"
    );

    let mut problems = Vec::new();
    for (n, lang) in LANGUAGES.iter().enumerate() {
        choose_staff_language(&browser, lang).await;
        let pieces = if *lang == "en" {
            vec![]
        } else {
            english_pieces(lang)
        };
        let sheet = sheets.path().join(format!("sheet-{lang}.csv"));
        std::fs::write(
            &sheet,
            format!(
                "first_name;last_name;country;email\r\n\
                 Inès{n};Durand;Mexique;\r\n\
                 Inès{n};Durand;Mexique;\r\n\
                 Beto;Ruiz;MX;beto at example\r\n"
            ),
        )
        .expect("a sheet");
        let actions: [(&str, &str); 7] = [
            ("entry", batch_page.as_str()),
            ("import preview", batch_page.as_str()),
            ("import", batch_page.as_str()),
            ("update preview", update_page.as_str()),
            ("test", update_page.as_str()),
            ("send", update_page.as_str()),
            ("cancel", update_page.as_str()),
        ];
        for (action, path) in actions {
            // Importing answers the preview; every other action starts from its page.
            if action != "import" {
                open(&browser, &app.url(path)).await;
            }
            match action {
                "entry" => {
                    crate::type_into(&browser, "[name=first_name-0]", &format!("Zoé{n}")).await;
                    crate::type_into(&browser, "[name=last_name-0]", "Lefèvre").await;
                    crate::type_into(&browser, "[name=first_name-1]", "Sin").await;
                    crate::type_into(&browser, "[name=email-1]", "sin apellido").await;
                    click(&browser, "#paper-entry button[type=submit]").await;
                    wait_for(&browser, "#result-heading").await;
                }
                "import preview" => {
                    crate::type_into(&browser, "#file", sheet.to_str().expect("a path")).await;
                    click(&browser, "#import-form button").await;
                    wait_for(&browser, "#import-confirm").await;
                }
                "import" => {
                    click(&browser, "#import-confirm button").await;
                    wait_for(&browser, "#import-form").await;
                }
                "update preview" => {}
                "test" => {
                    click(&browser, "form[action$='/test'] button").await;
                    wait_for(&browser, "main .notice").await;
                }
                "send" => {
                    click(&browser, "form[action$='/send'] button").await;
                    wait_for(&browser, "#confirm-button").await;
                    let page = format!("staff send confirmation ({lang})");
                    problems.extend(page_problems(&browser, &axe, &page, WIDTHS[1]).await);
                    for piece in english_on_page(&browser, &pieces).await {
                        problems.push(format!("{page}: English “{piece}”"));
                    }
                    click(&browser, "#confirm-button").await;
                    wait_for(&browser, "#cancel-send").await;
                }
                _ => {
                    click(&browser, "#cancel-send").await;
                    wait_for(&browser, "form[action$='/send']").await;
                }
            }
            let page = format!("staff {action} ({lang})");
            problems.extend(page_problems(&browser, &axe, &page, WIDTHS[1]).await);
            for piece in english_on_page(&browser, &pieces).await {
                problems.push(format!("{page}: English “{piece}”"));
            }
            if *lang == "en" {
                continue;
            }
            // Every staff page, as it reads after this action.
            for path in &walk {
                open(&browser, &app.url(path)).await;
                for piece in english_on_page(&browser, &pieces).await {
                    problems.push(format!("{path} after {action} ({lang}): English “{piece}”"));
                }
            }
            if action == "import preview" {
                // Back to the preview, which the import is sent from.
                open(&browser, &app.url(path)).await;
                crate::type_into(&browser, "#file", sheet.to_str().expect("a path")).await;
                click(&browser, "#import-form button").await;
                wait_for(&browser, "#import-confirm").await;
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    browser.close().await.expect("the browser session closes");
}
