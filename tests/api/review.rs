//! The review of a campaign's signatures: a wave of fake signatures is seen, previewed,
//! taken out of every count with a record of why, and put back by an undo; "this wasn't
//! me" links; and what is kept of where signatures came from.

use std::time::{Duration, Instant};

use futures_util::{StreamExt, stream};

use crate::documents::{pdf_text, sha256_hex};
use crate::helpers::{
    DEMO, Options, TestApp, hidden_value, postgres_server, signer, spawn_app_with, with,
};

/// Signs from `address`, as the trusted proxy in front of the app reports it.
async fn sign_from(app: &TestApp, token: &str, email: &str, address: &str) {
    let mut form = with(signer(email), "first_name", "Ana");
    form.push(("csrf_token", token.to_owned()));
    let response = app
        .client
        .post(app.url(&format!("/campaigns/{DEMO}/sign")))
        .header("x-forwarded-for", address)
        .form(&form)
        .send()
        .await
        .expect("POST request");
    assert_eq!(response.status().as_u16(), 303, "{email} signed");
}

/// Confirms every signature through the link in its email.
async fn confirm_all(app: &TestApp, emails: &[String]) {
    stream::iter(emails)
        .for_each_concurrent(16, |email| async move {
            app.sign_and_confirm_existing(email).await;
        })
        .await;
}

/// Signs `emails` from `addresses` (one each, in turn), sixteen at a time, and confirms them.
async fn wave(app: &TestApp, emails: &[String], addresses: &[String]) {
    let token = app.form_token(DEMO).await;
    let token = &token;
    stream::iter(emails.iter().zip(addresses.iter().cycle()))
        .for_each_concurrent(16, |(email, address)| async move {
            sign_from(app, token, email, address).await;
        })
        .await;
    confirm_all(app, emails).await;
}

fn review_app() -> Options {
    Options {
        trusted_proxies: "127.0.0.1",
        ..Options::default()
    }
}

/// The number the preview of `query` counts.
async fn preview(app: &TestApp, staff: &reqwest::Client, query: &str) -> i64 {
    let page = app
        .page_as(staff, &format!("/admin/campaigns/{DEMO}/review?{query}"))
        .await;
    let marker = "data-count=\"";
    let start = page.find(marker).expect("a preview count") + marker.len();
    page[start..]
        .split('"')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a number")
}

