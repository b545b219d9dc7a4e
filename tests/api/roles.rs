//! Staff roles: every staff route is checked on the server against the role of whoever asks,
//! and each role's pages offer only what it may do.

use mariposa::domain::{Role, StaffAccess};
use mariposa::routes::admin::{Access, route_table};

use crate::helpers::{DEMO, TestApp, hidden_value, spawn_app};

const PASSWORD: &str = "a long staff password";
/// The sentence of a refusal by role, in English.
const REFUSED: &str = "does not allow this";
/// A second campaign, which the data-entry account is not given.
const OTHER: &str = "otra-causa";

/// A staff account made with the real command, signed in: its client and CSRF token.
async fn staff_as(
    app: &TestApp,
    email: &str,
    role: &str,
    campaigns: &[&str],
) -> (reqwest::Client, String) {
    let mut args = vec!["admin", "create", email, "--role", role];
    for campaign in campaigns {
        args.extend(["--campaign", campaign]);
    }
    let created = app.cli(&args, &format!("{PASSWORD}\n"));
    assert!(created.status.success(), "{created:?}");
    let client = app.staff_client();
    let response = app.login(&client, email, PASSWORD).await;
    assert_eq!(response.status().as_u16(), 303, "{email} signs in");
    let page = app.page_as(&client, "/admin/campaigns").await;
    (client, hidden_value(&page, "csrf_token"))
}

/// A team with one account of each role; the data-entry account has the demo campaign only.
async fn team(app: &TestApp) -> Vec<(Role, reqwest::Client, String)> {
    let created = app.cli(&["campaign", "create", OTHER, "--title", "Otra causa"], "");
    assert!(created.status.success(), "{created:?}");
    let mut team = Vec::new();
    for (role, email, campaigns) in [
        (Role::Owner, "ana@example.org", &[][..]),
        (Role::Campaigner, "luis@example.org", &[][..]),
        (Role::DataEntry, "rosa@example.org", &[DEMO][..]),
        (Role::Viewer, "tere@example.org", &[][..]),
    ] {
        let (client, csrf) = staff_as(app, email, role.code(), campaigns).await;
        team.push((role, client, csrf));
    }
    team
}

/// A route's path with its parameters filled in: the demo campaign, and ids that may or
/// may not exist (a missing one is a 404, which is not a refusal).
fn concrete(path: &str, slug: &str) -> String {
    path.replace("{slug}", slug)
        .replace("{id}", "1")
        .replace("{event}", "1")
}

async fn request(
    app: &TestApp,
    client: &reqwest::Client,
    csrf: &str,
    method: &actix_web::http::Method,
    path: &str,
) -> (u16, String) {
    let response = if method == actix_web::http::Method::GET {
        client.get(app.url(path)).send().await
    } else {
        client
            .post(app.url(path))
            .form(&[("csrf_token", csrf)])
            .send()
            .await
    }
    .expect("request");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

#[tokio::test]
async fn every_staff_route_answers_each_role_as_its_permission_says() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let routes = route_table();
    assert!(routes.len() > 50, "the table is the router's own");
    let mut refusals = 0;
    for route in &routes {
        let permission = match route.access {
            Access::Staff(permission) | Access::StaffOrToken(permission) => permission,
            // Signing in and out, and choosing a language, are for everyone.
            Access::Open | Access::SignedIn => continue,
        };
        for (role, client, csrf) in &team {
            let access = match role {
                Role::DataEntry => StaffAccess::new(*role, vec![DEMO.to_owned()]),
                _ => StaffAccess::new(*role, Vec::new()),
            }
            .expect("a valid access");
            let path = concrete(&route.path, DEMO);
            let (status, body) = request(&app, client, csrf, &route.method, &path).await;
            let cell = format!("{role:?} {} {path}: {status}", route.method);
            if access.may(permission, route.path.contains("{slug}").then_some(DEMO)) {
                assert!(status != 403 && status != 401 && status < 500, "{cell}");
            } else {
                assert_eq!(status, 403, "{cell}");
                assert!(body.contains(REFUSED), "{cell}: {body}");
                refusals += 1;
            }
        }
    }
    assert!(refusals > 40, "{refusals} refusals");
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'access_refused'"),
        refusals,
        "every refusal is audited"
    );
}

