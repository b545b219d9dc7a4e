//! Updates to signers: staff write one, it reaches exactly the confirmed signers who asked
//! for news, each in their language, with a working one-click unsubscribe, at a rate that
//! leaves confirmations flowing. Time is moved by back-dating the last send, never by waiting.

use std::time::{Duration, Instant};

use crate::helpers::{
    DEMO, Options, ReceivedEmail, TestApp, signer, spawn_app, spawn_app_with, with,
};

/// The staff member `signed_in_staff` creates; tests of an update go to this address.
const STAFF: &str = "ana@example.org";

/// Signs the demo campaign as `email` in `lang`, asking for news or not, and confirms
/// unless told otherwise.
async fn sign_up(app: &TestApp, email: &str, lang: &str, opt_in: bool, confirm: bool) {
    let mut form = signer(email);
    if opt_in {
        form = with(form, "email_opt_in", "yes");
    }
    form.push(("lang", lang.to_owned()));
    assert_eq!(app.sign(&form).await.status().as_u16(), 303);
    let emails = app.mail.wait_for(email, 1).await;
    if confirm {
        let path = emails[0].confirmation_link().replace(&app.address, "");
        assert_eq!(app.post_form(&path, &[]).await.status().as_u16(), 303);
    }
}

struct Staff {
    client: reqwest::Client,
    csrf: String,
}

impl Staff {
    async fn sign_in(app: &TestApp) -> Self {
        let (client, csrf) = app.signed_in_staff().await;
        Self { client, csrf }
    }

    async fn post(&self, app: &TestApp, path: &str, form: &[(&str, &str)]) -> (u16, String) {
        let mut form = form.to_vec();
        form.push(("csrf_token", &self.csrf));
        let response = self
            .client
            .post(app.url(path))
            .form(&form)
            .send()
            .await
            .expect("a staff form");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    /// Writes an update in every language given as (lang, subject, body); returns its id.
    async fn write(&self, app: &TestApp, texts: &[(&str, &str, &str)]) -> i64 {
        let mut form = vec![("csrf_token".to_owned(), self.csrf.clone())];
        for (lang, subject, body) in texts {
            form.push((format!("subject_{lang}"), (*subject).to_owned()));
            form.push((format!("body_{lang}"), (*body).to_owned()));
        }
        let response = self
            .client
            .post(app.url(&format!("/admin/campaigns/{DEMO}/updates")))
            .form(&form)
            .send()
            .await
            .expect("the update form");
        assert_eq!(response.status().as_u16(), 303, "the update is saved");
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .expect("a redirect to the update")
            .to_owned();
        location
            .rsplit('/')
            .next()
            .and_then(|id| id.parse().ok())
            .expect("the update's id")
    }

    async fn send(&self, app: &TestApp, id: i64, override_daily_limit: bool) -> (u16, String) {
        let form: &[(&str, &str)] = if override_daily_limit {
            &[("override", "yes"), ("confirm", "yes")]
        } else {
            &[("confirm", "yes")]
        };
        self.post(
            app,
            &format!("/admin/campaigns/{DEMO}/updates/{id}/send"),
            form,
        )
        .await
    }
}

fn in_four_languages() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![
        (
            "es",
            "Entregamos las firmas",
            "El 26 de septiembre entregamos 43,000 firmas.",
        ),
        (
            "en",
            "We delivered the signatures",
            "On 26 September we delivered 43,000 signatures.",
        ),
        (
            "fr",
            "Nous avons remis les signatures",
            "Le 26 septembre, nous avons remis 43 000 signatures.",
        ),
        (
            "pt",
            "Entregamos as assinaturas",
            "Em 26 de setembro entregamos 43.000 assinaturas.",
        ),
    ]
}

