//! A full disk: signers get a clear "try again" with what they typed, nothing stored is lost,
//! and signing works again as soon as there is room.

use crate::helpers::{DEMO, Options, signer, spawn_app_with, with};

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
    let path = app.db_path.clone();
    let (locked, release) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        use diesel::Connection;
        use diesel::connection::SimpleConnection;
        let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy()).expect("open");
        conn.batch_execute("BEGIN IMMEDIATE")
            .expect("take the write lock");
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
