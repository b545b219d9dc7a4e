//! Partners: registered by staff, credited for the signatures they bring, and given tokens
//! and a page that count only their own and show only the signers who agreed to hear from
//! them.

use crate::helpers::{DEMO, TestApp, hidden_value, shown_token, signer, spawn_app, with};

/// Registers a partner as staff do.
async fn register(app: &TestApp, staff: &reqwest::Client, csrf: &str, name: &str, code: &str) {
    let registered = staff
        .post(app.url("/admin/partners"))
        .form(&[("name", name), ("code", code), ("csrf_token", csrf)])
        .send()
        .await
        .expect("register");
    assert_eq!(registered.status().as_u16(), 303);
}

/// A token scoped to a partner's source, as staff create it.
async fn partner_token(app: &TestApp, staff: &reqwest::Client, csrf: &str, code: &str) -> String {
    let page = staff
        .post(app.url("/admin/tokens"))
        .form(&[
            ("name", code),
            ("source", code),
            ("role", "campaigner"),
            ("csrf_token", csrf),
        ])
        .send()
        .await
        .expect("create token")
        .text()
        .await
        .expect("body");
    shown_token(&page)
}

/// The partner's export through its token, as its script fetches it.
async fn token_export(app: &TestApp, token: &str, status: &str) -> String {
    let export = app
        .client
        .get(app.url(&format!(
            "/admin/campaigns/{DEMO}/signatures.csv?status={status}"
        )))
        .bearer_auth(token)
        .send()
        .await
        .expect("export");
    assert_eq!(export.status().as_u16(), 200, "{status}");
    export.text().await.expect("body")
}