#[tokio::test]
async fn api_tokens_reach_the_exports_their_role_allows() {
    let app = spawn_app().await;
    let _owner = staff_as(&app, "ana@example.org", "owner", &[]).await;
    for role in Role::ALL {
        let created = app.cli(&["token", "create", role.code(), "--role", role.code()], "");
        assert!(created.status.success(), "{created:?}");
        let token = String::from_utf8_lossy(&created.stdout).trim().to_owned();
        for route in route_table() {
            let Access::StaffOrToken(permission) = route.access else {
                continue;
            };
            let path = concrete(&route.path, DEMO);
            let status = app
                .client
                .get(app.url(&path))
                .bearer_auth(&token)
                .send()
                .await
                .expect("request")
                .status()
                .as_u16();
            let expected = if role.may(permission) { 200 } else { 403 };
            assert_eq!(status, expected, "{role:?} token on {path}");
        }
    }
}

#[tokio::test]
async fn a_data_entry_account_gets_no_csv_and_sees_no_signers_email() {
    let app = spawn_app().await;
    app.sign_and_confirm("lucia.fernandez@example.org").await;
    let team = team(&app).await;
    let (_, campaigner, campaigner_csrf) = &team[1];
    let (_, volunteer, volunteer_csrf) = &team[2];
    let batch = campaigner
        .post(app.url(&format!("/admin/campaigns/{DEMO}/paper")))
        .form(&[
            ("name", "Marcha del 26"),
            ("place", "Reforma"),
            ("csrf_token", campaigner_csrf.as_str()),
        ])
        .send()
        .await
        .expect("a batch");
    assert_eq!(batch.status().as_u16(), 303);
    let batch_path = batch.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();

    for route in route_table() {
        if route.method != actix_web::http::Method::GET || route.access == Access::Open {
            continue;
        }
        let path = concrete(&route.path, DEMO);
        let (status, body) = request(&app, volunteer, volunteer_csrf, &route.method, &path).await;
        if path.ends_with(".csv") {
            assert_eq!(status, 403, "{path}");
        }
        assert!(!body.contains("lucia.fernandez@example.org"), "{path}");
    }
    let batches = app
        .page_as(volunteer, &format!("/admin/campaigns/{DEMO}/paper"))
        .await;
    assert!(
        !batches.contains("Marcha del 26"),
        "the list holds only the batches it typed"
    );
    let (status, _) = request(
        &app,
        volunteer,
        volunteer_csrf,
        &actix_web::http::Method::GET,
        &batch_path,
    )
    .await;
    assert_eq!(
        status, 404,
        "a batch someone else typed is not there for data entry"
    );
    let (status, body) = request(
        &app,
        volunteer,
        volunteer_csrf,
        &actix_web::http::Method::GET,
        &format!("/admin/campaigns/{OTHER}/paper"),
    )
    .await;
    assert_eq!(status, 403, "only its named campaigns");
    assert!(body.contains(REFUSED));
    let list = app.page_as(volunteer, "/admin/campaigns").await;
    assert!(list.contains(&format!("/admin/campaigns/{DEMO}/paper")));
    assert!(
        !list.contains(OTHER),
        "the campaign list holds its campaigns only"
    );
    assert!(!list.contains("counts.csv"));
}

#[tokio::test]
async fn a_viewers_dashboard_has_counts_and_no_emails() {
    let app = spawn_app().await;
    app.sign_and_confirm("lucia.fernandez@example.org").await;
    let team = team(&app).await;
    let (_, viewer, _) = &team[3];
    let dashboard = app
        .page_as(viewer, &format!("/admin/campaigns/{DEMO}"))
        .await;
    assert!(dashboard.contains("Confirmed of all signed"), "{dashboard}");
    assert!(!dashboard.contains("lucia.fernandez@example.org"));
    for hidden in [
        "signatures.csv",
        "delivery.pdf",
        "delivery-manifest.csv",
        "/paper",
        "/review",
        "/updates",
        "/edit",
        "resend-confirmation",
        "/admin/tokens",
        "/admin/erase",
        "/admin/audit",
        "/admin/staff",
    ] {
        assert!(!dashboard.contains(hidden), "a viewer is offered {hidden}");
    }
    let (_, owner, _) = &team[0];
    let owners_view = app
        .page_as(owner, &format!("/admin/campaigns/{DEMO}"))
        .await;
    for shown in [
        "signatures.csv",
        "delivery.pdf",
        "/admin/staff",
        "/admin/erase",
    ] {
        assert!(owners_view.contains(shown), "an owner is offered {shown}");
    }
}

