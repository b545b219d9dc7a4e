//! The organisation's own: with its settings filled in (the demo fills them), every page,
//! email and form a supporter sees names it and not the software, and staff and setup
//! scripts change them.

use crate::helpers::{DEMO, TestApp, signer, spawn_app, with};

const LANGS: [&str; 4] = ["es", "en", "fr", "pt"];

/// Where the software's own name shows: "Mariposa" as a word of its own. The demo
/// campaign is called "Mariposas por México", which is the campaign's word, not ours.
fn says_mariposa(text: &str) -> Option<String> {
    text.match_indices("Mariposa").find_map(|(at, _)| {
        let next = text[at + "Mariposa".len()..].chars().next();
        (!next.is_some_and(char::is_alphanumeric)).then(|| {
            let start = text[..at]
                .char_indices()
                .rev()
                .nth(60)
                .map_or(0, |(i, _)| i);
            text[start..].chars().take(140).collect()
        })
    })
}

fn assert_says_organisation(place: &str, text: &str) {
    if let Some(context) = says_mariposa(text) {
        panic!("{place} says Mariposa: …{context}…");
    }
}

async fn kiosk_path(app: &TestApp) -> String {
    let output = app.cli(
        &[
            "kiosk",
            "create",
            DEMO,
            "--event",
            "Marcha",
            "--base-url",
            "https://firmas.example",
        ],
        "",
    );
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .trim_start_matches("https://firmas.example")
        .to_owned()
}

#[tokio::test]
async fn no_page_or_email_a_supporter_sees_says_mariposa_in_any_language() {
    let app = spawn_app().await;
    let kiosk = kiosk_path(&app).await;
    for lang in LANGS {
        let q = format!("?lang={lang}");
        for path in [
            "/".to_owned(),
            format!("/campaigns/{DEMO}"),
            format!("/campaigns/{DEMO}/check-email"),
            format!("/campaigns/{DEMO}/thanks"),
            format!("/campaigns/{DEMO}/badge.svg"),
            format!("/embed/{DEMO}"),
            format!("/embed/{DEMO}/check-email"),
            "/campaigns/no-such-campaign".to_owned(),
            kiosk.clone(),
            format!("{kiosk}/thanks"),
        ] {
            let (_, page) = app.get_text(&format!("{path}{q}")).await;
            assert_says_organisation(&format!("{path}{q}"), &page);
        }
        // A form sent with mistakes comes back with them.
        let token = app.form_token(DEMO).await;
        let refused = app
            .post_form(
                &format!("/campaigns/{DEMO}/sign"),
                &[("lang", lang.to_owned()), ("csrf_token", token)],
            )
            .await;
        assert_eq!(refused.status().as_u16(), 422);
        let refused = refused.text().await.unwrap_or_default();
        assert_says_organisation(&format!("the refused form in {lang}"), &refused);

        // The confirmation, the page it leads to, "you already signed", and unsubscribing.
        let address = format!("{lang}@example.org");
        let fields = with(with(signer(&address), "lang", lang), "email_opt_in", "yes");
        assert_eq!(app.sign(&fields).await.status().as_u16(), 303);
        let confirmation = app.mail.wait_for(&address, 1).await[0].clone();
        let confirm_path = confirmation.confirmation_link().replace(&app.address, "");
        let (_, confirm_page) = app.get_text(&confirm_path).await;
        assert_says_organisation(&format!("the confirm page in {lang}"), &confirm_page);
        assert_eq!(app.sign(&fields).await.status().as_u16(), 303);
        let already = app.mail.wait_for(&address, 2).await[1].clone();
        for email in [&confirmation, &already] {
            let place = format!("the email “{}”", email.subject());
            assert_says_organisation(&place, &email.subject());
            assert_says_organisation(&place, &email.text());
            assert_says_organisation(&place, &email.html());
            let from = email.header("From").unwrap_or_default();
            assert_says_organisation(&format!("{place}'s sender"), &from);
        }
        let unsubscribe = confirmation
            .header("List-Unsubscribe")
            .unwrap_or_default()
            .trim_matches(['<', '>'])
            .replace(&app.address, "");
        let (_, page) = app.get_text(&unsubscribe).await;
        assert_says_organisation(&format!("the unsubscribe page in {lang}"), &page);
    }
}

