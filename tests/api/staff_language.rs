//! Staff read their pages in Spanish, English, French or Portuguese: the sign-in page in
//! the browser's language, and after sign-in in the language kept on their account.

use crate::helpers::{DEMO, TestApp, hidden_value, spawn_app};

const EMAIL: &str = "lucia@example.org";
const PASSWORD: &str = "a long staff password";

/// The month as a reader of `lang` writes it in a date.
fn month(lang: &str, number: u32) -> &'static str {
    let names = match lang {
        "es" => [
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
        ],
        _ => [
            "janeiro",
            "fevereiro",
            "março",
            "abril",
            "maio",
            "junho",
            "julho",
            "agosto",
            "setembro",
            "outubro",
            "novembro",
            "dezembro",
        ],
    };
    names[number as usize - 1]
}

/// Creates a staff account with `mariposa admin create`, with `--lang` when given.
fn create_staff(app: &TestApp, lang: Option<&str>) {
    let mut args = vec!["admin", "create", EMAIL];
    args.extend(lang.iter().flat_map(|lang| ["--lang", lang]));
    let output = app.cli(&args, &format!("{PASSWORD}\n"));
    assert!(
        output.status.success(),
        "admin create failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Signs in from a browser set to `browser_lang`; returns the client and its CSRF token.
async fn sign_in(app: &TestApp, browser_lang: &str) -> (reqwest::Client, String) {
    let client = app.staff_client_in(browser_lang);
    let response = app.login(&client, EMAIL, PASSWORD).await;
    assert_eq!(response.status().as_u16(), 303, "signed in");
    let page = app.page_as(&client, "/admin/tokens").await;
    let csrf = hidden_value(&page, "csrf_token");
    (client, csrf)
}

async fn choose_language(
    app: &TestApp,
    client: &reqwest::Client,
    form: &[(&str, &str)],
) -> reqwest::Response {
    client
        .post(app.url("/admin/language"))
        .form(form)
        .send()
        .await
        .expect("the language form is sent")
}

#[tokio::test]
async fn a_staff_member_who_chooses_spanish_keeps_it_after_signing_out_and_on_another_browser() {
    let app = spawn_app().await;
    create_staff(&app, None);
    let (english_browser, csrf) = sign_in(&app, "en-US,en;q=0.9").await;
    let page = app.page_as(&english_browser, "/admin/campaigns").await;
    assert!(page.contains("<html lang=\"en\">"), "{page}");
    assert!(page.contains("Sign out"));

    let chosen = choose_language(
        &app,
        &english_browser,
        &[
            ("lang", "es"),
            ("back", "/admin/tokens"),
            ("csrf_token", &csrf),
        ],
    )
    .await;
    assert_eq!(chosen.status().as_u16(), 303);
    assert_eq!(
        chosen.headers()["location"],
        "/admin/tokens",
        "back to the page she was on"
    );

    let tokens = app.page_as(&english_browser, "/admin/tokens").await;
    assert!(tokens.contains("<html lang=\"es\">"), "{tokens}");
    assert!(tokens.contains("Crear token") && tokens.contains("Cerrar sesión"));
    let dashboard = app
        .page_as(&english_browser, &format!("/admin/campaigns/{DEMO}"))
        .await;
    for words in [
        "Confirmadas",
        "Exportar las firmas",
        "Reenviar un correo de confirmación",
        "Pausar las firmas",
        "Por país",
    ] {
        assert!(dashboard.contains(words), "the dashboard lacks {words}");
    }
    let form = app.page_as(&english_browser, "/admin/campaigns/new").await;
    assert!(form.contains("Nueva campaña") && form.contains(">México</option>"));

    // Signing out leaves the sign-in page in her language, in this browser.
    english_browser
        .post(app.url("/admin/logout"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .expect("signing out");
    let login = app.page_as(&english_browser, "/admin/login").await;
    assert!(
        login.contains("<html lang=\"es\">") && login.contains("Acceso del equipo"),
        "{login}"
    );

    // Her account remembers it: a fresh browser set to French still shows her Spanish.
    let (french_browser, _) = sign_in(&app, "fr").await;
    let campaigns = app.page_as(&french_browser, "/admin/campaigns").await;
    assert!(
        campaigns.contains("<html lang=\"es\">") && campaigns.contains("Nueva campaña"),
        "{campaigns}"
    );

    let audit = app.page_as(&french_browser, "/admin/audit").await;
    assert!(audit.contains("language_chosen") && audit.contains("lang=es"));
}

#[tokio::test]
async fn the_sign_in_page_follows_the_browser_and_its_language_links() {
    let app = spawn_app().await;
    create_staff(&app, None);
    for (browser, html_lang, title) in [
        ("fr-CA,fr;q=0.9,en;q=0.5", "fr", "Connexion de l’équipe"),
        ("pt-BR,pt;q=0.9", "pt", "Acesso da equipe"),
        ("es-MX", "es", "Acceso del equipo"),
        ("en-GB", "en", "Staff sign-in"),
        // A browser in a language Mariposa does not speak gets Spanish, as public pages do.
        ("de-DE", "es", "Acceso del equipo"),
    ] {
        let page = app
            .page_as(&app.staff_client_in(browser), "/admin/login")
            .await;
        assert!(
            page.contains(&format!("<html lang=\"{html_lang}\">")) && page.contains(title),
            "{browser}: {page}"
        );
    }

    // A German browser picks Portuguese from the page's links; the failed sign-in that
    // follows is explained in Portuguese too.
    let browser = app.staff_client_in("de");
    let page = app.page_as(&browser, "/admin/login").await;
    assert!(page.contains("href=\"/admin/login?lang=pt\""), "{page}");
    let page = app.page_as(&browser, "/admin/login?lang=pt").await;
    assert!(page.contains("<html lang=\"pt\">"));
    let failed = app.login(&browser, EMAIL, "not the password").await;
    assert_eq!(failed.status().as_u16(), 401);
    let failed = failed.text().await.expect("body");
    assert!(
        failed.contains("Esse e-mail e essa senha não correspondem a nenhuma conta."),
        "{failed}"
    );
}

#[tokio::test]
async fn admin_create_with_lang_sets_the_account_language_and_refuses_unknown_ones() {
    let app = spawn_app().await;
    create_staff(&app, Some("pt"));
    let (browser, _) = sign_in(&app, "en").await;
    let page = app.page_as(&browser, "/admin/partners").await;
    assert!(
        page.contains("<html lang=\"pt\">") && page.contains("Organizações parceiras"),
        "{page}"
    );

    let refused = app.cli(
        &["admin", "create", "otro@example.org", "--lang", "klingon"],
        &format!("{PASSWORD}\n"),
    );
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("es, en, fr, pt"), "{message}");
}

#[tokio::test]
async fn numbers_and_dates_on_staff_pages_are_written_as_each_language_writes_them() {
    let app = spawn_app().await;
    app.change_campaigns(&format!(
        "UPDATE campaigns SET goal = 12480 WHERE slug = '{DEMO}'"
    ))
    .await;
    create_staff(&app, Some("pt"));
    let (browser, csrf) = sign_in(&app, "en").await;
    let today = chrono::Utc::now().naive_utc().date();
    let written = |lang| {
        use chrono::Datelike;
        format!(
            "{} de {} de {}",
            today.day(),
            month(lang, today.month()),
            today.year()
        )
    };

    let campaigns = app.page_as(&browser, "/admin/campaigns").await;
    assert!(campaigns.contains(">12.480<"), "{campaigns}");
    let audit = app.page_as(&browser, "/admin/audit").await;
    assert!(audit.contains(&written("pt")), "{audit}");

    choose_language(
        &app,
        &browser,
        &[
            ("lang", "en"),
            ("back", "/admin/campaigns"),
            ("csrf_token", &csrf),
        ],
    )
    .await;
    let campaigns = app.page_as(&browser, "/admin/campaigns").await;
    assert!(campaigns.contains(">12,480<"), "{campaigns}");

    choose_language(
        &app,
        &browser,
        &[
            ("lang", "fr"),
            ("back", "/admin/campaigns"),
            ("csrf_token", &csrf),
        ],
    )
    .await;
    let campaigns = app.page_as(&browser, "/admin/campaigns").await;
    assert!(campaigns.contains(">12\u{202f}480<"), "{campaigns}");

    choose_language(
        &app,
        &browser,
        &[
            ("lang", "es"),
            ("back", "/admin/audit"),
            ("csrf_token", &csrf),
        ],
    )
    .await;
    let audit = app.page_as(&browser, "/admin/audit").await;
    assert!(audit.contains(&written("es")), "{audit}");
}

#[tokio::test]
async fn the_language_form_is_checked_like_every_staff_form() {
    let app = spawn_app().await;
    create_staff(&app, Some("es"));
    let (browser, csrf) = sign_in(&app, "en").await;

    let forged = choose_language(&app, &browser, &[("lang", "fr"), ("csrf_token", "forged")]).await;
    assert_eq!(forged.status().as_u16(), 403);
    assert!(
        forged
            .text()
            .await
            .expect("body")
            .contains("Este formulario caducó"),
        "refused in her language"
    );

    let unknown = choose_language(&app, &browser, &[("lang", "xx"), ("csrf_token", &csrf)]).await;
    assert_eq!(unknown.status().as_u16(), 422);
    assert!(
        unknown
            .text()
            .await
            .expect("body")
            .contains("Elige uno de los idiomas ofrecidos")
    );

    let elsewhere = choose_language(
        &app,
        &browser,
        &[
            ("lang", "fr"),
            ("back", "https://evil.example/admin/"),
            ("csrf_token", &csrf),
        ],
    )
    .await;
    assert_eq!(elsewhere.status().as_u16(), 303);
    assert_eq!(elsewhere.headers()["location"], "/admin/campaigns");

    let page = app.page_as(&browser, "/admin/campaigns").await;
    assert!(
        page.contains("<html lang=\"fr\">"),
        "only the checked form counted"
    );
}

#[tokio::test]
async fn campaign_form_errors_are_in_the_staff_members_language() {
    let app = spawn_app().await;
    create_staff(&app, Some("es"));
    let (browser, csrf) = sign_in(&app, "en").await;
    let refused = browser
        .post(app.url("/admin/campaigns"))
        .form(&[
            ("slug", "A"),
            ("default_lang", "es"),
            ("goal", "cero"),
            ("default_country", "MX"),
            ("title_es", ""),
            ("csrf_token", csrf.as_str()),
        ])
        .send()
        .await
        .expect("the campaign form is sent");
    assert_eq!(refused.status().as_u16(), 422);
    let page = refused.text().await.expect("body");
    for message in [
        "Revisa los campos marcados abajo.",
        "Usa de 3 a 64 letras minúsculas, dígitos y guiones.",
        "Pon una meta de entre 1 y 1,000,000,000 firmas.",
        "El idioma propio de la campaña necesita un título.",
    ] {
        assert!(page.contains(message), "{message}: {page}");
    }
}

#[tokio::test]
async fn the_test_of_an_update_a_spanish_speaking_member_of_staff_gets_is_marked_in_spanish() {
    let app = spawn_app().await;
    create_staff(&app, Some("es"));
    let (browser, csrf) = sign_in(&app, "en").await;
    let written = browser
        .post(app.url(&format!("/admin/campaigns/{DEMO}/updates")))
        .form(&[
            ("subject_es", "Entregamos las firmas"),
            ("body_es", "Gracias a ti."),
            ("csrf_token", csrf.as_str()),
        ])
        .send()
        .await
        .expect("the update is saved");
    assert_eq!(written.status().as_u16(), 303);
    let update = written.headers()["location"]
        .to_str()
        .expect("a path")
        .to_owned();

    let tested = browser
        .post(app.url(&format!("{update}/test")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .expect("the test is asked for");
    let page = tested.text().await.expect("body");
    assert!(
        page.contains(&format!(
            "Una prueba en cada idioma va en camino a {EMAIL}."
        )),
        "{page}"
    );
    let tests = app.mail.wait_for(EMAIL, 1).await;
    assert_eq!(tests[0].subject(), "[Prueba] Entregamos las firmas");
}

#[tokio::test]
async fn a_missing_campaign_and_a_refused_form_are_staff_pages_in_her_language() {
    let app = spawn_app().await;
    create_staff(&app, Some("es"));
    let (browser, _csrf) = sign_in(&app, "en").await;

    let missing = browser
        .get(app.url("/admin/campaigns/no-such-campaign/kiosks"))
        .send()
        .await
        .expect("the page is asked for");
    assert_eq!(missing.status().as_u16(), 404);
    let page = missing.text().await.expect("body");
    assert!(page.contains("<html lang=\"es\">"), "a staff page: {page}");
    assert!(page.contains("No hay ninguna campaña con esta dirección."));
    assert!(page.contains(EMAIL), "still shows who is signed in");

    let forged = browser
        .post(app.url("/admin/campaigns/no-such-campaign/kiosks/1/revoke"))
        .form(&[("csrf_token", "forged")])
        .send()
        .await
        .expect("the form is sent");
    assert_eq!(forged.status().as_u16(), 404, "the path is checked first");

    let refused =
        choose_language(&app, &browser, &[("lang", "fr"), ("csrf_token", "forged")]).await;
    assert_eq!(refused.status().as_u16(), 403);
    let page = refused.text().await.expect("body");
    assert!(page.contains("<html lang=\"es\">"), "a staff page: {page}");
    assert!(page.contains("Formulario rechazado"));
}