#[tokio::test]
async fn the_last_owner_cannot_be_demoted() {
    let app = spawn_app().await;
    let (owner, csrf) = staff_as(&app, "ana@example.org", "owner", &[]).await;
    let id = app.query_count("SELECT id AS n FROM staff WHERE email = 'ana@example.org'");
    let demote = |role: &'static str| {
        owner
            .post(app.url(&format!("/admin/staff/{id}/role")))
            .form(&[("role", role), ("campaigns", ""), ("csrf_token", &csrf)])
            .send()
    };
    let refused = demote("viewer").await.expect("request");
    assert_eq!(refused.status().as_u16(), 409);
    assert!(
        refused
            .text()
            .await
            .expect("body")
            .contains("This is the last owner")
    );
    let by_cli = app.cli(&["admin", "role", "ana@example.org", "viewer"], "");
    assert!(!by_cli.status.success());
    assert!(String::from_utf8_lossy(&by_cli.stderr).contains("last owner"));
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM staff WHERE role = 'owner'"),
        1
    );
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'staff_role_refused'"),
        2,
        "both refusals are audited"
    );

    let first = app.cli(
        &["admin", "create", "luis@example.org", "--role", "viewer"],
        &format!("{PASSWORD}\n"),
    );
    assert!(first.status.success(), "{first:?}");
    let promoted = app.cli(&["admin", "role", "luis@example.org", "owner"], "");
    assert!(promoted.status.success(), "{promoted:?}");
    assert_eq!(
        demote("campaigner")
            .await
            .expect("request")
            .status()
            .as_u16(),
        303
    );
    assert_eq!(
        app.query_count(
            "SELECT COUNT(*) AS n FROM staff WHERE email = 'ana@example.org' AND role = 'campaigner'"
        ),
        1,
        "with another owner, the first may step down"
    );
    let refused = app.page_as(&owner, "/admin/staff").await;
    assert!(
        refused.contains(REFUSED),
        "a campaigner does not manage staff"
    );
}

#[tokio::test]
async fn a_token_cannot_outrank_its_creator() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let (_, campaigner, csrf) = &team[1];
    let create = |role: &'static str| {
        campaigner
            .post(app.url("/admin/tokens"))
            .form(&[("name", "nightly"), ("role", role), ("csrf_token", csrf)])
            .send()
    };
    let refused = create("owner").await.expect("request");
    assert_eq!(refused.status().as_u16(), 403);
    assert!(
        refused
            .text()
            .await
            .expect("body")
            .contains("cannot do more than you can")
    );
    assert_eq!(app.query_count("SELECT COUNT(*) AS n FROM api_tokens"), 0);

    let made = create("viewer").await.expect("request");
    assert_eq!(made.status().as_u16(), 200);
    let token = crate::helpers::shown_token(&made.text().await.expect("body"));
    let get = |path: String| app.client.get(app.url(&path)).bearer_auth(&token).send();
    assert_eq!(
        get("/admin/counts.csv".into())
            .await
            .expect("counts")
            .status()
            .as_u16(),
        200
    );
    let signatures = get(format!("/admin/campaigns/{DEMO}/signatures.csv"))
        .await
        .expect("signatures");
    assert_eq!(
        signatures.status().as_u16(),
        403,
        "a viewer's token has no signers"
    );

    let (limited, limited_csrf) = staff_as(&app, "paco@example.org", "campaigner", &[DEMO]).await;
    let page = limited
        .post(app.url("/admin/tokens"))
        .form(&[
            ("name", "x"),
            ("role", "viewer"),
            ("csrf_token", limited_csrf.as_str()),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(
        page.status().as_u16(),
        403,
        "a token would see every campaign"
    );
}