/// Waits until every recipient of update `id` is queued and no email of it is waiting.
async fn send_finishes(app: &TestApp, id: i64) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let queued = app.query_count(&format!(
            "SELECT COUNT(*) AS n FROM campaign_updates WHERE id = {id} AND queued_at IS NOT NULL"
        ));
        let waiting = app.query_count(&format!(
            "SELECT COUNT(*) AS n FROM outbox WHERE update_id = {id} AND sent_at IS NULL AND failed_at IS NULL"
        ));
        if queued == 1 && waiting == 0 {
            return;
        }
        assert!(Instant::now() < deadline, "the update is sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The emails to `address` whose subject is one of the update's.
fn updates_to(app: &TestApp, address: &str) -> Vec<ReceivedEmail> {
    let subjects: Vec<&str> = in_four_languages().iter().map(|t| t.1).collect();
    app.mail
        .emails_to(address)
        .into_iter()
        .filter(|email| subjects.iter().any(|s| email.subject().contains(s)))
        .collect()
}

/// Makes the campaign's last update look sent long ago, as a day passing would.
fn a_day_passes(app: &TestApp) {
    app.execute_sql(
        "UPDATE campaign_updates SET sent_at = '2026-01-01 00:00:00' WHERE sent_at IS NOT NULL",
    );
}

fn unsubscribe_path(app: &TestApp, email: &ReceivedEmail) -> String {
    email
        .header("List-Unsubscribe")
        .expect("a List-Unsubscribe header")
        .trim_start_matches('<')
        .trim_end_matches('>')
        .replace(&app.address, "")
}

#[tokio::test]
async fn an_update_reaches_exactly_the_confirmed_signers_who_asked_for_news_in_their_language() {
    let app = spawn_app().await;
    for (email, lang) in [
        ("es@example.org", "es"),
        ("en@example.org", "en"),
        ("fr@example.org", "fr"),
        ("pt@example.org", "pt"),
    ] {
        sign_up(&app, email, lang, true, true).await;
    }
    sign_up(&app, "quiet@example.org", "en", false, true).await;
    sign_up(&app, "pending@example.org", "en", true, false).await;
    sign_up(&app, "erased@example.org", "en", true, true).await;
    app.execute_sql(
        "UPDATE signatures SET erased_at = '2026-11-01 00:00:00' WHERE email = 'erased@example.org'",
    );
    sign_up(&app, "gone@example.org", "en", true, true).await;
    let first = app.mail.wait_for("gone@example.org", 1).await[0].clone();
    let unsubscribe = unsubscribe_path(&app, &first);
    assert_eq!(
        app.post_form(&unsubscribe, &[]).await.status().as_u16(),
        200
    );

    // Signed a paper sheet and ticked the box, but left no email.
    app.execute_sql(&format!(
        "INSERT INTO signatures (campaign_id, first_name, last_name, email, email_canonical,
             country, email_opt_in, lang, consent_version, created_at, confirmed_at, channel)
         SELECT id, 'Rosa', 'Pérez', '', 'person:rosa', 'MX', TRUE, 'es', 'v1',
             '2026-11-01 00:00:00', '2026-11-01 00:00:00', 'paper'
         FROM campaigns WHERE slug = '{DEMO}'"
    ));

    let staff = Staff::sign_in(&app).await;
    let id = staff.write(&app, &in_four_languages()).await;
    let (status, page) = staff.send(&app, id, false).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("The update is being sent"));
    send_finishes(&app, id).await;

    for (email, subject) in [
        ("es@example.org", "Entregamos las firmas"),
        ("en@example.org", "We delivered the signatures"),
        ("fr@example.org", "Nous avons remis les signatures"),
        ("pt@example.org", "Entregamos as assinaturas"),
    ] {
        let received = updates_to(&app, email);
        assert_eq!(received.len(), 1, "{email} gets it once");
        let update = &received[0];
        assert_eq!(update.subject(), subject);
        assert!(update.html().contains("43"), "{}", update.html());
        assert_eq!(
            update.header("List-Unsubscribe-Post").as_deref(),
            Some("List-Unsubscribe=One-Click")
        );
        assert!(update.text().contains(&unsubscribe_path(&app, update)));
        let message_id = update.header("Message-ID").expect("a Message-ID");
        assert!(
            message_id.starts_with(&format!("<update-{id}-")),
            "{message_id}"
        );
    }
    for email in [
        "quiet@example.org",
        "pending@example.org",
        "erased@example.org",
        "gone@example.org",
    ] {
        assert!(updates_to(&app, email).is_empty(), "{email} gets no update");
    }
    let list = app
        .page_as(&staff.client, &format!("/admin/campaigns/{DEMO}/updates"))
        .await;
    assert!(list.contains("Entregamos las firmas"), "{list}");
    assert!(
        list.contains(
            "<td class=\"number\">4</td><td class=\"number\">4</td><td class=\"number\">0</td>"
        ),
        "queued, sent and failed: {list}"
    );
    assert_eq!(
        app.query_count(&format!(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'update_sent' AND detail LIKE '%update={id} override=no%'"
        )),
        1,
        "the send is in the audit log"
    );
}