/// Waits until no invalidation is running.
async fn invalidations_settle(app: &TestApp) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while app.query_count("SELECT COUNT(*) AS n FROM invalidations WHERE finished_at IS NULL") > 0 {
        assert!(Instant::now() < deadline, "the invalidation finishes");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The counts CSV's confirmed signatures of the campaign.
async fn counts_csv(app: &TestApp, staff: &reqwest::Client) -> i64 {
    let body = staff
        .get(app.url("/admin/counts.csv"))
        .send()
        .await
        .expect("export")
        .bytes()
        .await
        .expect("body");
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(&body[3..])
        .records()
        .collect::<Result<_, _>>()
        .expect("valid CSV");
    rows.iter()
        .find(|row| &row[0] == DEMO)
        .map_or(0, |row| row[1].parse().expect("a number"))
}

/// The delivery manifest: its signer rows, its invalidation rows, and whether the pack's
/// PDF names its checksum.
async fn delivery(app: &TestApp, staff: &reqwest::Client) -> (usize, Vec<Vec<String>>, bool) {
    let manifest = staff
        .get(app.url(&format!("/admin/campaigns/{DEMO}/delivery-manifest.csv")))
        .send()
        .await
        .expect("manifest")
        .bytes()
        .await
        .expect("body");
    let text = String::from_utf8_lossy(&manifest).into_owned();
    let (signers, invalidations) = match text.split_once("\r\n\r\n") {
        Some((signers, invalidations)) => (signers.to_owned(), invalidations.to_owned()),
        None => (text.clone(), String::new()),
    };
    let signer_rows = signers.trim_end().lines().count() - 1;
    let invalidation_rows = invalidations
        .lines()
        .skip(1)
        .map(|line| line.split(',').map(str::to_owned).collect())
        .collect();
    let pack = staff
        .get(app.url(&format!("/admin/campaigns/{DEMO}/delivery.pdf")))
        .send()
        .await
        .expect("pack");
    assert_eq!(pack.status().as_u16(), 200);
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = dir.path().join("pack.pdf");
    std::fs::write(&pdf, pack.bytes().await.expect("body")).expect("save");
    let agrees = pdf_text(&pdf).contains(&sha256_hex(&manifest));
    (signer_rows, invalidation_rows, agrees)
}

#[tokio::test]
async fn a_wave_is_seen_previewed_invalidated_exactly_and_undone() {
    let app = spawn_app_with(review_app()).await;
    let (staff, csrf) = app.signed_in_staff().await;
    // Ordinary signing: forty people, each on a domain and a network of their own.
    let background: Vec<String> = (0..40)
        .map(|i| format!("persona{i}@dominio{i}.example"))
        .collect();
    let homes: Vec<String> = (0..40).map(|i| format!("198.51.{i}.10")).collect();
    for (email, home) in background.iter().zip(&homes) {
        wave(
            &app,
            std::slice::from_ref(email),
            std::slice::from_ref(home),
        )
        .await;
    }
    // The wave: 300 signatures from one domain and two networks, within minutes.
    let bots: Vec<String> = (0..300).map(|i| format!("bot{i}@oleada.example")).collect();
    let farms = [
        "203.0.113.7".to_owned(),
        "2001:db8:77::9".to_owned(),
        "203.0.113.200".to_owned(),
        "2001:db8:77:ffff::1".to_owned(),
    ];
    wave(&app, &bots, &farms).await;
    assert_eq!(app.count_becomes(340).await, 340);

    let page = app
        .page_as(&staff, &format!("/admin/campaigns/{DEMO}/review"))
        .await;
    let unusual = &page[page.find("review-trends").expect("unusual rows")..];
    let unusual = &unusual[..unusual.find("</table>").expect("the table ends")];
    assert!(unusual.contains(">oleada.example</a>"), "{unusual}");
    assert!(
        !unusual.contains("dominio"),
        "ordinary signing is not unusual"
    );
    let mut networks: Vec<&str> = unusual
        .split("class=\"trend-value\"")
        .skip(1)
        .filter_map(|row| row.split('>').nth(1)?.split('<').next())
        .filter(|value| value.len() == 32 && value.bytes().all(|b| b.is_ascii_hexdigit()))
        .collect();
    networks.sort_unstable();
    networks.dedup();
    assert_eq!(networks.len(), 2, "both networks are unusual: {unusual}");

    assert_eq!(preview(&app, &staff, "domain=oleada.example").await, 300);
    assert_eq!(preview(&app, &staff, "network=203.0.113.0%2F24").await, 150);
    assert_eq!(preview(&app, &staff, "network=2001:db8:77::1").await, 150);
    assert_eq!(
        preview(&app, &staff, &format!("network={}", networks[0])).await,
        150
    );
    assert_eq!(
        preview(&app, &staff, "name=ana*&domain=oleada.example").await,
        300
    );

    let invalidate = staff
        .post(app.url(&format!("/admin/campaigns/{DEMO}/review/invalidate")))
        .form(&[
            ("domain", "oleada.example"),
            ("reason", "Oleada de bots del 7 de diciembre"),
            // The wave is most of this young campaign: its number is typed back.
            ("confirm_count", "300"),
            ("csrf_token", &csrf),
        ])
        .send()
        .await
        .expect("invalidate");
    assert_eq!(invalidate.status().as_u16(), 303);
    invalidations_settle(&app).await;

    assert_eq!(app.count_becomes(40).await, 40, "the public count");
    assert_eq!(counts_csv(&app, &staff).await, 40, "the counts CSV");
    let (signers, invalidations, agrees) = delivery(&app, &staff).await;
    assert_eq!(signers, 40, "the delivery pack lists the others");
    assert_eq!(invalidations.len(), 1);
    assert_eq!(invalidations[0][1], "Oleada de bots del 7 de diciembre");
    assert_eq!(invalidations[0][2], "300");
    assert!(agrees, "the pack names the manifest's checksum");
    let export = app
        .page_as(&staff, &format!("/admin/campaigns/{DEMO}/signatures.csv"))
        .await;
    let marked = export
        .lines()
        // The invalidation column, followed by the empty partner consents of these signers.
        .filter(|line| line.contains("oleada.example") && !line.ends_with(",\"\",\"\""))
        .count();
    assert_eq!(marked, 300, "the signature export marks them");
    let page = app
        .page_as(&staff, &format!("/admin/campaigns/{DEMO}/review"))
        .await;
    assert!(page.contains("<td class=\"affected\">300</td>"), "{page}");
    let audit = app.page_as(&staff, "/admin/audit").await;
    assert!(audit.contains("signatures_invalidated"));

    let id = app.query_count("SELECT MAX(id) AS n FROM invalidations");
    let undo = staff
        .post(app.url(&format!("/admin/campaigns/{DEMO}/review/{id}/undo")))
        .form(&[("csrf_token", &csrf)])
        .send()
        .await
        .expect("undo");
    assert_eq!(undo.status().as_u16(), 303);
    invalidations_settle(&app).await;

    assert_eq!(app.count_becomes(340).await, 340);
    assert_eq!(counts_csv(&app, &staff).await, 340);
    let (signers, invalidations, agrees) = delivery(&app, &staff).await;
    assert_eq!((signers, invalidations.len(), agrees), (340, 0, true));
    let audit = app.page_as(&staff, "/admin/audit").await;
    assert!(audit.contains("invalidation_undone"));
}

#[tokio::test]
async fn a_set_that_takes_most_of_the_campaign_needs_its_number_typed_back() {
    let app = spawn_app_with(review_app()).await;
    let (staff, csrf) = app.signed_in_staff().await;
    let emails: Vec<String> = (0..3).map(|i| format!("p{i}@ejemplo.example")).collect();
    wave(&app, &emails, &["192.0.2.1".to_owned()]).await;
    let invalidate = |confirm: &'static str| {
        let staff = staff.clone();
        let (url, csrf) = (
            app.url(&format!("/admin/campaigns/{DEMO}/review/invalidate")),
            csrf.clone(),
        );
        async move {
            staff
                .post(url)
                .form(&[
                    ("domain", "ejemplo.example"),
                    ("reason", "prueba"),
                    ("confirm_count", confirm),
                    ("csrf_token", &csrf),
                ])
                .send()
                .await
                .expect("invalidate")
        }
    };

    let refused = invalidate("").await;
    assert_eq!(refused.status().as_u16(), 409);
    let page = refused.text().await.expect("body");
    assert!(page.contains("type 3 to confirm"), "{page}");
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM invalidations"),
        0
    );
    assert_eq!(invalidate("2").await.status().as_u16(), 409);

    assert_eq!(invalidate("3").await.status().as_u16(), 303);
    invalidations_settle(&app).await;
    assert_eq!(app.count_becomes(0).await, 0);
}