#[tokio::test]
async fn the_privacy_notice_stands_beside_the_consent_on_every_form_in_each_language() {
    let app = spawn_app().await;
    let kiosk = kiosk_path(&app).await;
    let notices = [
        ("es", "Usamos tus datos solo para esta petición"),
        ("en", "We use your details only for this petition"),
        (
            "fr",
            "Nous utilisons vos données uniquement pour cette pétition",
        ),
        ("pt", "Usamos seus dados apenas para esta petição"),
    ];
    for (lang, notice) in notices {
        for path in [
            format!("/campaigns/{DEMO}"),
            format!("/embed/{DEMO}"),
            kiosk.clone(),
        ] {
            let (_, page) = app.get_text(&format!("{path}?lang={lang}")).await;
            let form = &page[page.find("<form").unwrap_or(0)..];
            let form = &form[..form.find("</form>").unwrap_or(form.len())];
            let opt_in = form.find("email_opt_in").unwrap_or(usize::MAX);
            let at = form
                .find(notice)
                .unwrap_or_else(|| panic!("{path} in {lang} has no privacy notice"));
            assert!(
                at > opt_in,
                "{path} in {lang}: the notice follows the consent"
            );
            assert!(
                form.contains("https://example.org/aviso-de-privacidad"),
                "{path} in {lang} links to the full notice"
            );
            assert!(
                form.contains("Red por la Memoria y la Justicia, A.C."),
                "{path} in {lang} says who holds the data"
            );
        }
    }
}

#[tokio::test]
async fn emails_are_signed_by_the_organisation_with_its_footer_in_both_parts() {
    let app = spawn_app().await;
    let fields = with(signer("ana@example.org"), "email_opt_in", "yes");
    assert_eq!(app.sign(&fields).await.status().as_u16(), 303);
    let email = app.mail.wait_for("ana@example.org", 1).await[0].clone();
    let from = email.header("From").unwrap_or_default();
    assert!(from.contains("Memoria y Justicia"), "{from}");
    assert!(from.contains("no-reply@mariposa.test"), "{from}");
    assert_eq!(
        email.header("Reply-To").as_deref(),
        Some("contacto@example.org")
    );
    let unsubscribe = email
        .header("List-Unsubscribe")
        .unwrap_or_default()
        .trim_matches(['<', '>'])
        .to_owned();
    for (part, body) in [("text", email.text()), ("html", email.html())] {
        for expected in [
            "Red por la Memoria y la Justicia",
            "Calle de la Memoria 43, Col. Centro",
            "06000 Ciudad de México, CDMX",
            "https://example.org/aviso-de-privacidad",
            unsubscribe.as_str(),
        ] {
            assert!(body.contains(expected), "the {part} part lacks {expected}");
        }
    }
    let html = email.html();
    // Fits a 320 px screen: fluid with a maximum, and long links break.
    assert!(html.contains("width:100%;max-width:560px"), "{html}");
    assert!(!html.contains("width:795px") && !html.contains("width=\"795\""));
    let anchor = format!("href=\"{unsubscribe}\" style=\"");
    let link_style = html
        .split_once(&anchor)
        .map(|(_, rest)| rest.split('"').next().unwrap_or_default().to_owned())
        .unwrap_or_default();
    assert!(
        link_style.contains("overflow-wrap:anywhere") && link_style.contains("word-break"),
        "the unsubscribe link wraps: {link_style}"
    );
}