#[tokio::test]
async fn the_unsubscribe_link_in_an_update_works_in_one_click_and_no_further_update_goes() {
    let app = spawn_app().await;
    sign_up(&app, "luisa@example.org", "en", true, true).await;
    sign_up(&app, "marta@example.org", "en", true, true).await;
    let staff = Staff::sign_in(&app).await;
    let first = staff
        .write(
            &app,
            &[
                ("es", "Primera noticia", "Uno."),
                ("en", "First news", "One."),
            ],
        )
        .await;
    staff.send(&app, first, false).await;
    send_finishes(&app, first).await;
    let received = app.mail.wait_for("luisa@example.org", 2).await;
    let update = &received[1];
    assert_eq!(update.subject(), "First news");

    // What a mail provider sends for RFC 8058 one-click unsubscribe.
    let response = app
        .client
        .post(app.url(&unsubscribe_path(&app, update)))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("one-click POST");
    assert_eq!(response.status().as_u16(), 200);

    a_day_passes(&app);
    let second = staff
        .write(
            &app,
            &[
                ("es", "Segunda noticia", "Dos."),
                ("en", "Second news", "Two."),
            ],
        )
        .await;
    let (status, _) = staff.send(&app, second, false).await;
    assert_eq!(status, 200);
    send_finishes(&app, second).await;
    let marta = app.mail.wait_for("marta@example.org", 3).await;
    assert_eq!(marta[2].subject(), "Second news");
    assert_eq!(
        app.mail.emails_to("luisa@example.org").len(),
        2,
        "nothing more after unsubscribing"
    );
}

#[tokio::test]
async fn a_signer_who_unsubscribes_while_an_update_waits_does_not_get_it() {
    let app = spawn_app().await;
    sign_up(&app, "luisa@example.org", "en", true, true).await;
    let confirmation = app.mail.wait_for("luisa@example.org", 1).await[0].clone();
    let staff = Staff::sign_in(&app).await;
    let id = staff.write(&app, &[("es", "Noticia", "Texto.")]).await;
    assert_eq!(
        app.post_form(&unsubscribe_path(&app, &confirmation), &[])
            .await
            .status()
            .as_u16(),
        200
    );
    // Queued before the signer left, as a large update's later emails are.
    app.execute_sql(&format!(
        "INSERT INTO outbox (signature_id, kind, update_id, next_attempt_at, created_at)
         SELECT id, 'update', {id}, '2026-01-01 00:00:00', '2026-01-01 00:00:00'
         FROM signatures WHERE email = 'luisa@example.org'"
    ));

    let deadline = Instant::now() + Duration::from_secs(10);
    while app.query_count("SELECT COUNT(*) AS n FROM outbox WHERE update_id IS NOT NULL") > 0 {
        assert!(
            Instant::now() < deadline,
            "the unwanted email leaves the outbox"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(app.mail.emails_to("luisa@example.org").len(), 1);
}

#[tokio::test]
async fn a_second_update_within_a_day_goes_only_when_staff_confirm_it() {
    let app = spawn_app().await;
    sign_up(&app, "luisa@example.org", "es", true, true).await;
    let staff = Staff::sign_in(&app).await;
    let first = staff.write(&app, &[("es", "Primera", "Uno.")]).await;
    assert_eq!(staff.send(&app, first, false).await.0, 200);
    send_finishes(&app, first).await;
    let (status, _) = staff.send(&app, first, true).await;
    assert_eq!(status, 409, "an update goes once");

    let second = staff.write(&app, &[("es", "Segunda", "Dos.")]).await;
    let (status, page) = staff.send(&app, second, false).await;
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("The next update may go from"), "{page}");
    assert!(
        page.contains("name=\"override\""),
        "the override is offered"
    );
    assert_eq!(
        app.query_count(&format!(
            "SELECT COUNT(*) AS n FROM campaign_updates WHERE id = {second} AND sent_at IS NOT NULL"
        )),
        0
    );

    let (status, page) = staff.send(&app, second, true).await;
    assert_eq!(status, 200, "{page}");
    send_finishes(&app, second).await;
    let emails = app.mail.wait_for("luisa@example.org", 3).await;
    assert_eq!(emails[2].subject(), "Segunda");
    assert_eq!(
        app.query_count(&format!(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'update_sent' AND detail LIKE '%update={second} override=yes%'"
        )),
        1
    );

    a_day_passes(&app);
    let third = staff.write(&app, &[("es", "Tercera", "Tres.")]).await;
    assert_eq!(
        staff.send(&app, third, false).await.0,
        200,
        "a day later it goes"
    );
}

#[tokio::test]
async fn staff_get_a_test_of_an_update_and_no_signer_does() {
    let app = spawn_app().await;
    sign_up(&app, "luisa@example.org", "es", true, true).await;
    let staff = Staff::sign_in(&app).await;
    let id = staff
        .write(
            &app,
            &[("es", "Prueba", "Hola."), ("en", "Trial", "Hello.")],
        )
        .await;
    let (status, page) = staff
        .post(
            &app,
            &format!("/admin/campaigns/{DEMO}/updates/{id}/test"),
            &[],
        )
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("A test in each language is on its way"));

    let tests = app.mail.wait_for(STAFF, 2).await;
    let mut subjects: Vec<String> = tests.iter().map(ReceivedEmail::subject).collect();
    subjects.sort();
    assert_eq!(subjects, ["[Test] Prueba", "[Test] Trial"]);
    for test in &tests {
        assert!(
            test.text().contains("Ana") && !test.text().contains(STAFF),
            "greeted by name, not by address: {}",
            test.text()
        );
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        app.mail.emails_to("luisa@example.org").len(),
        1,
        "only the confirmation"
    );
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM outbox WHERE update_id IS NOT NULL"),
        0
    );
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'update_test_sent'"),
        1
    );
}

