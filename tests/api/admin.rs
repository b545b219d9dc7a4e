//! Staff: signing in, managing campaigns, and handing signatures over as CSV.

use std::time::Duration;

use mariposa::config::SessionPolicy;

use crate::helpers::{
    DEMO, Options, TestApp, hidden_value, shown_token, signer, spawn_app, spawn_app_with, with,
};

const PASSWORD: &str = "a long staff password";

/// The page without its per-request form token, so two answers can be compared.
fn without_token(page: &str) -> String {
    let token = hidden_value(page, "csrf_token");
    page.replace(&token, "")
}

#[tokio::test]
async fn login_with_right_wrong_and_unknown_credentials() {
    let app = spawn_app().await;
    app.create_staff("ana@example.org", PASSWORD);

    let right = app
        .login(&app.staff_client(), "Ana@Example.org", PASSWORD)
        .await;
    assert_eq!(right.status().as_u16(), 303);
    assert_eq!(right.headers()["location"], "/admin/campaigns");
    let cookie = right.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .to_owned();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/admin"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert!(
        !cookie.contains("Secure"),
        "no Secure on a plain-http base URL"
    );

    let wrong = app
        .login(&app.staff_client(), "ana@example.org", "not the password")
        .await;
    let unknown = app
        .login(
            &app.staff_client(),
            "nobody@example.org",
            "not the password",
        )
        .await;
    assert_eq!(wrong.status().as_u16(), 401);
    assert_eq!(unknown.status().as_u16(), 401);
    let wrong_page =
        without_token(&wrong.text().await.expect("body")).replace("ana@example.org", "EMAIL");
    let unknown_page =
        without_token(&unknown.text().await.expect("body")).replace("nobody@example.org", "EMAIL");
    assert_eq!(
        wrong_page, unknown_page,
        "an unknown account is answered exactly like a wrong password"
    );
    assert!(wrong_page.contains("do not match an account"));
}

#[tokio::test]
async fn failed_logins_are_throttled_per_account_even_for_unknown_accounts() {
    let app = spawn_app().await;
    app.create_staff("ana@example.org", PASSWORD);
    for email in ["ana@example.org", "ghost@example.org"] {
        for _ in 0..5 {
            let response = app
                .login(&app.staff_client(), email, "wrong password!")
                .await;
            assert_eq!(response.status().as_u16(), 401);
        }
        let throttled = app.login(&app.staff_client(), email, PASSWORD).await;
        assert_eq!(throttled.status().as_u16(), 429, "{email}");
        assert!(throttled.headers().contains_key("retry-after"));
    }
    let other = app
        .login(&app.staff_client(), "luis@example.org", "wrong password!")
        .await;
    assert_eq!(
        other.status().as_u16(),
        401,
        "other accounts are not locked by Ana's failures"
    );
}

#[tokio::test]
async fn staff_pages_require_a_session() {
    let app = spawn_app().await;
    for path in [
        "/admin",
        "/admin/campaigns",
        "/admin/tokens",
        "/admin/audit",
        "/admin/campaigns/new",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status().as_u16(), 303, "{path}");
        assert_eq!(response.headers()["location"], "/admin/login", "{path}");
    }
    let forged_cookie = app
        .client
        .get(app.url("/admin/campaigns"))
        .header(
            "cookie",
            "mariposa_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        )
        .send()
        .await
        .expect("request");
    assert_eq!(forged_cookie.status().as_u16(), 303);
}

#[tokio::test]
async fn staff_forms_without_the_csrf_token_are_refused() {
    let app = spawn_app().await;
    let (staff, _csrf) = app.signed_in_staff().await;

    for token in ["", "0123456789abcdef"] {
        let response = staff
            .post(app.url("/admin/campaigns"))
            .form(&[
                ("slug", "forged"),
                ("default_lang", "es"),
                ("goal", "10"),
                ("default_country", "MX"),
                ("title_es", "Forged"),
                ("csrf_token", token),
            ])
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 403, "token {token:?}");
    }
    assert_eq!(app.get("/campaigns/forged").await.status().as_u16(), 404);
}

#[tokio::test]
async fn sessions_expire_when_idle() {
    let app = spawn_app_with(Options {
        session_policy: Some(SessionPolicy {
            idle: Duration::from_secs(1),
            absolute: Duration::from_secs(3600),
        }),
        ..Options::default()
    })
    .await;
    let (staff, _) = app.signed_in_staff().await;
    let fresh = staff
        .get(app.url("/admin/campaigns"))
        .send()
        .await
        .expect("request");
    assert_eq!(fresh.status().as_u16(), 200);

    tokio::time::sleep(Duration::from_millis(2100)).await;

    let stale = staff
        .get(app.url("/admin/campaigns"))
        .send()
        .await
        .expect("request");
    assert_eq!(stale.status().as_u16(), 303);
    assert_eq!(stale.headers()["location"], "/admin/login");
}