#[tokio::test]
async fn staff_change_the_settings_and_pages_and_the_audit_log_show_it() {
    let app = spawn_app().await;
    let (staff, csrf) = app.signed_in_staff().await;
    let page = app.page_as(&staff, "/admin/organisation").await;
    assert!(page.contains("Red por la Memoria y la Justicia"), "{page}");
    let mut form: Vec<(String, String)> = [
        "name_es",
        "short_name_es",
        "privacy_notice_es",
        "name_en",
        "short_name_en",
        "privacy_notice_en",
        "sender_name",
        "reply_to",
        "data_controller",
        "privacy_url",
    ]
    .iter()
    .map(|name| ((*name).to_owned(), hidden_input_value(&page, name)))
    .collect();
    form.retain(|(name, _)| name != "name_es");
    form.push(("name_es".into(), "Centro de Derechos Tlachinollan".into()));
    form.push(("brand_colour".into(), "#1a5c3a".into()));
    form.push(("csrf_token".into(), csrf.clone()));
    let saved = staff
        .post(app.url("/admin/organisation"))
        .form(&form)
        .send()
        .await
        .expect("saved");
    assert_eq!(saved.status().as_u16(), 303);

    let (_, campaign) = app.get_text(&format!("/campaigns/{DEMO}?lang=es")).await;
    assert!(
        campaign.contains("Centro de Derechos Tlachinollan"),
        "the page shows the new name at once"
    );
    let stylesheet = campaign
        .split("href=\"")
        .find(|rest| rest.starts_with("/organisation.css"))
        .and_then(|rest| rest.split('"').next())
        .expect("the brand stylesheet is linked")
        .to_owned();
    let (status, css) = app.get_text(&stylesheet).await;
    assert_eq!(status, 200);
    assert!(css.contains("--accent: #1a5c3a"), "{css}");
    assert_eq!(
        app.query_count(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'organisation_updated' \
             AND actor = 'staff:ana@example.org' AND detail LIKE '%brand_colour=#1a5c3a%' \
             AND detail LIKE '%name_es%'"
        ),
        1
    );
}

/// The value of the text input or text area called `name` on a staff page.
fn hidden_input_value(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\"");
    let Some(at) = page.find(&marker) else {
        return String::new();
    };
    let rest = &page[at..];
    if let Some(value) = rest
        .split_once("value=\"")
        .filter(|(before, _)| !before.contains('>'))
    {
        return unescape(value.1.split('"').next().unwrap_or_default());
    }
    let inner = rest.split_once('>').map_or("", |(_, after)| after);
    unescape(inner.split("</textarea>").next().unwrap_or_default())
}