#[tokio::test]
async fn overlapping_invalidations_on_two_servers_count_each_signature_once() {
    let first = spawn_app_with(review_app()).await;
    let second = spawn_app_with(Options {
        database_url: Some(first.database_url.clone()),
        ..review_app()
    })
    .await;
    let (staff_one, csrf_one) = first.signed_in_staff().await;
    let staff_two = second.staff_client();
    let signed_in = second
        .login(&staff_two, "ana@example.org", "a long staff password")
        .await;
    assert_eq!(signed_in.status().as_u16(), 303);
    let csrf_two = hidden_value(
        &second.page_as(&staff_two, "/admin/tokens").await,
        "csrf_token",
    );
    // Even and odd halves of 16,000 named "B C", beside 20,000 others: neither set takes
    // most of the campaign, so neither asks for its number to be typed back. Eight batches
    // each, run by both servers at once.
    let emails: Vec<String> = (0..36000)
        .map(|i| match i {
            0..16000 if i % 2 == 0 => format!("b{i}@par.example"),
            0..16000 => format!("b{i}@impar.example"),
            _ => format!("z{i}@otro.example"),
        })
        .collect();
    // Written straight to the database: the point is the invalidations, not the signing.
    let values: Vec<String> = emails
        .iter()
        .map(|email| {
            let domain = email.rsplit('@').next().expect("a domain");
            let first = if domain == "otro.example" { "Z" } else { "B" };
            format!(
                "(1, '{first}', 'C', '{email}', '{email}', 'MX', TRUE, 'es', 'v', \
                 '2026-12-07 10:00:00', '2026-12-07 10:05:00', '{domain}')"
            )
        })
        .collect();
    first.execute_sql(&format!(
        "INSERT INTO signatures (campaign_id, first_name, last_name, email, email_canonical, \
         country, email_opt_in, lang, consent_version, created_at, confirmed_at, email_domain) \
         VALUES {}",
        values.join(", ")
    ));
    let from = |app: &TestApp, staff: &reqwest::Client, csrf: &str, fields: &[(&str, &str)]| {
        let mut form: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        form.push(("csrf_token".into(), csrf.to_owned()));
        staff
            .post(app.url(&format!("/admin/campaigns/{DEMO}/review/invalidate")))
            .form(&form)
            .send()
    };
    // All of "B C", and the even half of them: each even one is taken by one of the two.
    let (everything, even) = tokio::join!(
        from(
            &first,
            &staff_one,
            &csrf_one,
            &[("reason", "todo"), ("name", "b c")]
        ),
        from(
            &second,
            &staff_two,
            &csrf_two,
            &[("reason", "pares"), ("domain", "par.example")]
        ),
    );
    assert_eq!(everything.expect("first").status().as_u16(), 303);
    assert_eq!(even.expect("second").status().as_u16(), 303);
    invalidations_settle(&first).await;

    assert_eq!(
        first.query_count(
            "SELECT CAST(COALESCE(SUM(affected), 0) AS BIGINT) AS n FROM invalidations"
        ),
        16000,
        "each signature counted once"
    );
    assert_eq!(
        first.query_count("SELECT COUNT(*) AS n FROM signatures WHERE invalidation_id IS NOT NULL"),
        16000
    );
    assert_eq!(first.count_becomes(20000).await, 20000);
}