#[tokio::test]
async fn an_update_with_a_subject_on_two_lines_is_refused_with_the_reason() {
    let app = spawn_app().await;
    let staff = Staff::sign_in(&app).await;
    let response = staff
        .client
        .post(app.url(&format!("/admin/campaigns/{DEMO}/updates")))
        .form(&[
            ("csrf_token", staff.csrf.as_str()),
            ("subject_es", "Hola\r\nBcc: todos@example.org"),
            ("body_es", "Texto"),
        ])
        .send()
        .await
        .expect("the update form");
    assert_eq!(response.status().as_u16(), 422);
    let page = response.text().await.expect("body");
    assert!(page.contains("A subject is one line."), "{page}");
    assert!(
        page.contains("Bcc: todos@example.org"),
        "what was typed is kept"
    );
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM campaign_updates"),
        0
    );
}

#[tokio::test]
async fn a_published_update_and_the_targets_response_show_on_the_campaign_page() {
    let app = spawn_app().await;
    let staff = Staff::sign_in(&app).await;
    let delivered = staff
        .write(
            &app,
            &[
                (
                    "es",
                    "Entregamos las firmas",
                    "Fotos: https://example.org/fotos?a=1&b=2",
                ),
                (
                    "en",
                    "We delivered 43,000 signatures on 26 September",
                    "Photos: https://example.org/photos?a=1&b=2 <script>alert(1)</script>",
                ),
            ],
        )
        .await;
    let answered = staff
        .write(
            &app,
            &[(
                "es",
                "La Fiscalía respondió",
                "Se comprometió a reabrir el caso.",
            )],
        )
        .await;
    let (_, page) = app.get_text(&format!("/campaigns/{DEMO}?lang=en")).await;
    assert!(
        !page.contains("We delivered 43,000"),
        "not shown before publishing"
    );

    let path = |id: i64, what: &str| format!("/admin/campaigns/{DEMO}/updates/{id}/{what}");
    assert_eq!(
        staff
            .post(&app, &path(delivered, "publish"), &[("value", "yes")])
            .await
            .0,
        200
    );
    assert_eq!(
        staff
            .post(
                &app,
                &path(answered, "target-response"),
                &[("value", "yes")]
            )
            .await
            .0,
        200
    );

    let (status, page) = app.get_text(&format!("/campaigns/{DEMO}?lang=en")).await;
    assert_eq!(status, 200);
    assert!(page.contains("We delivered 43,000 signatures on 26 September"));
    assert!(
        page.contains(
            "<a href=\"https://example.org/photos?a=1&amp;b=2\">https://example.org/photos?a=1&amp;b=2</a>"
        ),
        "{page}"
    );
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.contains("<script>alert(1)"));
    let response = page
        .find("The response to the petition")
        .expect("the response is shown");
    assert!(
        response < page.find("form-heading").expect("the form"),
        "the response comes before the form"
    );
    assert!(
        page.contains("<div lang=\"es\">"),
        "a response only in Spanish says so to screen readers"
    );
    assert!(page.contains("La Fiscalía respondió"));

    let (_, spanish) = app.get_text(&format!("/campaigns/{DEMO}?lang=es")).await;
    assert!(spanish.contains("Entregamos las firmas"));
    assert!(spanish.contains("La respuesta a la petición"));

    staff
        .post(&app, &path(delivered, "publish"), &[("value", "no")])
        .await;
    let (_, page) = app.get_text(&format!("/campaigns/{DEMO}?lang=en")).await;
    assert!(!page.contains("We delivered 43,000"), "taken off the page");
    assert_eq!(
        app.query_count(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action IN ('update_published', 'update_unpublished', 'update_marked_target_response')"
        ),
        3
    );
}

