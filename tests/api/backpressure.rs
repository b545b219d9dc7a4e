//! A surge larger than the signature writer can queue: signing answers "busy, try again"
//! and loses nothing it acknowledged.

use futures_util::future::join_all;

use crate::helpers::{DEMO, Options, signer, spawn_app_with, with};

#[tokio::test]
async fn a_full_signature_queue_answers_busy_keeps_what_was_typed_and_loses_nothing() {
    // One waiting signature at most, committed one at a time: a burst must overflow it.
    let app = spawn_app_with(Options {
        writer_queue: Some((1, 1)),
        ..Options::default()
    })
    .await;
    let token = app.form_token(DEMO).await;
    let path = format!("/campaigns/{DEMO}/sign");

    let burst = (0..100).map(|n| {
        let form = with(
            signer(&format!("surge{n}@example.org")),
            "csrf_token",
            &token,
        );
        let path = path.clone();
        let app = &app;
        async move { (n, app.post_form(&path, &form).await) }
    });
    let responses = join_all(burst).await;

    let mut accepted = 0;
    let mut busy = 0;
    for (n, response) in responses {
        match response.status().as_u16() {
            303 => accepted += 1,
            503 => {
                busy += 1;
                let retry_after = response
                    .headers()
                    .get("retry-after")
                    .expect("a busy answer says when to come back");
                assert!(retry_after.to_str().expect("ascii").parse::<u32>().is_ok());
                let page = response.text().await.expect("body");
                assert!(
                    page.contains(&format!("value=\"surge{n}@example.org\"")),
                    "the form comes back with the email the supporter typed"
                );
                assert!(page.contains("value=\"José Ñúñez\""));
                assert!(
                    page.contains("Mucha gente está firmando en este momento"),
                    "the supporter is told a crowd is signing"
                );
            }
            other => panic!("signature {n} got {other}; only 303 or 503 are acceptable"),
        }
    }
    assert!(
        busy > 0,
        "a queue of one must turn some of 100 signers away"
    );
    assert!(
        accepted > 0,
        "the writer keeps taking signatures during a surge"
    );
    assert_eq!(
        app.stored_signatures(),
        accepted,
        "every acknowledged signature is stored, and nothing else"
    );
}