/// The "this wasn't me" link in an email to `email`.
fn not_me_link(app: &TestApp, email: &str) -> String {
    let text = app.mail.emails_to(email)[0].text();
    let link = text
        .split_whitespace()
        .find(|word| word.contains("/not-me/"))
        .expect("the email has a this-wasn't-me link");
    link.replace(&app.address, "")
}

#[tokio::test]
async fn this_wasnt_me_removes_the_signature_once_and_forged_links_change_nothing() {
    let app = spawn_app_with(review_app()).await;
    wave(
        &app,
        &["ana@example.org".to_owned(), "eva@example.org".to_owned()],
        &["192.0.2.1".to_owned()],
    )
    .await;
    assert_eq!(app.count_becomes(2).await, 2);
    let link = not_me_link(&app, "ana@example.org");

    // A scanner opening the link changes nothing.
    let (status, page) = app.get_text(&link).await;
    assert_eq!(status, 200);
    assert!(page.contains("Remove this signature") || page.contains("Retirar esta firma"));
    assert_eq!(app.count_becomes(2).await, 2);

    // A link made up for another signature, or with its code altered, changes nothing.
    let eva = app.query_count("SELECT id AS n FROM signatures WHERE email = 'eva@example.org'");
    let mac = link.rsplit('/').next().expect("a code");
    for forged in [
        format!("/not-me/{eva}/{mac}"),
        format!(
            "{}{}",
            &link[..link.len() - 1],
            if link.ends_with('0') { '1' } else { '0' }
        ),
        "/not-me/abc/def".to_owned(),
    ] {
        let response = app.post_form(&forged, &[]).await;
        assert_eq!(response.status().as_u16(), 404, "{forged}");
    }
    assert_eq!(app.stored_signatures(), 2);

    let response = app.post_form(&link, &[]).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(app.count_becomes(1).await, 1);
    assert_eq!(
        app.query_count(
            "SELECT COUNT(*) AS n FROM not_me_reports WHERE email_domain = 'example.org'"
        ),
        1
    );

    // Replayed, it finds nothing left to remove.
    let replayed = app.post_form(&link, &[]).await;
    assert_eq!(replayed.status().as_u16(), 404);
    assert_eq!(app.count_becomes(1).await, 1);
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM not_me_reports"),
        1
    );

    let (staff, _) = app.signed_in_staff().await;
    let review = app
        .page_as(&staff, &format!("/admin/campaigns/{DEMO}/review"))
        .await;
    assert!(
        review.contains("<li>example.org: 1</li>"),
        "reports are a signal"
    );
}

