//! The count history: open data built from the stored signatures, and the campaign page's chart.

use chrono::{NaiveDateTime, TimeDelta, Utc};

use crate::helpers::{DEMO, Options, TestApp, spawn_app, spawn_app_with};

/// Stores a signature of the demo campaign confirmed at `confirmed_at` (or pending), as
/// one made at that time would be.
fn store_signature(app: &TestApp, n: usize, confirmed_at: Option<&str>) {
    app.execute_sql(&signature_sql(n, confirmed_at));
}

fn signature_sql(n: usize, confirmed_at: Option<&str>) -> String {
    let confirmed = confirmed_at.map_or("NULL".to_owned(), |at| format!("'{at}'"));
    format!(
        "INSERT INTO signatures (campaign_id, first_name, last_name, email, email_canonical,
             country, email_opt_in, lang, consent_version, created_at, confirmed_at)
         SELECT id, 'Ana', 'López', 'ana{n}@example.org', 'ana{n}@example.org', 'MX', FALSE, 'es',
             'v1', '2026-11-01 00:00:00', {confirmed}
         FROM campaigns WHERE slug = '{DEMO}'"
    )
}

fn sql_time(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M:%S").to_string()
}

#[tokio::test]
async fn the_history_matches_the_signatures_stored_per_day_and_per_hour() {
    let app = spawn_app().await;
    // Five days ago, within the hourly history's last 30 days.
    let day = (Utc::now() - TimeDelta::days(5)).date_naive();
    let (d0, d1, d2) = (
        day.to_string(),
        day.succ_opt().expect("a day").to_string(),
        (day + TimeDelta::days(2)).to_string(),
    );
    app.campaigns_created_on(&d0);
    let confirmed = [
        format!("{d0} 09:15:00"),
        format!("{d0} 09:45:00"),
        format!("{d0} 23:59:59"),
        format!("{d2} 00:00:00"),
    ];
    for (n, at) in confirmed.iter().enumerate() {
        store_signature(&app, n, Some(at));
    }
    store_signature(&app, 99, None);

    let response = app
        .get(&format!("/api/v1/campaigns/{DEMO}/history?interval=day"))
        .await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    assert_eq!(response.headers()["cache-control"], "public, max-age=60");
    let etag = response.headers()["etag"].clone();
    let days: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(days["interval"], "day");
    assert_eq!(
        days["total"].as_i64(),
        Some(
            app.query_count("SELECT COUNT(*) AS n FROM signatures WHERE confirmed_at IS NOT NULL")
        )
    );
    assert_eq!(
        days["points"],
        serde_json::json!([
            { "start": format!("{d0}T00:00:00Z"), "confirmed": 3, "cumulative": 3 },
            { "start": format!("{d1}T00:00:00Z"), "confirmed": 0, "cumulative": 3 },
            { "start": format!("{d2}T00:00:00Z"), "confirmed": 1, "cumulative": 4 },
        ])
    );

    let hours: serde_json::Value = app
        .get(&format!("/api/v1/campaigns/{DEMO}/history?interval=hour"))
        .await
        .json()
        .await
        .expect("JSON");
    let points = hours["points"].as_array().expect("points");
    assert_eq!(
        points.len(),
        40,
        "09:00 on the first day to 00:00 on the third"
    );
    assert_eq!(points[0]["start"], format!("{d0}T09:00:00Z"));
    assert_eq!(points[0]["confirmed"], 2);
    assert_eq!(points[14]["start"], format!("{d0}T23:00:00Z"));
    assert_eq!(points[14]["confirmed"], 1);
    assert_eq!(points[39]["cumulative"], 4);

    let csv = app
        .get(&format!("/api/v1/campaigns/{DEMO}/history.csv"))
        .await;
    assert_eq!(csv.status().as_u16(), 200);
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(csv.headers()["access-control-allow-origin"], "*");
    assert_eq!(
        csv.text().await.expect("body"),
        format!(
            "\"start\",\"confirmed\",\"cumulative\"\r\n\
             \"{d0}T00:00:00Z\",\"3\",\"3\"\r\n\
             \"{d1}T00:00:00Z\",\"0\",\"3\"\r\n\
             \"{d2}T00:00:00Z\",\"1\",\"4\"\r\n"
        )
    );

    let unchanged = app
        .client
        .get(app.url(&format!("/api/v1/campaigns/{DEMO}/history?interval=day")))
        .header("if-none-match", etag)
        .send()
        .await
        .expect("GET request");
    assert_eq!(unchanged.status().as_u16(), 304);
}

/// At most this many bytes, whatever the database holds: three years of days, or 30 days
/// of hours, at well under 100 bytes a point.
const MAX_HISTORY_BYTES: usize = 120_000;