fn unescape(html: &str) -> String {
    html.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[tokio::test]
async fn a_brand_colour_too_light_for_white_text_is_refused_with_its_ratio() {
    let app = spawn_app().await;
    let (staff, csrf) = app.signed_in_staff().await;
    let refused = staff
        .post(app.url("/admin/organisation"))
        .form(&[
            ("name_es", "Centro Prodh"),
            ("brand_colour", "#ffdd00"),
            ("reply_to", "not an address"),
            ("csrf_token", csrf.as_str()),
        ])
        .send()
        .await
        .expect("answered");
    assert_eq!(refused.status().as_u16(), 422);
    let page = refused.text().await.unwrap_or_default();
    assert!(page.contains("1.2:1"), "the ratio is named: {page}");
    assert!(page.contains("4.5:1"), "and what AA needs");
    assert!(page.contains("value=\"#ffdd00\""), "what was typed is kept");
    assert_eq!(
        app.query_count(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'organisation_updated'"
        ),
        0,
        "nothing was saved"
    );
    let (_, campaign) = app.get_text(&format!("/campaigns/{DEMO}")).await;
    assert!(campaign.contains("Red por la Memoria y la Justicia"));
}

#[tokio::test]
async fn a_setup_script_sets_the_organisation_from_the_command_line() {
    let app = spawn_app().await;
    let output = app.cli(
        &[
            "organisation",
            "set",
            "--lang",
            "en",
            "--name",
            "Amnesty Mexico",
            "--postal-address",
            "Calle 1\\nCiudad de México",
            "--brand-colour",
            "#003366",
        ],
        "",
    );
    assert!(output.status.success(), "{output:?}");
    let shown = app.cli(&["organisation", "show"], "");
    let shown = String::from_utf8_lossy(&shown.stdout).into_owned();
    assert!(shown.contains("name (en): Amnesty Mexico"), "{shown}");
    assert!(
        shown.contains("name (es): Red por la Memoria y la Justicia"),
        "{shown}"
    );
    assert!(
        shown.contains("postal address: Calle 1 / Ciudad de México"),
        "{shown}"
    );
    assert!(shown.contains("brand colour: #003366"), "{shown}");
    assert_eq!(
        app.query_count(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'organisation_updated' \
             AND actor = 'command line'"
        ),
        1
    );

    let refused = app.cli(&["organisation", "set", "--brand-colour", "#eeeeee"], "");
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("brand_colour") && stderr.contains(":1"),
        "{stderr}"
    );

    // Running servers pick the change up without a restart.
    let mut shown_name = String::new();
    for _ in 0..50 {
        let (_, page) = app.get_text(&format!("/campaigns/{DEMO}?lang=en")).await;
        if page.contains("Amnesty Mexico") {
            shown_name = "Amnesty Mexico".into();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(shown_name, "Amnesty Mexico");
}

#[tokio::test]
async fn the_page_says_whom_the_petition_is_to_and_offers_only_the_languages_it_has() {
    let app = spawn_app().await;
    let output = app.cli(
        &[
            "campaign",
            "create",
            "agua-para-todos",
            "--title",
            "Agua para todos",
            "--target",
            "Gobierno de la Ciudad de México",
        ],
        "",
    );
    assert!(output.status.success(), "{output:?}");
    let (_, page) = app.get_text("/campaigns/agua-para-todos?lang=fr").await;
    assert!(
        page.contains("<html lang=\"es\">"),
        "a campaign with no French text is shown in its own language"
    );
    assert!(
        page.contains("Para: Gobierno de la Ciudad de México"),
        "{page}"
    );
    for absent in ["hreflang=\"fr\"", "hreflang=\"en\"", "hreflang=\"pt\""] {
        assert!(!page.contains(absent), "{absent} is offered");
    }
    assert!(
        !page.contains("og:locale:alternate"),
        "a link preview names no language the campaign lacks"
    );

    // The campaign's kiosk, asked for in French, is in Spanish and offers nothing else.
    let output = app.cli(
        &[
            "kiosk",
            "create",
            "agua-para-todos",
            "--event",
            "Feria del agua",
            "--expires",
            "2d",
            "--base-url",
            "https://firmas.example",
        ],
        "",
    );
    assert!(output.status.success(), "{output:?}");
    let link = String::from_utf8(output.stdout).expect("utf-8");
    let kiosk = link.trim().trim_start_matches("https://firmas.example");
    let (status, kiosk_page) = app.get_text(&format!("{kiosk}?lang=fr")).await;
    assert_eq!(status, 200);
    assert!(kiosk_page.contains("<html lang=\"es\">"), "{kiosk_page}");
    assert!(kiosk_page.contains("Agua para todos"));
    for absent in ["hreflang=\"fr\"", "hreflang=\"en\"", "hreflang=\"pt\""] {
        assert!(!kiosk_page.contains(absent), "the kiosk offers {absent}");
    }
    let (_, demo) = app.get_text(&format!("/campaigns/{DEMO}?lang=en")).await;
    assert!(demo.contains("To: The President of Mexico"));
    assert!(demo.contains("hreflang=\"fr\""), "the demo has all four");
}

#[tokio::test]
async fn a_shared_link_previews_the_campaigns_own_picture_with_its_title() {
    let app = spawn_app().await;
    let (_, page) = app.get_text(&format!("/campaigns/{DEMO}?lang=en")).await;
    let image = page
        .split("<meta property=\"og:image\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("an og:image")
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    assert!(
        image.contains(&format!("/campaigns/{DEMO}/share.png?lang=en&v=")),
        "{image}"
    );
    assert!(
        page.contains(
            "content=\"“Butterflies for Mexico”, a petition by Network for Memory and Justice\""
        ),
        "the picture is described"
    );
    let response = app.get(&image.replace(&app.address, "")).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    let png = response.bytes().await.expect("body");
    assert!(png.starts_with(b"\x89PNG"));
    let size = (
        u32::from_be_bytes([png[16], png[17], png[18], png[19]]),
        u32::from_be_bytes([png[20], png[21], png[22], png[23]]),
    );
    assert_eq!(size, (1200, 630));
}