#[tokio::test]
async fn throwaway_addresses_are_flagged_or_refused_as_the_campaign_says() {
    let app = spawn_app_with(review_app()).await;
    let (staff, csrf) = app.signed_in_staff().await;
    wave(
        &app,
        &["x@mailinator.com".to_owned()],
        &["192.0.2.1".to_owned()],
    )
    .await;
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM signatures WHERE flagged_at IS NOT NULL"),
        1
    );
    let refuse = staff
        .post(app.url(&format!("/admin/campaigns/{DEMO}/review/throwaway")))
        .form(&[("refuse", "yes"), ("csrf_token", &csrf)])
        .send()
        .await
        .expect("setting");
    assert_eq!(refuse.status().as_u16(), 303);

    let token = app.form_token(DEMO).await;
    let mut form = signer("y@bots.yopmail.com");
    form.push(("csrf_token", token));
    let refused = app
        .post_form(&format!("/campaigns/{DEMO}/sign"), &form)
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    let page = refused.text().await.expect("body");
    assert!(
        page.contains("y@bots.yopmail.com"),
        "what was typed is kept"
    );
    assert_eq!(app.stored_signatures(), 1);
}

#[tokio::test]
async fn no_client_address_or_network_is_written_to_the_database_logs_or_exports() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log_path = dir.path().join("stderr.log");
    let smtp_listener = crate::helpers::free_port();
    let smtp = smtp_listener.local_addr().expect("sink address");
    let sink = crate::helpers::MailSink::start_on(smtp_listener);
    let port = crate::helpers::free_port()
        .local_addr()
        .expect("a free port")
        .port();
    let (database_url, _database) = crate::helpers::fresh_database(dir.path());
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mariposa"))
        .arg("serve")
        .env("MARIPOSA_DATABASE_URL", &database_url)
        .env("MARIPOSA_BIND", format!("127.0.0.1:{port}"))
        .env("MARIPOSA_SMTP_URL", format!("smtp://{smtp}"))
        .env(
            "MARIPOSA_SECRET_KEY",
            "a privacy-test secret that is long enough",
        )
        .env("MARIPOSA_TRUSTED_PROXIES", "127.0.0.1")
        .env("MARIPOSA_RATE_LIMITS", "off")
        .env("MARIPOSA_LOG", "debug")
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log_path).expect("a log file"))
        .spawn()
        .expect("the mariposa binary starts");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client");
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(Instant::now() < deadline, "the server did not come up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let page = client
        .get(format!("{base}/campaigns/{DEMO}"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    let token = hidden_value(&page, "csrf_token");
    // The minimum fill time is two seconds outside tests.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    for (email, address) in [
        ("ana@example.org", "198.51.100.123"),
        ("eva@example.org", "2001:db8:4242:17::5"),
    ] {
        let mut form = signer(email);
        form.push(("csrf_token", token.clone()));
        let response = client
            .post(format!("{base}/campaigns/{DEMO}/sign"))
            .header("x-forwarded-for", address)
            .form(&form)
            .send()
            .await
            .expect("sign");
        assert_eq!(response.status().as_u16(), 303);
        sink.wait_for(email, 1).await;
    }
    let export = std::process::Command::new(env!("CARGO_BIN_EXE_mariposa"))
        .args(["export", "signatures", DEMO])
        .env("MARIPOSA_DATABASE_URL", &database_url)
        .env("MARIPOSA_LOG", "warn")
        .output()
        .expect("the export runs");
    assert!(export.status.success());
    let _ = child.kill();
    let _ = child.wait();

    let mut conn = crate::helpers::connect(&database_url);
    let kept: i64 = {
        use diesel::{QueryableByName, RunQueryDsl, sql_types::BigInt};
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        diesel::sql_query("SELECT COUNT(*) AS n FROM signatures WHERE network_hash IS NOT NULL")
            .get_result::<Count>(&mut conn)
            .expect("count")
            .n
    };
    assert_eq!(kept, 2, "each signature keeps its network's keyed hash");

    let log = std::fs::read_to_string(&log_path).expect("the log");
    let export = String::from_utf8_lossy(&export.stdout).into_owned();
    for needle in [
        "198.51.100.123",
        "198.51.100.0",
        "198.51.100",
        "2001:db8:4242:17::5",
        "2001:db8:4242",
    ] {
        assert!(!log.contains(needle), "{needle} is in the log");
        assert!(!export.contains(needle), "{needle} is in the export");
        assert!(
            !stored_anywhere(&database_url, dir.path(), needle),
            "{needle} is in the database"
        );
    }
}

/// Whether `needle` is in the database's files (SQLite) or in any row version of any table
/// (PostgreSQL, read with the server's page inspector).
fn stored_anywhere(database_url: &str, dir: &std::path::Path, needle: &str) -> bool {
    if postgres_server().is_none() {
        let mut found = false;
        for suffix in ["", "-wal", "-shm"] {
            let path = dir.join(format!("mariposa.db{suffix}"));
            if let Ok(bytes) = std::fs::read(&path) {
                found |= bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
            }
        }
        return found;
    }
    use diesel::connection::SimpleConnection;
    use diesel::{QueryableByName, RunQueryDsl, sql_types::BigInt};
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let mut conn = crate::helpers::connect(database_url);
    conn.batch_execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        .expect("pageinspect");
    [
        "signatures",
        "outbox",
        "network_salts",
        "not_me_reports",
        "audit_log",
    ]
    .iter()
    .any(|table| {
        diesel::sql_query(format!(
            "SELECT COUNT(*) AS n \
             FROM generate_series(0, pg_relation_size('{table}') / 8192 - 1) AS page, \
                  heap_page_items(get_raw_page('{table}', page::int)) \
             WHERE position(convert_to('{needle}', 'UTF8') IN t_data) > 0"
        ))
        .get_result::<Count>(&mut conn)
        .expect("inspect")
        .n > 0
    })
}

#[tokio::test]
async fn staff_get_one_alert_per_wave_not_one_per_signature() {
    let app = spawn_app_with(Options {
        review_alerts_every: Some(Duration::from_millis(100)),
        ..review_app()
    })
    .await;
    app.create_staff("ana@example.org", "a long staff password");
    let bots: Vec<String> = (0..30).map(|i| format!("bot{i}@oleada.example")).collect();
    let token = app.form_token(DEMO).await;
    for (i, email) in bots.iter().enumerate() {
        sign_from(&app, &token, email, "203.0.113.7").await;
        if i == 0 {
            sign_from(&app, &token, "ana.real@example.org", "198.51.100.1").await;
        }
    }

    let alerts = app.mail.wait_for("ana@example.org", 1).await;
    assert!(
        alerts[0].subject().contains(DEMO),
        "{}",
        alerts[0].subject()
    );
    assert!(alerts[0].text().contains("oleada.example"));
    assert!(
        alerts[0]
            .text()
            .contains(&format!("/admin/campaigns/{DEMO}/review"))
    );
    // The wave goes on; the checks go on every 100 ms.
    for i in 30..40 {
        sign_from(
            &app,
            &token,
            &format!("bot{i}@oleada.example"),
            "203.0.113.7",
        )
        .await;
    }
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let alerts = app.mail.emails_to("ana@example.org");
    let about_the_domain = alerts
        .iter()
        .filter(|email| email.text().contains("oleada.example"))
        .count();
    assert_eq!(about_the_domain, 1, "one alert for the wave");
}
