//! A full disk, or a database server that goes away: signers get a clear "try again" with
//! what they typed, nothing stored is lost, and signing works again as soon as it can.

use std::time::{Duration, Instant};

use crate::helpers::{
    DEMO, Options, admin_sql, connect, postgres_server, signer, spawn_app, spawn_app_with, with,
};

/// PostgreSQL's own error for a full disk, raised for every new signature while the
/// trigger is there: a server cannot be made to run out of space on purpose the way a
/// SQLite file can be capped.
const POSTGRES_DISK_FULL: &str = "
    CREATE FUNCTION disk_full() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'could not extend file: No space left on device'
            USING ERRCODE = 'disk_full';
    END $$ LANGUAGE plpgsql;
    CREATE TRIGGER disk_full BEFORE INSERT ON signatures
        FOR EACH ROW EXECUTE FUNCTION disk_full();";

#[tokio::test]
async fn a_full_database_answers_503_keeps_the_form_and_recovers_when_space_returns() {
    let app = spawn_app_with(Options {
        max_database_pages: Some(80),
        ..Options::default()
    })
    .await;
    let token = app.form_token(DEMO).await;
    let long_comment = "Vivos se los llevaron, vivos los queremos. ".repeat(20);
    let mut stored_before_full = 0;
    let mut full = None;
    for i in 0..2_000 {
        if i == 40 && postgres_server().is_some() {
            app.execute_sql(POSTGRES_DISK_FULL);
        }
        let form = with(
            with(
                signer(&format!("s{i}@example.org")),
                "comment",
                &long_comment,
            ),
            "csrf_token",
            &token,
        );
        let response = app
            .post_form(&format!("/campaigns/{DEMO}/sign"), &form)
            .await;
        match response.status().as_u16() {
            303 => stored_before_full += 1,
            503 => {
                full = Some((i, response));
                break;
            }
            other => panic!("signature {i} got {other}"),
        }
    }
    let (failed_at, response) = full.expect("the database filled up");
    let response_retry_after = response.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let page = response.text().await.expect("body");
    assert!(
        page.contains(&format!("value=\"s{failed_at}@example.org\"")),
        "the typed email is kept"
    );
    assert!(
        page.contains(
            "No pudimos guardar tu firma en este momento por un problema de nuestro lado."
        ),
        "a clear message in Spanish, which does not blame a crowd"
    );
    assert_eq!(
        response_retry_after, "60",
        "come back in a minute, not at once"
    );
    assert_eq!(
        app.stored_signatures(),
        stored_before_full,
        "every acknowledged signature is still there"
    );
    assert_eq!(
        app.get("/healthz").await.status().as_u16(),
        200,
        "reading still works"
    );

    app.execute_sql(
        "DELETE FROM outbox WHERE signature_id IN (SELECT id FROM signatures WHERE id % 2 = 0)",
    );
    app.execute_sql("DELETE FROM confirmation_tokens WHERE signature_id IN (SELECT id FROM signatures WHERE id % 2 = 0)");
    app.execute_sql("DELETE FROM signatures WHERE id % 2 = 0");
    if postgres_server().is_some() {
        app.execute_sql("DROP TRIGGER disk_full ON signatures");
    }

    let again = app
        .post_form(
            &format!("/campaigns/{DEMO}/sign"),
            &with(signer("after@example.org"), "csrf_token", &token),
        )
        .await;
    assert_eq!(
        again.status().as_u16(),
        303,
        "signing works again once there is room"
    );
}

#[tokio::test]
async fn a_database_locked_by_another_writer_is_waited_for_not_failed() {
    let app = spawn_app_with(Options::default()).await;
    let token = app.form_token(DEMO).await;
    let database_url = app.database_url.clone();
    let (locked, release) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        use diesel::connection::SimpleConnection;
        let mut conn = connect(&database_url);
        // SQLite locks the whole database for a writer; PostgreSQL, asked to, the table.
        let lock = match conn {
            mariposa::db::Connection::Sqlite(_) => "BEGIN IMMEDIATE",
            mariposa::db::Connection::Postgres(_) => {
                "BEGIN; LOCK TABLE signatures IN EXCLUSIVE MODE"
            }
        };
        conn.batch_execute(lock).expect("take the write lock");
        locked.send(()).expect("signal");
        std::thread::sleep(std::time::Duration::from_millis(1500));
        conn.batch_execute("COMMIT").expect("release the lock");
    });
    release.recv().expect("the lock is held");

    let started = std::time::Instant::now();
    let response = app
        .post_form(
            &format!("/campaigns/{DEMO}/sign"),
            &with(signer("ana@example.org"), "csrf_token", &token),
        )
        .await;

    assert_eq!(response.status().as_u16(), 303);
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(1000),
        "it waited for the lock"
    );
    holder.join().expect("the lock holder finished");
    assert_eq!(app.stored_signatures(), 1);
}

#[tokio::test]
async fn a_database_server_that_goes_away_gets_503_and_serving_resumes_when_it_is_back() {
    let Some(server) = postgres_server() else {
        eprintln!("a database server going away needs PostgreSQL: set MARIPOSA_TEST_POSTGRES");
        return;
    };
    let app = spawn_app().await;
    let token = app.form_token(DEMO).await;
    let database = app
        .database_url
        .rsplit('/')
        .next()
        .expect("a database name")
        .to_owned();
    // As good as gone for this app: its connections are cut and new ones refused.
    admin_sql(
        &server,
        &format!("ALTER DATABASE {database} ALLOW_CONNECTIONS false"),
    );
    admin_sql(
        &server,
        &format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'"
        ),
    );

    let response = app
        .post_form(
            &format!("/campaigns/{DEMO}/sign"),
            &with(signer("during@example.org"), "csrf_token", &token),
        )
        .await;
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(response.headers()["retry-after"], "60");
    let page = response.text().await.expect("body");
    assert!(
        page.contains("value=\"during@example.org\""),
        "the typed email is kept"
    );

    admin_sql(
        &server,
        &format!("ALTER DATABASE {database} ALLOW_CONNECTIONS true"),
    );
    let back = Instant::now();
    loop {
        let response = app
            .post_form(
                &format!("/campaigns/{DEMO}/sign"),
                &with(signer("after@example.org"), "csrf_token", &token),
            )
            .await;
        if response.status().as_u16() == 303 {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(15),
            "signing resumes by itself: still {}",
            response.status()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(app.stored_signatures(), 1);
    assert_eq!(app.get("/healthz").await.status().as_u16(), 200);
}