/// Signs through a partner's link on the campaign page, ticking the boxes given, and
/// confirms.
async fn sign_through_partner(app: &TestApp, code: &str, email: &str, boxes: &[&'static str]) {
    let (status, page) = app
        .get_text(&format!("/campaigns/{DEMO}?source={code}"))
        .await;
    assert_eq!(status, 200);
    let mut form = with(signer(email), "source", code);
    for name in boxes {
        assert!(
            page.contains(&format!("name=\"{name}\"")),
            "the form has {name}"
        );
        form.push((name, "yes".to_owned()));
    }
    form.push(("csrf_token", hidden_value(&page, "csrf_token")));
    let response = app
        .post_form(&format!("/campaigns/{DEMO}/sign"), &form)
        .await;
    assert_eq!(response.status().as_u16(), 303);
    app.sign_and_confirm_existing(email).await;
}

#[tokio::test]
async fn a_partner_gets_the_details_only_of_signers_who_agreed_to_hear_from_it() {
    let app = spawn_app().await;
    let (staff, csrf) = app.signed_in_staff().await;
    register(&app, &staff, &csrf, "Centro Prodh", "centro-prodh").await;
    let duplicate = staff
        .post(app.url("/admin/partners"))
        .form(&[
            ("name", "Otro"),
            ("code", "centro-prodh"),
            ("csrf_token", csrf.as_str()),
        ])
        .send()
        .await
        .expect("register");
    assert_eq!(duplicate.status().as_u16(), 422);

    // The partner's page asks for each organisation apart, unticked; our own page does not
    // name the partner.
    let (_, page) = app
        .get_text(&format!("/campaigns/{DEMO}?source=centro-prodh&lang=en"))
        .await;
    assert!(page.contains("…and by Centro Prodh"), "{page}");
    for name in ["email_opt_in", "partner_opt_in"] {
        let input = format!("name=\"{name}\" type=\"checkbox\" value=\"yes\">");
        assert!(page.contains(&input), "{name} is there, unticked: {page}");
    }
    let (_, own_page) = app.get_text(&format!("/campaigns/{DEMO}")).await;
    assert!(!own_page.contains("partner_opt_in"));

    sign_through_partner(
        &app,
        "centro-prodh",
        "org-only@example.org",
        &["email_opt_in"],
    )
    .await;
    sign_through_partner(&app, "centro-prodh", "nada@example.org", &[]).await;
    sign_through_partner(
        &app,
        "centro-prodh",
        "both@example.org",
        &["email_opt_in", "partner_opt_in"],
    )
    .await;
    sign_through_partner(
        &app,
        "centro-prodh",
        "partner-only@example.org",
        &["partner_opt_in"],
    )
    .await;
    app.sign_and_confirm("luis@example.org").await;

    let token = partner_token(&app, &staff, &csrf, "centro-prodh").await;
    for status in ["confirmed", "pending", "all"] {
        let export = token_export(&app, &token, status).await;
        for email in [
            "org-only@example.org",
            "nada@example.org",
            "luis@example.org",
        ] {
            assert!(!export.contains(email), "{status}: {email} in {export}");
        }
        let expected = if status == "pending" { 0 } else { 2 };
        assert_eq!(
            export.matches("@example.org").count(),
            expected,
            "{status}: {export}"
        );
    }
    let export = token_export(&app, &token, "confirmed").await;
    assert!(export.contains("both@example.org") && export.contains("partner-only@example.org"));

    // Everyone it brought is counted, consenting or not.
    let counts = app
        .client
        .get(app.url("/admin/counts.csv?by=campaign,source"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("counts")
        .text()
        .await
        .expect("body");
    assert!(counts.contains("\"centro-prodh\",\"4\",\"0\""), "{counts}");
    assert!(!counts.contains("@"), "no personal data: {counts}");

    // Staff see every signer, with the partners each agreed to hear from.
    let staff_export = staff
        .get(app.url(&format!("/admin/campaigns/{DEMO}/signatures.csv")))
        .send()
        .await
        .expect("export")
        .text()
        .await
        .expect("body");
    let row = |email: &str| {
        staff_export
            .lines()
            .find(|line| line.contains(email))
            .unwrap_or_else(|| panic!("{email} in {staff_export}"))
            .to_owned()
    };
    assert!(row("both@example.org").ends_with(",\"centro-prodh\""));
    assert!(row("org-only@example.org").ends_with(",\"\""));
    assert_eq!(staff_export.matches("@example.org").count(), 5);
}

#[tokio::test]
async fn unsubscribing_or_erasure_takes_a_signer_out_of_the_partners_export() {
    let app = spawn_app().await;
    let (staff, csrf) = app.signed_in_staff().await;
    register(&app, &staff, &csrf, "Serapaz", "serapaz").await;
    let both = ["email_opt_in", "partner_opt_in"];
    sign_through_partner(&app, "serapaz", "ana@example.org", &both).await;
    sign_through_partner(&app, "serapaz", "eva@example.org", &both).await;
    let token = partner_token(&app, &staff, &csrf, "serapaz").await;
    let export = token_export(&app, &token, "confirmed").await;
    assert!(export.contains("ana@example.org") && export.contains("eva@example.org"));

    // Ana unsubscribes through the link in the organisation's email: that reaches the partner.
    let unsubscribe = app.mail.emails_to("ana@example.org")[0]
        .header("List-Unsubscribe")
        .expect("a one-click unsubscribe header")
        .trim_matches(['<', '>'])
        .replace(&app.address, "");
    let response = app.post_form(&unsubscribe, &[]).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        app.query_count(
            "SELECT COUNT(*) AS n FROM partner_consents WHERE withdrawn_at IS NOT NULL"
        ),
        1,
        "the withdrawal is on record"
    );
    // Eva asks to be erased.
    let erased = staff
        .post(app.url("/admin/erase"))
        .form(&[
            ("email", "eva@example.org"),
            ("campaign", DEMO),
            ("csrf_token", csrf.as_str()),
        ])
        .send()
        .await
        .expect("erase");
    assert_eq!(erased.status().as_u16(), 200);

    let export = token_export(&app, &token, "all").await;
    assert!(!export.contains("ana@example.org"), "{export}");
    assert!(!export.contains("eva@example.org"), "{export}");
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM partner_consents"),
        1
    );
}

/// Creates a link to a partner's page as staff do, and returns its path.
async fn partner_link(app: &TestApp, staff: &reqwest::Client, csrf: &str, code: &str) -> String {
    let partners = app.page_as(staff, "/admin/partners").await;
    let marker = format!("<td><code>{code}</code>");
    let row = &partners[partners.find(&marker).expect("the partner's row")..];
    let start = row.find("action=\"/admin/partners/").expect("a link form") + "action=\"".len();
    let path = &row[start..start + row[start..].find('"').expect("the action ends")];
    let page = staff
        .post(app.url(path))
        .form(&[("csrf_token", csrf)])
        .send()
        .await
        .expect("create link")
        .text()
        .await
        .expect("body");
    let marker = "<code class=\"partner-link\">";
    let start = page.find(marker).expect("the link is shown once") + marker.len();
    let url = &page[start..start + page[start..].find('<').expect("the link ends")];
    url.replace(&app.address, "")
}

#[tokio::test]
async fn a_partners_page_shows_its_own_counts_and_consenting_signers_and_nothing_else() {
    let app = spawn_app().await;
    let (staff, csrf) = app.signed_in_staff().await;
    register(&app, &staff, &csrf, "Centro Prodh", "centro-prodh").await;
    register(&app, &staff, &csrf, "Serapaz", "serapaz").await;
    let both = ["email_opt_in", "partner_opt_in"];
    sign_through_partner(&app, "centro-prodh", "ana@example.org", &both).await;
    sign_through_partner(&app, "centro-prodh", "luis@example.org", &["email_opt_in"]).await;
    sign_through_partner(&app, "serapaz", "eva@example.org", &both).await;

    let link = partner_link(&app, &staff, &csrf, "centro-prodh").await;
    let response = app.get(&format!("{link}?lang=en")).await;
    assert_eq!(response.status().as_u16(), 200);
    let headers = response.headers();
    assert_eq!(headers["x-robots-tag"], "noindex, nofollow");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    let page = response.text().await.expect("body");
    assert!(page.contains("Centro Prodh"));
    assert!(
        !page.contains("Serapaz") && !page.contains("serapaz"),
        "{page}"
    );
    assert!(
        page.contains("data-source=&#34;centro-prodh&#34;")
            || page.contains("data-source=&quot;centro-prodh&quot;"),
        "its snippet: {page}"
    );
    assert!(
        page.contains("<td>2</td>"),
        "two online signatures today: {page}"
    );
    assert!(!page.contains("@example.org"));

    let export = app
        .get(&format!("{link}/campaigns/{DEMO}/signatures.csv"))
        .await;
    assert_eq!(export.status().as_u16(), 200);
    let export = export.text().await.expect("body");
    assert!(export.contains("ana@example.org"), "{export}");
    assert!(!export.contains("luis@example.org"), "{export}");
    assert!(!export.contains("eva@example.org"), "{export}");
    assert!(!export.contains("serapaz"), "{export}");

    // Revoked, the link opens nothing, and a made-up one neither.
    let partners = app.page_as(&staff, "/admin/partners").await;
    let marker = "action=\"/admin/partners/links/";
    let start = partners.find(marker).expect("a revoke form") + "action=\"".len();
    let revoke = &partners[start..start + partners[start..].find('"').expect("ends")];
    let revoked = staff
        .post(app.url(revoke))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .expect("revoke");
    assert_eq!(revoked.status().as_u16(), 303);
    for path in [
        link.clone(),
        format!("{link}/campaigns/{DEMO}/signatures.csv"),
        "/partner/not-a-token".to_owned(),
    ] {
        let response = app.get(&path).await;
        assert_eq!(response.status().as_u16(), 404, "{path}");
        assert_eq!(response.headers()["x-robots-tag"], "noindex, nofollow");
    }
}

#[tokio::test]
async fn the_dashboard_offers_both_snippets_for_each_partner() {
    let app = spawn_app().await;
    let (staff, csrf) = app.signed_in_staff().await;
    staff
        .post(app.url("/admin/partners"))
        .form(&[
            ("name", "Serapaz"),
            ("code", "serapaz"),
            ("csrf_token", csrf.as_str()),
        ])
        .send()
        .await
        .expect("register");

    let dashboard = app
        .page_as(&staff, &format!("/admin/campaigns/{DEMO}"))
        .await;

    let script = format!(
        "&lt;script src=&quot;{}/embed.js&quot; data-campaign=&quot;{DEMO}&quot; data-source=&quot;serapaz&quot;",
        app.address
    );
    let escaped = |s: &str| {
        s.replace('"', "&#34;")
            .replace('<', "&#60;")
            .replace('>', "&#62;")
    };
    assert!(
        dashboard.contains(&script)
            || dashboard.contains(&escaped(&format!(
                "<script src=\"{}/embed.js\" data-campaign=\"{DEMO}\" data-source=\"serapaz\"",
                app.address
            ))),
        "the script snippet for the partner, ready to copy"
    );
    assert!(
        dashboard.contains(&format!("/embed/{DEMO}?source=serapaz&amp;lang=es"))
            || dashboard.contains(&format!("/embed/{DEMO}?source=serapaz&#38;lang=es"))
    );
    assert!(hidden_value(&dashboard, "csrf_token").len() == 64);
}

/// Signs through the page at `page_path`, as a browser does: with the form as the page
/// has it, and the page's address in `Referer`.
async fn sign_through(app: &crate::helpers::TestApp, page_path: &str, email: &str) {
    let (status, page) = app.get_text(page_path).await;
    assert_eq!(status, 200);
    let mut form = signer(email);
    form.push(("source", hidden_value(&page, "source")));
    form.push(("csrf_token", hidden_value(&page, "csrf_token")));
    let response = app
        .client
        .post(app.url(&format!("/campaigns/{DEMO}/sign")))
        .header("referer", app.url(page_path))
        .form(&form)
        .send()
        .await
        .expect("sign");
    assert_eq!(response.status().as_u16(), 303, "{page_path}");
}

#[tokio::test]
async fn a_new_source_in_a_link_is_attributed_without_a_page_of_its_own() {
    let app = spawn_app().await;
    let (staff, csrf) = app.signed_in_staff().await;
    let registered = staff
        .post(app.url("/admin/partners"))
        .form(&[
            ("name", "Centro Prodh"),
            ("code", "centro-prodh"),
            ("csrf_token", csrf.as_str()),
        ])
        .send()
        .await
        .expect("register");
    assert_eq!(registered.status().as_u16(), 303);

    // A partner's link has a page of its own, carrying its code in the form.
    let (_, partners_page) = app
        .get_text(&format!("/campaigns/{DEMO}?source=centro-prodh"))
        .await;
    assert_eq!(hidden_value(&partners_page, "source"), "centro-prodh");
    // Any other value is the page without one, however many there are.
    for n in 0..40 {
        let (_, page) = app
            .get_text(&format!("/campaigns/{DEMO}?source=newsletter-{n}"))
            .await;
        assert_eq!(hidden_value(&page, "source"), "", "newsletter-{n}");
    }

    sign_through(
        &app,
        &format!("/campaigns/{DEMO}?source=centro-prodh"),
        "ana@example.org",
    )
    .await;
    sign_through(
        &app,
        &format!("/campaigns/{DEMO}?source=Newsletter-7"),
        "eva@example.org",
    )
    .await;
    sign_through(
        &app,
        &format!("/embed/{DEMO}?source=radio.ayotzi"),
        "luis@example.org",
    )
    .await;
    sign_through(&app, &format!("/campaigns/{DEMO}"), "sin@example.org").await;

    let export = staff
        .get(app.url(&format!(
            "/admin/campaigns/{DEMO}/signatures.csv?status=all"
        )))
        .send()
        .await
        .expect("export")
        .text()
        .await
        .expect("body");
    let source_of = |email: &str| {
        let row = export
            .lines()
            .find(|line| line.contains(email))
            .unwrap_or_else(|| panic!("{email} in {export}"));
        ["centro-prodh", "newsletter-7", "radio.ayotzi"]
            .into_iter()
            .find(|source| row.contains(&format!("\"{source}\"")))
    };
    assert_eq!(source_of("ana@example.org"), Some("centro-prodh"));
    assert_eq!(source_of("eva@example.org"), Some("newsletter-7"));
    assert_eq!(source_of("luis@example.org"), Some("radio.ayotzi"));
    assert_eq!(source_of("sin@example.org"), None);
}