/// Signers who asked for news, stored as if they had signed and confirmed long ago.
fn store_confirmed_signers(app: &TestApp, count: usize) {
    let rows: Vec<String> = (0..count)
        .map(|n| {
            format!(
                "((SELECT id FROM campaigns WHERE slug = '{DEMO}'), 'Ana', 'López', \
                 'many{n}@example.org', 'many{n}@example.org', 'MX', TRUE, 'es', 'v1', \
                 '2026-11-01 00:00:00', '2026-11-01 00:00:00')"
            )
        })
        .collect();
    app.execute_sql(&format!(
        "INSERT INTO signatures (campaign_id, first_name, last_name, email, email_canonical,
             country, email_opt_in, lang, consent_version, created_at, confirmed_at)
         VALUES {}",
        rows.join(", ")
    ));
}

#[tokio::test]
async fn confirmations_keep_flowing_while_a_large_update_is_sent_at_its_steady_rate() {
    const SIGNERS: usize = 300;
    const PER_MINUTE: u32 = 600;
    let app = spawn_app_with(Options {
        update_rate_per_minute: Some(PER_MINUTE),
        ..Options::default()
    })
    .await;
    store_confirmed_signers(&app, SIGNERS);
    let staff = Staff::sign_in(&app).await;
    let id = staff
        .write(&app, &[("es", "Noticia para todos", "Texto.")])
        .await;
    let sent_from = Instant::now();
    assert_eq!(staff.send(&app, id, false).await.0, 200);
    app.mail.wait_for("many0@example.org", 1).await;

    let signed = Instant::now();
    assert_eq!(
        app.sign(&signer("new@example.org")).await.status().as_u16(),
        303
    );
    let confirmation = app.mail.wait_for("new@example.org", 1).await;
    let waited = signed.elapsed();
    assert!(confirmation[0].confirmation_link().contains("/confirm/"));

    let sent = app.mail.emails().len() - 1;
    let unsent = app.query_count(&format!(
        "SELECT COUNT(*) AS n FROM outbox WHERE update_id = {id} AND sent_at IS NULL"
    ));
    assert!(
        unsent > 0,
        "the confirmation arrived after {waited:?}, before the update finished ({sent} sent)"
    );
    // A second's worth may go at once; after that, never faster than the rate.
    let allowed = f64::from(PER_MINUTE) / 60.0 * (sent_from.elapsed().as_secs_f64() + 1.0);
    assert!(
        (sent as f64) <= allowed,
        "{sent} update emails in {:?} is faster than {PER_MINUTE} a minute",
        sent_from.elapsed()
    );
}