#[tokio::test]
async fn a_signature_dated_the_year_26_does_not_make_the_history_build_every_hour_since() {
    let app = spawn_app().await;
    app.campaigns_created_on("2020-01-01");
    // What an old import of `02/11/26` left, and one confirmation each day for six years.
    store_signature(&app, 0, Some("0026-11-02 12:00:00"));
    let now = Utc::now().naive_utc();
    let daily: Vec<String> = (0..6 * 366)
        .map(|day| signature_sql(day + 1, Some(&sql_time(now - TimeDelta::days(day as i64)))))
        .collect();
    app.execute_sql(&format!("BEGIN; {}; COMMIT", daily.join(";\n")));

    for path in [
        "history?interval=hour",
        "history?interval=day",
        "history.csv?interval=hour",
        "history.csv?interval=day",
    ] {
        let response = app.get(&format!("/api/v1/campaigns/{DEMO}/{path}")).await;
        assert_eq!(response.status().as_u16(), 200);
        let body = response.text().await.expect("body");
        assert!(
            body.len() < MAX_HISTORY_BYTES,
            "{path}: {} bytes",
            body.len()
        );
        assert!(!body.contains("0026-"), "{path}");
        let total = (6 * 366 + 1).to_string();
        assert!(
            body.trim_end()
                .trim_end_matches(['}', ']', '"'])
                .ends_with(&total),
            "{path}: the running total still counts every signature"
        );
    }
}

/// Answers are made once per history kept and handed to everyone who asks for it; a
/// history read afresh must make new ones, or readers would watch a count that never moves.
#[tokio::test]
async fn a_new_confirmation_reaches_the_history_once_it_is_read_afresh() {
    let app = spawn_app_with(Options {
        history_ttl: Some(std::time::Duration::ZERO),
        ..Options::default()
    })
    .await;
    let now = sql_time(Utc::now().naive_utc());
    store_signature(&app, 1, Some(&now));
    for path in ["history?interval=hour", "history.csv?interval=day"] {
        let url = format!("/api/v1/campaigns/{DEMO}/{path}");
        let first = app.get(&url).await;
        let etag = first.headers()["etag"].clone();
        let first = first.text().await.expect("a body");
        let again = app.get(&url).await;
        assert_eq!(
            again.headers()["etag"],
            etag,
            "{path}: the same history, the same bytes"
        );
        assert_eq!(again.text().await.expect("a body"), first);

        store_signature(&app, 2 + path.len(), Some(&now));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let fresh = app.get(&url).await;
            if fresh.headers()["etag"] != etag {
                let body = fresh.text().await.expect("a body");
                assert_ne!(body, first, "{path}: a new ETag names new bytes");
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{path}: the history never showed the new confirmation"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
    let history: serde_json::Value = app
        .get(&format!("/api/v1/campaigns/{DEMO}/history?interval=day"))
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(history["total"], 3);
}

#[tokio::test]
async fn a_history_asked_for_wrongly_is_refused_with_a_reason() {
    let app = spawn_app().await;
    let response = app
        .get(&format!(
            "/api/v1/campaigns/{DEMO}/history?interval=week&lang=en"
        ))
        .await;
    assert_eq!(response.status().as_u16(), 400);
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(body["error"], "bad_interval");
    let missing = app.get("/api/v1/campaigns/no-such-campaign/history").await;
    assert_eq!(missing.status().as_u16(), 404);
}

#[tokio::test]
async fn the_campaign_page_charts_the_last_30_days_with_a_text_alternative() {
    let app = spawn_app().await;
    let now = Utc::now().naive_utc();
    let three_days_ago = now - TimeDelta::days(3);
    app.campaigns_created_on(&(now - TimeDelta::days(10)).date().to_string());
    store_signature(&app, 1, Some(&sql_time(now)));
    store_signature(&app, 2, Some(&sql_time(three_days_ago)));
    store_signature(&app, 3, Some(&sql_time(three_days_ago)));
    store_signature(&app, 4, Some("2020-01-01 12:00:00"));

    let (status, page) = app.get_text(&format!("/campaigns/{DEMO}?lang=en")).await;

    assert_eq!(status, 200);
    let start = page.find("<section class=\"history\"").expect("the chart");
    let chart = &page[start..start + page[start..].find("</section>").expect("its end")];
    assert!(chart.contains("<svg viewBox=\"0 0 600 140\" role=\"img\" aria-labelledby=\"history-heading history-summary\""));
    assert_eq!(chart.matches("<rect ").count(), 30, "a bar per day");
    assert!(
        chart.contains(
            "<figcaption id=\"history-summary\">Signatures confirmed in the last 30 days: 3."
        ),
        "{chart}"
    );
    // Days as the page's language writes them.
    let today = now.format("%B %-d, %Y").to_string();
    let then = three_days_ago.format("%B %-d, %Y").to_string();
    assert!(
        chart.contains(&format!(
            "<tr><th scope=\"row\">{today}</th><td>1</td><td>4</td></tr>"
        )),
        "{chart}"
    );
    assert!(
        chart.contains(&format!(
            "<tr><th scope=\"row\">{then}</th><td>2</td><td>3</td></tr>"
        )),
        "{chart}"
    );
    assert!(!chart.contains("<script"), "drawn on the server");
}

#[tokio::test]
async fn a_campaign_without_confirmed_signatures_shows_no_empty_chart() {
    let app = spawn_app().await;
    let (_, page) = app.get_text(&format!("/campaigns/{DEMO}")).await;
    assert!(!page.contains("class=\"history\""));
}