#[tokio::test]
async fn logging_out_ends_the_session() {
    let app = spawn_app().await;
    let (staff, csrf) = app.signed_in_staff().await;

    let response = staff
        .post(app.url("/admin/logout"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .expect("logout");

    assert_eq!(response.status().as_u16(), 303);
    let after = staff
        .get(app.url("/admin/campaigns"))
        .send()
        .await
        .expect("request");
    assert_eq!(after.status().as_u16(), 303);
}

async fn create_campaign(
    app: &TestApp,
    staff: &reqwest::Client,
    csrf: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut form: Vec<(&str, &str)> = vec![
        ("slug", "agua-limpia"),
        ("default_lang", "es"),
        ("goal", "500"),
        ("default_country", "MX"),
        ("is_open", "yes"),
        ("title_es", "Agua limpia para Guerrero"),
        ("summary_es", "Que nadie se quede sin agua."),
        ("body_es", "Primer párrafo.\r\n\r\nSegundo párrafo."),
        ("title_en", "Clean water for Guerrero"),
        ("csrf_token", csrf),
    ];
    for (name, value) in fields {
        form.retain(|(n, _)| n != name);
        form.push((name, value));
    }
    staff
        .post(app.url("/admin/campaigns"))
        .form(&form)
        .send()
        .await
        .expect("create")
}

#[tokio::test]
async fn staff_create_and_edit_a_campaign_that_appears_on_the_public_site() {
    let app = spawn_app().await;
    let (staff, csrf) = app.signed_in_staff().await;

    let created = create_campaign(&app, &staff, &csrf, &[]).await;
    assert_eq!(created.status().as_u16(), 303);
    assert_eq!(
        created.headers()["location"],
        "/admin/campaigns/agua-limpia"
    );
    let (status, page) = app.get_text("/campaigns/agua-limpia").await;
    assert_eq!(status, 200);
    assert!(page.contains("<h1>Agua limpia para Guerrero</h1>"));
    assert!(
        page.contains("<p>Segundo párrafo.</p>"),
        "a blank line starts a paragraph"
    );
    let (_, english) = app.get_text("/campaigns/agua-limpia?lang=en").await;
    assert!(english.contains("Clean water for Guerrero"));
    let (_, french) = app.get_text("/campaigns/agua-limpia?lang=fr").await;
    assert!(
        french.contains("Agua limpia para Guerrero"),
        "a missing translation falls back to the campaign's language"
    );

    let duplicate = create_campaign(&app, &staff, &csrf, &[]).await;
    assert_eq!(duplicate.status().as_u16(), 422);
    assert!(
        duplicate
            .text()
            .await
            .expect("body")
            .contains("already has this address")
    );
    let invalid = create_campaign(
        &app,
        &staff,
        &csrf,
        &[("slug", "Bad Slug"), ("goal", "many")],
    )
    .await;
    assert_eq!(invalid.status().as_u16(), 422);
    assert!(
        invalid
            .text()
            .await
            .expect("body")
            .contains("value=\"Agua limpia para Guerrero\""),
        "typed values are kept"
    );

    let edit_page = app
        .page_as(&staff, "/admin/campaigns/agua-limpia/edit")
        .await;
    assert!(edit_page.contains("Primer párrafo."));
    let edited = staff
        .post(app.url("/admin/campaigns/agua-limpia/edit"))
        .form(&[
            ("slug", "changed-slug"),
            ("default_lang", "es"),
            ("goal", "43,000"),
            ("default_country", "MX"),
            ("title_es", "Agua limpia ya"),
            ("csrf_token", csrf.as_str()),
        ])
        .send()
        .await
        .expect("edit");
    assert_eq!(edited.status().as_u16(), 303);
    assert_eq!(
        edited.headers()["location"],
        "/admin/campaigns/agua-limpia",
        "the slug never changes"
    );
    let (_, page) = app.get_text("/campaigns/agua-limpia").await;
    assert!(page.contains("<h1>Agua limpia ya</h1>"));
    assert!(page.contains("max=\"43000\""));
    assert!(
        page.contains("Esta petición ya no recibe firmas"),
        "unchecking \"open\" closes it"
    );
}

#[tokio::test]
async fn staff_set_a_goal_that_rises_when_reached() {
    let app = spawn_app().await;
    let (staff, csrf) = app.signed_in_staff().await;
    let created = create_campaign(&app, &staff, &csrf, &[("goal_multiplier", "2")]).await;
    assert_eq!(created.status().as_u16(), 303);

    let edit_page = app
        .page_as(&staff, "/admin/campaigns/agua-limpia/edit")
        .await;
    assert!(
        edit_page.contains("<option value=\"2\" selected>Raise it ×2</option>"),
        "{edit_page}"
    );
    assert_eq!(
        app.query_count(
            "SELECT CAST(goal_multiplier AS BIGINT) AS n FROM campaigns WHERE slug = 'agua-limpia'"
        ),
        2
    );
    let refused = create_campaign(
        &app,
        &staff,
        &csrf,
        &[("slug", "otra-causa"), ("goal_multiplier", "1000")],
    )
    .await;
    assert_eq!(refused.status().as_u16(), 422);
}

#[tokio::test]
async fn a_closed_campaign_refuses_signatures_and_reopens() {
    let app = spawn_app().await;
    let (staff, csrf) = app.signed_in_staff().await;
    let token = app.form_token(DEMO).await;

    let unconfirmed = staff
        .post(app.url(&format!("/admin/campaigns/{DEMO}/close")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .expect("close");
    assert_eq!(unconfirmed.status().as_u16(), 303);
    assert_eq!(
        unconfirmed.headers()["location"],
        format!("/admin/campaigns/{DEMO}/close").as_str(),
        "closing goes through its confirmation step first"
    );
    assert_eq!(
        app.query_count(&format!(
            "SELECT COUNT(*) AS n FROM campaigns WHERE slug = '{DEMO}' AND is_open"
        )),
        1,
        "not closed yet"
    );
    let closed = staff
        .post(app.url(&format!("/admin/campaigns/{DEMO}/close")))
        .form(&[("csrf_token", csrf.as_str()), ("confirm", "yes")])
        .send()
        .await
        .expect("close");
    assert_eq!(closed.status().as_u16(), 303);
    let refused = app
        .post_form(
            &format!("/campaigns/{DEMO}/sign"),
            &with(signer("ana@example.org"), "csrf_token", &token),
        )
        .await;
    assert_eq!(refused.status().as_u16(), 403);
    assert_eq!(app.stored_signatures(), 0);

    staff
        .post(app.url(&format!("/admin/campaigns/{DEMO}/open")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .expect("open");
    assert_eq!(
        app.sign(&signer("ana@example.org")).await.status().as_u16(),
        303
    );
}

/// Signs three supporters: two confirmed (one commenting with a spreadsheet formula), one
/// pending.
async fn three_signers(app: &TestApp) {
    app.sign_and_confirm("jose@example.org").await;
    let formula = with(
        with(
            signer("formula@example.org"),
            "comment",
            "=HYPERLINK(\"http://x\",\"y\")",
        ),
        "source",
        "centro-prodh",
    );
    assert_eq!(app.sign(&formula).await.status().as_u16(), 303);
    app.sign_and_confirm_existing("formula@example.org").await;
    assert_eq!(
        app.sign(&signer("pending@example.org"))
            .await
            .status()
            .as_u16(),
        303
    );
}

fn parse_csv(body: &[u8]) -> Vec<csv::StringRecord> {
    assert!(
        body.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 byte-order mark first, for Excel"
    );
    csv::Reader::from_reader(&body[3..])
        .records()
        .collect::<Result<_, _>>()
        .expect("valid CSV")
}

#[tokio::test]
async fn signature_export_opens_cleanly_in_a_spreadsheet() {
    let app = spawn_app().await;
    three_signers(&app).await;
    let (staff, _) = app.signed_in_staff().await;
    let export = |query: &'static str| {
        let staff = staff.clone();
        let url = app.url(&format!("/admin/campaigns/{DEMO}/signatures.csv{query}"));
        async move { staff.get(url).send().await.expect("export") }
    };

    let response = export("").await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        disposition.starts_with(&format!("attachment; filename=\"{DEMO}-signatures-20")),
        "{disposition}"
    );
    let body = response.bytes().await.expect("body");
    let header =
        String::from_utf8_lossy(&body[3..body.iter().position(|b| *b == b'\r').expect("a line")])
            .to_string();
    assert_eq!(
        header,
        "\"id\",\"signed_at\",\"confirmed_at\",\"first_name\",\"last_name\",\"email\",\"country\",\"postal_code\",\"email_opt_in\",\"source\",\"comment\",\"language\",\"consent_version\",\"channel\",\"event\",\"invalidation\",\"partner_consents\""
    );
    let rows = parse_csv(&body);
    assert_eq!(rows.len(), 2, "pending signatures are left out by default");
    assert!(
        rows.iter()
            .any(|r| &r[3] == "José Ñúñez" && &r[4] == "O'Connor")
    );
    assert!(
        rows.iter()
            .any(|r| &r[10] == "'=HYPERLINK(\"http://x\",\"y\")"),
        "formulas are neutralised"
    );
    assert!(
        rows.iter()
            .all(|r| r[1].ends_with('Z') && r[1].contains('T') && !r[2].is_empty())
    );

    assert_eq!(
        parse_csv(&export("?status=all").await.bytes().await.expect("body")).len(),
        3
    );
    let pending = parse_csv(&export("?status=pending").await.bytes().await.expect("body"));
    assert_eq!((pending.len(), &pending[0][5]), (1, "pending@example.org"));
    let by_source = parse_csv(
        &export("?source=centro-prodh")
            .await
            .bytes()
            .await
            .expect("body"),
    );
    assert_eq!(by_source.len(), 1);
    assert!(
        parse_csv(
            &export("?from=2099-01-01")
                .await
                .bytes()
                .await
                .expect("body")
        )
        .is_empty()
    );
    assert_eq!(
        parse_csv(
            &export("?from=2000-01-01&to=2099-12-31")
                .await
                .bytes()
                .await
                .expect("body")
        )
        .len(),
        2
    );
    assert_eq!(export("?status=everything").await.status().as_u16(), 400);
    assert_eq!(export("?from=yesterday").await.status().as_u16(), 400);
}

#[tokio::test]
async fn count_export_groups_confirmed_and_pending() {
    let app = spawn_app().await;
    three_signers(&app).await;
    let (staff, _) = app.signed_in_staff().await;

    let by_campaign = staff
        .get(app.url("/admin/counts.csv"))
        .send()
        .await
        .expect("export");
    let rows = parse_csv(&by_campaign.bytes().await.expect("body"));
    assert_eq!(rows.len(), 1);
    assert_eq!((&rows[0][0], &rows[0][1], &rows[0][2]), (DEMO, "2", "1"));

    let by_source = staff
        .get(app.url("/admin/counts.csv?by=campaign,source,country,day"))
        .send()
        .await
        .expect("export");
    let rows = parse_csv(&by_source.bytes().await.expect("body"));
    let prodh = rows
        .iter()
        .find(|r| &r[1] == "centro-prodh")
        .expect("the partner's row");
    assert_eq!((&prodh[2], &prodh[4], &prodh[5]), ("MX", "1", "0"));
    assert_eq!(prodh[3].len(), 10, "the day is a date");
    let bad = staff
        .get(app.url("/admin/counts.csv?by=campaign;DROP"))
        .send()
        .await
        .expect("export");
    assert_eq!(bad.status().as_u16(), 400);
}

#[tokio::test]
async fn bearer_tokens_open_the_exports_until_revoked() {
    let app = spawn_app().await;
    three_signers(&app).await;
    let (staff, csrf) = app.signed_in_staff().await;
    let tokens_page = staff
        .post(app.url("/admin/tokens"))
        .form(&[
            ("name", "nightly CRM import"),
            ("role", "campaigner"),
            ("csrf_token", csrf.as_str()),
        ])
        .send()
        .await
        .expect("create")
        .text()
        .await
        .expect("body");
    let token = shown_token(&tokens_page);
    let csv_url = app.url(&format!("/admin/campaigns/{DEMO}/signatures.csv"));
    let with_token = |token: Option<String>| {
        let mut request = app.client.get(&csv_url);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        async move { request.send().await.expect("request").status().as_u16() }
    };

    assert_eq!(with_token(Some(token.clone())).await, 200);
    let counts = app
        .client
        .get(app.url("/admin/counts.csv"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("counts");
    assert_eq!(counts.status().as_u16(), 200);
    assert_eq!(with_token(None).await, 401);
    assert_eq!(with_token(Some("A".repeat(43))).await, 401);
    let listed = app.page_as(&staff, "/admin/tokens").await;
    assert!(!listed.contains(&token), "the token is shown only once");
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM api_tokens WHERE last_used_at IS NOT NULL"),
        1
    );

    let id = app.query_count("SELECT id AS n FROM api_tokens");
    staff
        .post(app.url(&format!("/admin/tokens/{id}/revoke")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .expect("revoke");
    assert_eq!(with_token(Some(token)).await, 401);
}

#[tokio::test]
async fn the_command_line_exports_the_same_csv_and_creates_tokens() {
    let app = spawn_app().await;
    three_signers(&app).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("firmas.csv");

    let output = app.cli(
        &[
            "export",
            "signatures",
            DEMO,
            "--output",
            &file.to_string_lossy(),
        ],
        "",
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows = parse_csv(&std::fs::read(&file).expect("the file was written"));
    assert_eq!(rows.len(), 2);
    let counts = app.cli(&["export", "counts", "--by", "campaign,country"], "");
    assert!(counts.status.success());
    let rows = parse_csv(&counts.stdout);
    assert_eq!((&rows[0][0], &rows[0][1], &rows[0][2]), (DEMO, "MX", "2"));

    let created = app.cli(&["token", "create", "cron"], "");
    assert!(created.status.success());
    let token = String::from_utf8(created.stdout)
        .expect("utf-8")
        .trim()
        .to_owned();
    let response = app
        .client
        .get(app.url("/admin/counts.csv"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);

    let short = app.cli(&["admin", "create", "luis@example.org"], "short\n");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12 characters"));
    let missing = app.cli(&["export", "signatures", "no-such-campaign"], "");
    assert!(!missing.status.success());
}

#[tokio::test]
async fn the_audit_log_records_who_did_what() {
    let app = spawn_app().await;
    three_signers(&app).await;
    app.create_staff("ana@example.org", PASSWORD);
    app.login(&app.staff_client(), "ana@example.org", "wrong password!")
        .await;
    let staff = app.staff_client();
    app.login(&staff, "ana@example.org", PASSWORD).await;
    let page = app.page_as(&staff, "/admin/tokens").await;
    let csrf = hidden_value(&page, "csrf_token");
    create_campaign(&app, &staff, &csrf, &[]).await;
    staff
        .get(app.url(&format!(
            "/admin/campaigns/{DEMO}/signatures.csv?status=all"
        )))
        .send()
        .await
        .expect("export")
        .bytes()
        .await
        .expect("body");
    staff
        .post(app.url("/admin/tokens"))
        .form(&[("name", "cron"), ("csrf_token", csrf.as_str())])
        .send()
        .await
        .expect("token");

    let audit = app.page_as(&staff, "/admin/audit").await;

    for expected in [
        "login_failed",
        "staff:ana@example.org",
        "campaign_created",
        "slug=agua-limpia",
        "export_signatures",
        "status=all",
        "rows=3",
        "token_created",
        "name=cron",
        "staff_created",
    ] {
        assert!(audit.contains(expected), "the audit log lacks {expected}");
    }
}

#[tokio::test]
async fn the_dashboard_shows_counts_opt_in_rate_and_a_chart() {
    let app = spawn_app().await;
    three_signers(&app).await;
    let (staff, _) = app.signed_in_staff().await;

    let page = app
        .page_as(&staff, &format!("/admin/campaigns/{DEMO}"))
        .await;

    assert!(page.contains("<dd>2</dd>"), "two confirmed");
    assert!(page.contains("<dd>1</dd>"), "one pending");
    assert!(page.contains("<dd>0%</dd>"), "nobody opted in");
    assert!(
        page.contains("<svg") && page.contains("<rect"),
        "a chart drawn on the server"
    );
    assert!(page.contains("centro-prodh"));
}

#[tokio::test]
async fn the_dashboard_shows_the_confirmation_rate_per_day_signed() {
    let app = spawn_app().await;
    three_signers(&app).await;
    app.sign(&signer("earlier@example.org")).await;
    app.sign_and_confirm("earlier-confirmed@example.org").await;
    let yesterday = (chrono::Utc::now().naive_utc() - chrono::TimeDelta::days(1)).date();
    app.execute_sql(&format!(
        "UPDATE signatures SET created_at = '{yesterday} 12:00:00' WHERE email LIKE 'earlier%'"
    ));
    let today = chrono::Utc::now().naive_utc().date();
    let (staff, _) = app.signed_in_staff().await;

    let page = app
        .page_as(&staff, &format!("/admin/campaigns/{DEMO}"))
        .await;

    assert!(
        page.contains("<dt>Confirmed of all signed</dt><dd>60%</dd>"),
        "3 of 5 in all: {page}"
    );
    // Days as an English reader writes them, such as "November 30, 2026".
    let (today, yesterday) = (today.format("%B %-d, %Y"), yesterday.format("%B %-d, %Y"));
    let today_row = format!(
        "<tr><th scope=\"row\">{today}</th><td class=\"number\">3</td><td class=\"number\">2</td><td class=\"number\">67%</td></tr>"
    );
    let yesterday_row = format!(
        "<tr><th scope=\"row\">{yesterday}</th><td class=\"number\">2</td><td class=\"number\">1</td><td class=\"number\">50%</td></tr>"
    );
    let (at_today, at_yesterday) = (page.find(&today_row), page.find(&yesterday_row));
    assert!(at_today.is_some() && at_yesterday.is_some(), "{page}");
    assert!(at_today < at_yesterday, "newest first");
}

#[tokio::test]
async fn client_addresses_are_stored_only_as_keyed_hashes() {
    let app = spawn_app().await;
    app.create_staff("ana@example.org", PASSWORD);

    app.login(&app.staff_client(), "ana@example.org", "wrong password!")
        .await;

    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM login_failures WHERE length(client) = 64"),
        1
    );
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM login_failures WHERE client LIKE '%127.0.0.1%'"),
        0,
        "the address itself is never written"
    );
}

/// Sends the sign-in form with `client`, from the client address `address` as the trusted
/// proxy in front of the app reports it.
async fn login_from(
    app: &TestApp,
    client: &reqwest::Client,
    address: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    let page = app.page_as(client, "/admin/login").await;
    client
        .post(app.url("/admin/login"))
        .header("x-forwarded-for", address)
        .form(&[
            ("email", email),
            ("password", password),
            ("csrf_token", &hidden_value(&page, "csrf_token")),
        ])
        .send()
        .await
        .expect("login")
}

#[tokio::test]
async fn a_stranger_cannot_lock_staff_out() {
    let app = spawn_app_with(Options {
        trusted_proxies: "127.0.0.1",
        ..Options::default()
    })
    .await;
    app.create_staff("ana@example.org", PASSWORD);
    let anas_browser = app.staff_client();
    let first = login_from(
        &app,
        &anas_browser,
        "198.51.100.7",
        "ana@example.org",
        PASSWORD,
    )
    .await;
    assert_eq!(first.status().as_u16(), 303);
    let device_cookie = first
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("mariposa_device="))
        .expect("a device cookie")
        .to_owned();
    for attribute in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/admin/login",
        "Max-Age=",
    ] {
        assert!(
            device_cookie.contains(attribute),
            "{device_cookie} lacks {attribute}"
        );
    }

    for _ in 0..5 {
        let guess = login_from(
            &app,
            &app.staff_client(),
            "203.0.113.66",
            "ana@example.org",
            "wrong password!",
        )
        .await;
        assert_eq!(guess.status().as_u16(), 401);
    }
    let stranger = login_from(
        &app,
        &app.staff_client(),
        "203.0.113.67",
        "ana@example.org",
        PASSWORD,
    )
    .await;
    assert_eq!(
        stranger.status().as_u16(),
        429,
        "without the device cookie, even the right password waits"
    );

    let anas_new_laptop = login_from(
        &app,
        &app.staff_client(),
        "198.51.100.7",
        "ana@example.org",
        PASSWORD,
    )
    .await;
    assert_eq!(
        anas_new_laptop.status().as_u16(),
        429,
        "a browser Ana never signed in with waits like anyone else"
    );

    let ana = login_from(
        &app,
        &anas_browser,
        "198.51.100.8",
        "ana@example.org",
        PASSWORD,
    )
    .await;
    assert_eq!(
        ana.status().as_u16(),
        303,
        "Ana's own browser still gets in, from another address"
    );
    for _ in 0..5 {
        let typo = login_from(
            &app,
            &anas_browser,
            "198.51.100.8",
            "ana@example.org",
            "wrong password!",
        )
        .await;
        assert_eq!(typo.status().as_u16(), 401);
    }
    let after_typos = login_from(
        &app,
        &anas_browser,
        "198.51.100.8",
        "ana@example.org",
        PASSWORD,
    )
    .await;
    assert_eq!(
        after_typos.status().as_u16(),
        429,
        "a known browser has a small allowance of its own, so guessing stays slow"
    );
}

#[tokio::test]
async fn a_device_cookie_is_trusted_for_its_own_account_only() {
    let app = spawn_app_with(Options {
        trusted_proxies: "127.0.0.1",
        ..Options::default()
    })
    .await;
    app.create_staff("ana@example.org", PASSWORD);
    app.create_staff("luis@example.org", PASSWORD);
    let shared_browser = app.staff_client();
    let ana = login_from(
        &app,
        &shared_browser,
        "198.51.100.7",
        "ana@example.org",
        PASSWORD,
    )
    .await;
    assert_eq!(ana.status().as_u16(), 303);
    for _ in 0..5 {
        login_from(
            &app,
            &app.staff_client(),
            "203.0.113.66",
            "luis@example.org",
            "wrong password!",
        )
        .await;
    }

    let luis = login_from(
        &app,
        &shared_browser,
        "198.51.100.7",
        "luis@example.org",
        PASSWORD,
    )
    .await;

    assert_eq!(luis.status().as_u16(), 429);
}

#[tokio::test]
async fn huge_emails_typed_at_sign_in_do_not_fill_the_disk() {
    let app = spawn_app_with(Options {
        trusted_proxies: "127.0.0.1",
        ..Options::default()
    })
    .await;
    let page = app.page_as(&app.client, "/admin/login").await;
    let token = hidden_value(&page, "csrf_token");
    for i in 0..150 {
        let email = if i % 10 == 0 {
            format!("{}{i}@example.org", "a".repeat(60))
        } else {
            format!("{}{i}@example.org", "x".repeat(15_000))
        };
        let response = app
            .client
            .post(app.url("/admin/login"))
            .header("x-forwarded-for", format!("203.0.{}.{}", i / 200, i % 200))
            .form(&[
                ("email", email.as_str()),
                ("password", "wrong password!"),
                ("csrf_token", token.as_str()),
            ])
            .send()
            .await
            .expect("login");
        assert_eq!(response.status().as_u16(), 401);
    }

    let audit_bytes = app.query_count(
        "SELECT SUM(length(actor) + length(action) + length(detail)) AS n FROM audit_log",
    );
    assert!(
        audit_bytes < 150 * 120,
        "the audit log grew by {audit_bytes} bytes"
    );
    let throttle_bytes = app.query_count(
        "SELECT SUM(length(account) + length(client) + COALESCE(length(device), 0)) AS n \
         FROM login_failures",
    );
    assert!(
        throttle_bytes <= 150 * 128,
        "the throttle grew by {throttle_bytes} bytes"
    );
    assert_eq!(
        app.query_count(
            "SELECT COUNT(*) AS n FROM audit_log WHERE detail LIKE '%aaaaaaaaaaaa%@example.org'"
        ),
        15,
        "an email that could belong to someone is kept for staff to see"
    );
}

#[tokio::test]
async fn staff_forms_sent_from_another_site_are_refused() {
    let app = spawn_app().await;
    let (staff, csrf) = app.signed_in_staff().await;
    let create_token = |client: &reqwest::Client, path: &str, headers: &[(&str, &str)]| {
        let mut request = client
            .post(app.url(path))
            .form(&[("name", "cron"), ("csrf_token", csrf.as_str())]);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send()
    };

    for (headers, path) in [
        (vec![("origin", "https://evil.example")], "/admin/tokens"),
        (vec![("sec-fetch-site", "cross-site")], "/admin/tokens"),
        (vec![("origin", "null")], "/admin/tokens"),
        (vec![("origin", "https://evil.example")], "/%61dmin/tokens"),
    ] {
        let refused = create_token(&staff, path, &headers).await.expect("request");
        assert_eq!(refused.status().as_u16(), 403, "{headers:?} {path}");
        let page = refused.text().await.expect("body");
        assert!(page.contains("sent from another website"), "{page}");
    }
    let own_origin = app.address.clone();
    let own = create_token(
        &staff,
        "/admin/tokens",
        &[("origin", &own_origin), ("sec-fetch-site", "same-origin")],
    )
    .await
    .expect("request");
    assert_eq!(own.status().as_u16(), 200, "the site's own pages may post");
    let scripted = create_token(&staff, "/admin/tokens", &[])
        .await
        .expect("request");
    assert_eq!(
        scripted.status().as_u16(),
        200,
        "without either header, the CSRF token decides"
    );
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM api_tokens"),
        2,
        "refused forms changed nothing"
    );

    let page = app.page_as(&app.client, "/admin/login").await;
    let cross_site_login = app
        .client
        .post(app.url("/admin/login"))
        .header("origin", "https://evil.example")
        .form(&[
            ("email", "ana@example.org"),
            ("password", PASSWORD),
            ("csrf_token", &hidden_value(&page, "csrf_token")),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(cross_site_login.status().as_u16(), 403);
}

#[tokio::test]
async fn a_long_campaign_text_saves_and_an_oversized_form_gets_a_staff_page() {
    let app = spawn_app().await;
    let (staff, csrf) = app.signed_in_staff().await;
    let long_body = "Vivos se los llevaron, vivos los queremos. ".repeat(1000);
    assert!(long_body.len() > 40 * 1024);

    let saved = create_campaign(&app, &staff, &csrf, &[("body_es", &long_body)]).await;

    assert_eq!(saved.status().as_u16(), 303);
    let (_, page) = app.get_text("/campaigns/agua-limpia").await;
    assert!(page.matches("vivos los queremos.").count() >= 1000);

    // Every language at its longest, in words a form encodes at several bytes a character.
    let longest = "Justiça já, ação é nossa. ".repeat(2000);
    assert_eq!(longest.chars().count(), 52_000);
    let longest = longest.chars().take(50_000).collect::<String>();
    let all_languages = [
        ("slug", "agua-para-todos"),
        ("body_es", longest.as_str()),
        ("title_en", "Clean water now"),
        ("body_en", longest.as_str()),
        ("title_fr", "De l’eau propre"),
        ("body_fr", longest.as_str()),
        ("title_pt", "Água limpa já"),
        ("body_pt", longest.as_str()),
    ];
    let saved = create_campaign(&app, &staff, &csrf, &all_languages).await;
    assert_eq!(
        saved.status().as_u16(),
        303,
        "the longest texts allowed fit"
    );

    let oversized = "x".repeat(2 * 1024 * 1024);
    let refused = staff
        .post(app.url("/admin/campaigns/agua-limpia/edit"))
        .form(&[
            ("slug", "agua-limpia"),
            ("default_lang", "es"),
            ("goal", "500"),
            ("default_country", "MX"),
            ("title_es", "Agua limpia ya"),
            ("body_es", oversized.as_str()),
            ("csrf_token", csrf.as_str()),
        ])
        .send()
        .await
        .expect("edit");
    assert_eq!(refused.status().as_u16(), 413);
    let page = refused.text().await.expect("body");
    assert!(page.contains("This form is too large"), "{page}");
    // The cap it names is the editor's own: above four languages of the longest texts,
    // below the 2 MiB just sent.
    let cap: i64 = page
        .split("up to ")
        .nth(1)
        .and_then(|rest| rest.split("\u{a0}KiB in this form").next())
        .map(|kib| kib.replace(',', ""))
        .and_then(|kib| kib.parse().ok())
        .unwrap_or_else(|| panic!("the page names the cap: {page}"));
    assert!((1_700..2_048).contains(&cap), "{cap} KiB");
    assert!(
        page.contains("<body class=\"admin\">"),
        "a staff page, not the supporters' one"
    );
}

#[tokio::test]
async fn a_campaign_cannot_take_an_address_that_mariposa_uses_itself() {
    let app = spawn_app().await;
    let (staff, csrf) = app.signed_in_staff().await;

    let refused = create_campaign(&app, &staff, &csrf, &[("slug", "new")]).await;

    assert_eq!(refused.status().as_u16(), 422);
    let page = refused.text().await.expect("body");
    assert!(page.contains("is used by Mariposa itself"), "{page}");
    let output = app.cli(
        &["campaign", "create", "admin", "--title", "Administración"],
        "",
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("is used by Mariposa itself"), "{stderr}");
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM campaigns WHERE slug IN ('new', 'admin')"),
        0
    );
}

#[tokio::test]
async fn staff_can_send_a_signer_who_lost_the_email_a_new_link_and_it_is_audited() {
    let app = spawn_app().await;
    app.sign(&signer("lucia@example.org")).await;
    let first = app.mail.wait_for("lucia@example.org", 1).await[0].confirmation_link();
    let (staff, csrf) = app.signed_in_staff().await;

    let response = staff
        .post(app.url(&format!("/admin/campaigns/{DEMO}/resend-confirmation")))
        .form(&[("email", "LUCIA@Example.org"), ("csrf_token", &csrf)])
        .send()
        .await
        .expect("POST request");

    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("A new confirmation email is on its way")
    );
    let emails = app.mail.wait_for("lucia@example.org", 2).await;
    let second = emails[1].confirmation_link();
    assert_ne!(second, first, "a new link");
    let confirmed = app.post_form(&second.replace(&app.address, ""), &[]).await;
    assert_eq!(confirmed.status().as_u16(), 303);
    assert_eq!(app.count_becomes(1).await, 1);

    let audit = app.page_as(&staff, "/admin/audit").await;
    assert!(audit.contains("confirmation_resent"), "{audit}");
    assert!(audit.contains("outcome=queued"), "{audit}");
    assert!(
        !audit.to_lowercase().contains("lucia@example.org"),
        "no address in the log"
    );
}

#[tokio::test]
async fn resending_tells_staff_what_it_found_and_outsiders_nothing() {
    let app = spawn_app().await;
    app.sign_and_confirm("ana@example.org").await;
    let (staff, csrf) = app.signed_in_staff().await;
    let resend = |client: reqwest::Client, email: &'static str, csrf: String| {
        let url = app.url(&format!("/admin/campaigns/{DEMO}/resend-confirmation"));
        async move {
            let response = client
                .post(url)
                .form(&[("email", email), ("csrf_token", &csrf)])
                .send()
                .await
                .expect("POST request");
            let status = response.status().as_u16();
            (status, response.text().await.expect("body"))
        }
    };

    let (status, page) = resend(staff.clone(), "ana@example.org", csrf.clone()).await;
    assert_eq!(status, 200);
    assert!(page.contains("has already confirmed"), "{page}");
    let (status, page) = resend(staff.clone(), "nadie@example.org", csrf.clone()).await;
    assert_eq!(status, 404);
    assert!(page.contains("No signature on this campaign"), "{page}");

    let outsider = app.staff_client();
    let signed = resend(outsider.clone(), "ana@example.org", String::new()).await;
    let never_signed = resend(outsider, "nadie@example.org", String::new()).await;
    assert_eq!(signed, never_signed, "the same answer whoever signed");
    assert!(signed.0 >= 300, "refused: {}", signed.0);

    let audit = app.page_as(&staff, "/admin/audit").await;
    assert!(audit.contains("outcome=already_confirmed"), "{audit}");
    assert!(audit.contains("outcome=not_found"), "{audit}");
    assert_eq!(
        app.mail.emails_to("ana@example.org").len(),
        1,
        "nothing sent"
    );
}
