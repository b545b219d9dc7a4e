//! Partners: registered by staff, credited for the signatures they bring, and given tokens
//! that count only their own.

use crate::helpers::{DEMO, hidden_value, shown_token, signer, spawn_app, with};

#[tokio::test]
async fn a_partners_token_counts_its_own_signatures_and_exports_no_signer() {
    let app = spawn_app().await;
    let (staff, csrf) = app.signed_in_staff().await;
    let registered = staff
        .post(app.url("/admin/partners"))
        .form(&[
            ("name", "Centro Prodh"),
            ("code", "centro-prodh"),
            ("website", "https://centroprodh.org.mx"),
            ("csrf_token", csrf.as_str()),
        ])
        .send()
        .await
        .expect("register");
    assert_eq!(registered.status().as_u16(), 303);
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

    let partner_signer = with(signer("ana@example.org"), "source", "centro-prodh");
    assert_eq!(app.sign(&partner_signer).await.status().as_u16(), 303);
    app.sign_and_confirm_existing("ana@example.org").await;
    app.sign_and_confirm("luis@example.org").await;

    let page = staff
        .post(app.url("/admin/tokens"))
        .form(&[
            ("name", "Centro Prodh export"),
            ("source", "centro-prodh"),
            ("role", "campaigner"),
            ("csrf_token", csrf.as_str()),
        ])
        .send()
        .await
        .expect("create token")
        .text()
        .await
        .expect("body");
    let token = &shown_token(&page);

    // Pending and confirmed, through the partner's form or a link with its code on the
    // campaign's own page: none of these signers agreed to give their details to it.
    let pending = with(signer("eva@example.org"), "source", "centro-prodh");
    assert_eq!(app.sign(&pending).await.status().as_u16(), 303);
    for status in ["confirmed", "pending", "all"] {
        let export = app
            .client
            .get(app.url(&format!(
                "/admin/campaigns/{DEMO}/signatures.csv?status={status}&source=centro-prodh"
            )))
            .bearer_auth(token)
            .header("accept-language", "en")
            .send()
            .await
            .expect("export");
        assert_eq!(export.status().as_u16(), 403, "{status}");
        let body = export.text().await.expect("body");
        assert!(
            body.contains("A partner's token gives counts only"),
            "{body}"
        );
        for email in ["ana@example.org", "eva@example.org", "luis@example.org"] {
            assert!(!body.contains(email), "{status}: {email}");
        }
    }
    let counts = app
        .client
        .get(app.url("/admin/counts.csv?by=campaign,source"))
        .bearer_auth(token)
        .send()
        .await
        .expect("counts")
        .text()
        .await
        .expect("body");
    assert!(counts.contains("\"centro-prodh\",\"1\",\"1\""), "{counts}");
    assert!(!counts.contains("@"), "no personal data: {counts}");
    assert_eq!(
        counts.trim_end().lines().count(),
        2,
        "only the partner's own row: {counts}"
    );
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
