//! Arbitrary bodies, headers and paths from a property-test generator, sent to the real
//! server: whatever a client sends, the answer is never a 5xx, and nothing is stored that
//! did not pass validation.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

use crate::helpers::{DEMO, spawn_app};

fn bodies() -> impl Strategy<Value = (String, Vec<u8>)> {
    let content_type = prop_oneof![
        Just("application/x-www-form-urlencoded".to_owned()),
        Just("application/json".to_owned()),
        Just("text/plain".to_owned()),
        "[a-z/+;= -]{0,40}",
    ];
    let form = proptest::collection::vec(
        (
            prop_oneof![
                Just("first_name".to_owned()),
                Just("last_name".to_owned()),
                Just("email".to_owned()),
                Just("country".to_owned()),
                Just("postal_code".to_owned()),
                Just("comment".to_owned()),
                Just("csrf_token".to_owned()),
                Just("email_opt_in".to_owned()),
                "\\PC{0,12}",
            ],
            "\\PC{0,60}",
        ),
        0..10,
    )
    .prop_map(|pairs| {
        let mut body = form_urlencoded::Serializer::new(String::new());
        for (key, value) in pairs {
            body.append_pair(&key, &value);
        }
        body.finish().into_bytes()
    });
    let json = prop_oneof![
        "\\PC{0,200}".prop_map(String::into_bytes),
        ("\\PC{0,30}", "\\PC{0,30}", "\\PC{0,40}").prop_map(|(given, family, email)| {
            serde_json::json!({
                "person": {"given_name": given, "family_name": family,
                           "email_addresses": [{"address": email}]}
            })
            .to_string()
            .into_bytes()
        }),
        (1usize..64)
            .prop_map(|depth| format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes()),
    ];
    let raw = proptest::collection::vec(any::<u8>(), 0..300);
    (content_type, prop_oneof![form, json, raw])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_a_client_sends_gives_a_server_error() {
    let app = spawn_app().await;
    let mut runner = TestRunner::new(Config {
        cases: 300,
        ..Config::default()
    });
    let mut cases = Vec::new();
    for _ in 0..300 {
        let tree = bodies().new_tree(&mut runner).expect("a generated case");
        cases.push(tree.current());
    }
    let paths = [
        format!("/campaigns/{DEMO}/sign"),
        format!("/embed/{DEMO}/sign"),
        format!("/api/v1/campaigns/{DEMO}/signatures"),
        "/admin/login".to_owned(),
    ];
    for (i, (content_type, body)) in cases.into_iter().enumerate() {
        let path = &paths[i % paths.len()];
        let response = app
            .client
            .post(app.url(path))
            .header("content-type", content_type.clone())
            .body(body.clone())
            .send()
            .await
            .expect("the server answers");
        assert!(
            response.status().as_u16() < 500,
            "{path} with {content_type:?} and {:?} gave {}",
            String::from_utf8_lossy(&body),
            response.status()
        );
    }
    assert_eq!(
        app.stored_signatures(),
        0,
        "no generated body carried a valid form token"
    );
}
