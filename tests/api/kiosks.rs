//! Kiosks: a tablet at an event signs people in person, online as a plain form or offline
//! with signatures sealed to the server and sent later, each counted once.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hkdf::Hkdf;
use p256::{PublicKey, SecretKey};
use sha2::{Digest, Sha256};

use crate::helpers::{DEMO, Options, TestApp, hidden_value, spawn_app, spawn_app_with};

/// Makes a kiosk for the demo campaign with the real command and returns its path.
fn kiosk_from_cli(app: &TestApp, event: &str) -> String {
    let output = app.cli(
        &[
            "kiosk",
            "create",
            DEMO,
            "--event",
            event,
            "--source",
            "kiosk-zocalo",
            "--expires",
            "2d",
            "--base-url",
            "https://firmas.example",
        ],
        "",
    );
    assert!(
        output.status.success(),
        "kiosk create failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let link = String::from_utf8(output.stdout).expect("utf-8");
    let link = link.trim();
    assert!(link.starts_with("https://firmas.example/kiosk/"), "{link}");
    link.trim_start_matches("https://firmas.example").to_owned()
}

fn person(first: &str, last: &str, email: &str) -> Vec<(&'static str, String)> {
    vec![
        ("first_name", first.into()),
        ("last_name", last.into()),
        ("email", email.into()),
        ("country", "MX".into()),
        ("postal_code", "39090".into()),
        ("lang", "es".into()),
    ]
}

fn attribute(html: &str, name: &str) -> String {
    let marker = format!("{name}=\"");
    let start = html.find(&marker).expect("the attribute is there") + marker.len();
    let end = html[start..].find('"').expect("it ends") + start;
    html[start..end].to_owned()
}

/// What a kiosk page gives its script for sealing: the server's public key and its own id.
struct SealTo {
    public_key: String,
    kiosk_id: String,
}

/// What the kiosk's script sends for one signature: sealed to the server's public key
/// (ECDH P-256, HKDF-SHA256, AES-256-GCM with `kiosk {id} {key}` as additional data).
fn sealed(to: &SealTo, key: &str, entry: &serde_json::Value) -> serde_json::Value {
    let server = PublicKey::from_sec1_bytes(&URL_SAFE_NO_PAD.decode(&to.public_key).expect("b64"))
        .expect("a P-256 point");
    let ephemeral = SecretKey::from_slice(&Sha256::digest(key.as_bytes())).expect("a scalar");
    let shared = p256::ecdh::diffie_hellman(ephemeral.to_nonzero_scalar(), server.as_affine());
    let mut aes_key = [0u8; 32];
    Hkdf::<Sha256>::new(None, shared.raw_secret_bytes())
        .expand(b"mariposa kiosk seal v1", &mut aes_key)
        .expect("hkdf");
    let iv = [9u8; 12];
    let ciphertext = Aes256Gcm::new_from_slice(&aes_key)
        .expect("key")
        .encrypt(
            &Nonce::from(iv),
            Payload {
                msg: entry.to_string().as_bytes(),
                aad: format!("kiosk {} {key}", to.kiosk_id).as_bytes(),
            },
        )
        .expect("sealed");
    serde_json::json!({
        "key": key,
        "ephemeral": URL_SAFE_NO_PAD.encode(ephemeral.public_key().to_sec1_bytes()),
        "iv": URL_SAFE_NO_PAD.encode(iv),
        "ciphertext": URL_SAFE_NO_PAD.encode(ciphertext),
    })
}

fn entry(first: &str, last: &str) -> serde_json::Value {
    serde_json::json!({
        "first_name": first,
        "last_name": last,
        "email": "",
        "country": "MX",
        "postal_code": "39090",
        "email_opt_in": false,
        "lang": "es",
        "signed_at": chrono::Utc::now().timestamp_millis(),
    })
}

async fn public_key(app: &TestApp, kiosk: &str) -> SealTo {
    let (status, html) = app.get_text(kiosk).await;
    assert_eq!(status, 200);
    SealTo {
        public_key: attribute(&html, "data-public-key"),
        kiosk_id: attribute(&html, "data-kiosk"),
    }
}

fn kiosk_signatures(app: &TestApp) -> i64 {
    app.query_count(
        "SELECT COUNT(*) AS n FROM signatures s JOIN kiosks k ON k.event_id = s.event_id \
         WHERE s.channel = 'kiosk' AND s.confirmed_at IS NOT NULL",
    )
}

#[tokio::test]
async fn a_kiosk_link_from_the_command_line_is_shown_once_and_only_its_hash_is_kept() {
    let app = spawn_app().await;
    let kiosk = kiosk_from_cli(&app, "Feria del Zócalo");
    let secret = kiosk.trim_start_matches("/kiosk/");
    assert_eq!(app.query_count("SELECT COUNT(*) AS n FROM kiosks"), 1);
    assert_eq!(
        app.query_count(&format!(
            "SELECT COUNT(*) AS n FROM kiosks WHERE secret_hash LIKE '%{secret}%'"
        )),
        0,
        "the secret itself is not stored"
    );
    assert_eq!(
        app.query_count(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'kiosk_created' \
             AND detail LIKE '%Feria del Zócalo%'"
        ),
        1
    );
    let response = app.get(&kiosk).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["referrer-policy"],
        "no-referrer",
        "the secret in the address does not leak to other sites"
    );
    let html = response.text().await.expect("body");
    assert!(
        html.contains("<h1>Mariposas por México</h1>"),
        "the campaign title"
    );
    assert!(html.contains("autocomplete=\"off\""));
    assert!(!html.contains("autocomplete=\"given-name\""));
    assert!(
        html.contains("/static/kiosk-"),
        "the offline script is linked"
    );

    let wrong = app.get("/kiosk/not-a-secret").await;
    assert_eq!(wrong.status().as_u16(), 404);
    let output = app.cli(
        &["kiosk", "create", DEMO, "--event", "X", "--expires", "1y"],
        "",
    );
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("3d, 12h or 90m"));
    let output = app.cli(&["kiosk", "create", "no-such", "--event", "X"], "");
    assert!(String::from_utf8_lossy(&output.stderr).contains("no campaign"));
}

#[tokio::test]
async fn a_kiosk_signature_counts_at_once_in_person_with_its_event_and_its_welcome_email() {
    let app = spawn_app().await;
    let before = app.counted();
    let kiosk = kiosk_from_cli(&app, "Feria del Zócalo");
    let mut form = person("Lucía", "Hernández", "lucia@example.org");
    form.push(("email_opt_in", "yes".into()));
    let response = app.post_form(&format!("{kiosk}/sign"), &form).await;
    assert_eq!(response.status().as_u16(), 303);
    let thanks = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(thanks, format!("{kiosk}/thanks?lang=es"));
    let (status, page) = app.get_text(&thanks).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("id=\"kiosk-return\""),
        "the form comes back by itself"
    );
    assert!(
        !page.contains("Lucía"),
        "nothing of the signer is shown to the next"
    );

    assert_eq!(app.counted(), before + 1);
    assert_eq!(kiosk_signatures(&app), 1, "marked kiosk, with its event");
    assert_eq!(
        app.query_count(
            "SELECT COUNT(*) AS n FROM signatures s JOIN events e ON e.id = s.event_id \
             WHERE e.name = 'Feria del Zócalo' AND s.source = 'kiosk-zocalo'"
        ),
        1
    );
    let welcome = app.mail.wait_for("lucia@example.org", 1).await;
    assert!(welcome[0].header("List-Unsubscribe").is_some());
}

#[tokio::test]
async fn signing_twice_on_a_kiosk_counts_once_and_shows_the_same_screen() {
    let app = spawn_app().await;
    let before = app.counted();
    let kiosk = kiosk_from_cli(&app, "Marcha");
    let first = app
        .post_form(&format!("{kiosk}/sign"), &person("Ana", "Pérez-Luna", ""))
        .await;
    let again = app
        .post_form(&format!("{kiosk}/sign"), &person("ana", "Perez Luna", ""))
        .await;
    assert_eq!(first.status(), again.status());
    assert_eq!(first.headers()["location"], again.headers()["location"]);
    assert_eq!(app.counted(), before + 1);
    assert_eq!(kiosk_signatures(&app), 1);
}

#[tokio::test]
async fn a_kiosk_form_with_a_mistake_comes_back_with_the_error_beside_the_field() {
    let app = spawn_app().await;
    let kiosk = kiosk_from_cli(&app, "Marcha");
    let mut form = person("", "Pérez", "not-an-email");
    form.push(("email_opt_in", "yes".into()));
    let response = app.post_form(&format!("{kiosk}/sign"), &form).await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.expect("body");
    assert!(html.contains("error-summary"));
    assert!(html.contains("id=\"first_name-error\""));
    assert!(html.contains("id=\"email-error\""));
    assert_eq!(kiosk_signatures(&app), 0);
}

#[tokio::test]
async fn a_sealed_upload_counts_once_however_often_the_device_sends_it() {
    let app = spawn_app().await;
    let before = app.counted();
    let kiosk = kiosk_from_cli(&app, "Feria");
    let key = public_key(&app, &kiosk).await;
    let upload = sealed(&key, "device-key-000000001", &entry("Rosa", "Icela"));
    for _ in 0..3 {
        let response = app.post_json(&format!("{kiosk}/signatures"), &upload).await;
        assert_eq!(response.status().as_u16(), 200);
        let answer: serde_json::Value = response.json().await.expect("JSON");
        assert_eq!(answer["status"], "accepted");
    }
    assert_eq!(app.counted(), before + 1);
    assert_eq!(kiosk_signatures(&app), 1);
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM kiosk_uploads"),
        1
    );

    // Another device key for the same person is a repeat: accepted alike, counted once.
    let repeat = sealed(&key, "device-key-000000002", &entry("Rosa", "Icela"));
    let response = app.post_json(&format!("{kiosk}/signatures"), &repeat).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(kiosk_signatures(&app), 1);

    let status = app
        .post_json(
            &format!("{kiosk}/status"),
            &serde_json::json!({"waiting": 4}),
        )
        .await;
    assert_eq!(status.status().as_u16(), 204);
    assert_eq!(
        app.query_count("SELECT CAST(waiting AS BIGINT) AS n FROM kiosks"),
        4
    );
}

#[tokio::test]
async fn a_revoked_kiosk_is_refused_and_staff_see_what_it_still_held() {
    let app = spawn_app().await;
    let (staff, csrf) = app.signed_in_staff().await;
    let dashboard = app
        .page_as(&staff, &format!("/admin/campaigns/{DEMO}"))
        .await;
    assert!(dashboard.contains(&format!("/admin/campaigns/{DEMO}/kiosks")));
    let created = staff
        .post(app.url(&format!("/admin/campaigns/{DEMO}/kiosks")))
        .form(&[
            ("event", "Concierto"),
            ("place", "Guadalajara"),
            ("held_on", "2026-12-05"),
            ("source", "concierto"),
            ("expires", "12h"),
            ("csrf_token", csrf.as_str()),
        ])
        .send()
        .await
        .expect("create");
    assert_eq!(created.status().as_u16(), 200);
    assert_eq!(
        created.headers()["cache-control"],
        "no-store",
        "no cache keeps the page with the new link"
    );
    let page = created.text().await.expect("body");
    let marker = "id=\"kiosk-link\" href=\"";
    let start = page.find(marker).expect("the link is shown") + marker.len();
    let link = &page[start..start + page[start..].find('"').expect("ends")];
    let kiosk = &link[link.find("/kiosk/").expect("a kiosk path")..];
    let listed = app
        .page_as(&staff, &format!("/admin/campaigns/{DEMO}/kiosks"))
        .await;
    assert!(!listed.contains(kiosk), "the link is shown once");
    assert!(listed.contains("Concierto"));

    let key = public_key(&app, kiosk).await;
    let sent_before = sealed(&key, "before-revoking-0001", &entry("Julio", "César"));
    let response = app
        .post_json(&format!("{kiosk}/signatures"), &sent_before)
        .await;
    assert_eq!(response.status().as_u16(), 200);

    let id = app.query_count("SELECT id AS n FROM kiosks");
    let revoked = staff
        .post(app.url(&format!("/admin/campaigns/{DEMO}/kiosks/{id}/revoke")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .expect("revoke");
    assert_eq!(revoked.status().as_u16(), 303);
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'kiosk_revoked'"),
        1
    );

    let (status, html) = app.get_text(kiosk).await;
    assert_eq!(status, 410);
    assert!(html.contains("Este quiosco está cerrado") || html.contains("This kiosk is closed"));
    let form = app
        .post_form(&format!("{kiosk}/sign"), &person("Tere", "Díaz", ""))
        .await;
    assert_eq!(form.status().as_u16(), 410);

    let held = sealed(&key, "held-offline-000001", &entry("Mario", "Soto"));
    // Each refused send is counted (the device drops what was refused, so it sends each once).
    for _ in 0..2 {
        let response = app.post_json(&format!("{kiosk}/signatures"), &held).await;
        assert_eq!(response.status().as_u16(), 410);
        let answer: serde_json::Value = response.json().await.expect("JSON");
        assert_eq!(answer["status"], "refused");
        assert!(answer["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // Sent before the revocation and sent again after: still the first answer.
    let response = app
        .post_json(&format!("{kiosk}/signatures"), &sent_before)
        .await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        kiosk_signatures(&app),
        1,
        "nothing after the revocation counts"
    );

    let listed = app
        .page_as(&staff, &format!("/admin/campaigns/{DEMO}/kiosks"))
        .await;
    assert!(listed.contains("<td class=\"refused\">2</td>"), "{listed}");
    assert!(listed.contains("<td class=\"counted\">1</td>"));
    assert!(listed.contains("Revoked"));
}

#[tokio::test]
async fn an_expired_kiosk_says_so() {
    let app = spawn_app().await;
    let kiosk = kiosk_from_cli(&app, "Feria");
    app.execute_sql("UPDATE kiosks SET expires_at = created_at");
    let (status, html) = app.get_text(&kiosk).await;
    assert_eq!(status, 410);
    assert!(html.contains("kiosk-thanks") && !html.contains("kiosk-form"));
}

#[tokio::test]
async fn a_kiosk_is_held_to_its_own_ceiling_not_to_the_per_address_limits() {
    let app = spawn_app_with(Options {
        rate_limits: true,
        ..Options::default()
    })
    .await;
    let kiosk = kiosk_from_cli(&app, "Feria");
    // More than one address may send at once (20), as a busy table does.
    for i in 0..30 {
        let response = app
            .post_form(
                &format!("{kiosk}/sign"),
                &person("Persona", &format!("Número {}", char::from(b'a' + i)), ""),
            )
            .await;
        assert_eq!(response.status().as_u16(), 303, "signature {i}");
    }
    let response = app
        .post_form(&format!("{kiosk}/sign"), &person("Una", "Más", ""))
        .await;
    assert_eq!(response.status().as_u16(), 429);
    assert!(response.headers().contains_key("retry-after"));
    let html = response.text().await.expect("body");
    assert!(html.contains("value=\"Una\""), "what was typed is kept");
}

#[tokio::test]
async fn garbage_sent_to_a_kiosk_gets_a_clear_answer_and_never_a_500() {
    let app = spawn_app().await;
    let kiosk = kiosk_from_cli(&app, "Feria");
    let key = public_key(&app, &kiosk).await;
    let upload_path = format!("{kiosk}/signatures");
    let good = sealed(&key, "a-good-key-00000001", &entry("Rosa", "Icela"));
    let mut tampered = good.clone();
    tampered["ciphertext"] = serde_json::json!("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    let mut other_key = good.clone();
    other_key["key"] = serde_json::json!("a-good-key-00000002");
    let bodies = [
        serde_json::json!(null),
        serde_json::json!({}),
        serde_json::json!({"key": "short", "ephemeral": "", "iv": "", "ciphertext": ""}),
        serde_json::json!({"key": "a-good-key-00000003", "ephemeral": "!!", "iv": "x", "ciphertext": "y"}),
        tampered,
        other_key,
    ];
    for body in &bodies {
        let response = app.post_json(&upload_path, body).await;
        assert_eq!(response.status().as_u16(), 400, "{body}");
        let answer: serde_json::Value = response.json().await.expect("JSON");
        assert_eq!(answer["status"], "unreadable");
    }
    let undecodable = app
        .client
        .post(app.url(&format!("{kiosk}/sign")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("first_name=%FF%FE&last_name=x&country=MX")
        .send()
        .await
        .expect("POST");
    assert_eq!(undecodable.status().as_u16(), 400);
    let raw = app
        .client
        .post(app.url(&upload_path))
        .body("not json at all \u{0}")
        .send()
        .await
        .expect("POST");
    assert_eq!(raw.status().as_u16(), 400);
    let huge = app
        .client
        .post(app.url(&upload_path))
        .body(vec![b'a'; 100_000])
        .send()
        .await
        .expect("POST");
    assert!(huge.status().is_client_error(), "{}", huge.status());
    let invalid = sealed(&key, "an-invalid-name-001", &entry("", "Icela"));
    let response = app.post_json(&upload_path, &invalid).await;
    assert_eq!(response.status().as_u16(), 422);
    let answer: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(answer["status"], "invalid");
    assert!(
        answer["errors"]["first_name"]
            .as_str()
            .is_some_and(|message| !message.is_empty()),
        "the message for the field, for a kiosk still online: {answer}"
    );
    let unknown = app
        .post_json(
            "/kiosk/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/signatures",
            &good,
        )
        .await;
    assert_eq!(unknown.status().as_u16(), 404);
    let status = app
        .post_json(
            &format!("{kiosk}/status"),
            &serde_json::json!({"waiting": -1}),
        )
        .await;
    assert_eq!(status.status().as_u16(), 400);
    assert_eq!(kiosk_signatures(&app), 0);

    let (staff, csrf) = app.signed_in_staff().await;
    let refused = staff
        .post(app.url(&format!("/admin/campaigns/{DEMO}/kiosks")))
        .form(&[
            ("event", " "),
            ("expires", "forever"),
            ("csrf_token", &csrf),
        ])
        .send()
        .await
        .expect("create");
    assert_eq!(refused.status().as_u16(), 422);
    let page = refused.text().await.expect("body");
    assert!(page.contains("Give the event a name"));
    let no_token = staff
        .post(app.url(&format!("/admin/campaigns/{DEMO}/kiosks/1/revoke")))
        .form(&[("csrf_token", "forged")])
        .send()
        .await
        .expect("revoke");
    assert_eq!(no_token.status().as_u16(), 403);
    let elsewhere = staff
        .post(app.url("/admin/campaigns/no-such/kiosks/1/revoke"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .expect("revoke");
    assert_eq!(elsewhere.status().as_u16(), 404);
    assert!(hidden_value(&page, "csrf_token").len() > 10);
}

#[tokio::test]
async fn while_staff_pause_signing_a_kiosk_says_so_and_its_device_keeps_what_it_takes() {
    let app = spawn_app().await;
    let kiosk = kiosk_from_cli(&app, "Feria");
    let key = public_key(&app, &kiosk).await;
    let (staff, csrf) = app.signed_in_staff().await;
    let paused = staff
        .post(app.url(&format!("/admin/campaigns/{DEMO}/pause")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("message", "Volvemos en una hora."),
        ])
        .send()
        .await
        .expect("pause");
    assert_eq!(paused.status().as_u16(), 303);

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let page = loop {
        let (status, page) = app.get_text(&kiosk).await;
        assert_eq!(status, 200);
        if page.contains("Volvemos en una hora.") || std::time::Instant::now() > deadline {
            break page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(
        page.contains("Volvemos en una hora."),
        "the kiosk shows staff's note"
    );
    let form = app
        .post_form(&format!("{kiosk}/sign"), &person("Tere", "Díaz", ""))
        .await;
    assert_eq!(form.status().as_u16(), 503);
    assert!(form.headers().contains_key("retry-after"));
    assert!(form.text().await.expect("body").contains("value=\"Tere\""));
    let upload = sealed(&key, "while-paused-000001", &entry("Rosa", "Icela"));
    let response = app.post_json(&format!("{kiosk}/signatures"), &upload).await;
    assert_eq!(
        response.status().as_u16(),
        429,
        "the device keeps it and tries later"
    );
    assert_eq!(kiosk_signatures(&app), 0);
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM kiosk_uploads"),
        0
    );
}

/// A kiosk made with the real command for another campaign, which it creates.
fn kiosk_of_another_campaign(app: &TestApp) -> String {
    let created = app.cli(
        &["campaign", "create", "otra-causa", "--title", "Otra causa"],
        "",
    );
    assert!(created.status.success(), "{created:?}");
    let output = app.cli(
        &[
            "kiosk",
            "create",
            "otra-causa",
            "--event",
            "Feria",
            "--base-url",
            "https://firmas.example",
        ],
        "",
    );
    assert!(output.status.success(), "{output:?}");
    let link = String::from_utf8(output.stdout).expect("utf-8");
    link.trim()
        .trim_start_matches("https://firmas.example")
        .to_owned()
}

#[tokio::test]
async fn a_signature_sealed_on_one_kiosk_does_not_count_through_another_campaigns_kiosk() {
    let app = spawn_app().await;
    let here = kiosk_from_cli(&app, "Feria");
    let elsewhere = kiosk_of_another_campaign(&app);
    let upload = sealed(
        &public_key(&app, &here).await,
        "sealed-here-0000001",
        &entry("Rosa", "Icela"),
    );

    let response = app
        .post_json(&format!("{elsewhere}/signatures"), &upload)
        .await;
    assert_eq!(response.status().as_u16(), 400, "it cannot be opened there");
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM signatures WHERE channel = 'kiosk'"),
        0
    );
    let response = app.post_json(&format!("{here}/signatures"), &upload).await;
    assert_eq!(
        response.status().as_u16(),
        200,
        "where it was sealed, it counts"
    );
    assert_eq!(kiosk_signatures(&app), 1);
}

#[tokio::test]
async fn a_revoked_kiosk_sending_in_a_loop_adds_no_rows_and_meets_its_ceiling_before_any_write() {
    let app = spawn_app().await;
    let kiosk = kiosk_from_cli(&app, "Feria");
    let to = public_key(&app, &kiosk).await;
    app.execute_sql("UPDATE kiosks SET revoked_at = created_at");

    // Well-formed envelopes that nobody can open, each with a new key: what a lost tablet
    // in a loop, or whoever found it, can send.
    let (mut refused, mut later) = (0, 0);
    for i in 0..45 {
        let mut upload = sealed(&to, &format!("lost-tablet-{i:08}"), &entry("Rosa", "Icela"));
        upload["ciphertext"] = serde_json::json!("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        let response = app.post_json(&format!("{kiosk}/signatures"), &upload).await;
        match response.status().as_u16() {
            410 => refused += 1,
            429 => later += 1,
            other => panic!("upload {i}: {other}"),
        }
    }

    assert!(later > 0, "the kiosk's ceiling holds for refusals too");
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM kiosk_uploads"),
        0,
        "no row per refusal"
    );
    assert_eq!(
        app.query_count("SELECT refused AS n FROM kiosks"),
        refused,
        "refusals are counted, and a send held back by the ceiling wrote nothing"
    );
    let (staff, _) = app.signed_in_staff().await;
    let listed = app
        .page_as(&staff, &format!("/admin/campaigns/{DEMO}/kiosks"))
        .await;
    assert!(
        listed.contains(&format!("<td class=\"refused\">{refused}</td>")),
        "{listed}"
    );
}

#[tokio::test]
async fn a_kiosk_entry_with_the_email_of_a_pending_online_signature_does_not_confirm_it() {
    let app = spawn_app().await;
    let kiosk = kiosk_from_cli(&app, "Feria");
    app.sign(&crate::helpers::signer("ana@example.org")).await;
    app.mail.wait_for("ana@example.org", 1).await;

    let response = app
        .post_form(
            &format!("{kiosk}/sign"),
            &person("Ana", "Pérez", "ana@example.org"),
        )
        .await;
    let stranger = app
        .post_form(
            &format!("{kiosk}/sign"),
            &person("Beto", "Ruiz", "beto@example.org"),
        )
        .await;

    assert_eq!(
        response.status(),
        stranger.status(),
        "the kiosk answers alike"
    );
    assert_eq!(
        response.headers()["location"],
        stranger.headers()["location"]
    );
    assert_eq!(
        app.query_count(
            "SELECT COUNT(*) AS n FROM signatures \
             WHERE email = 'ana@example.org' AND confirmed_at IS NULL AND channel = 'online'"
        ),
        1,
        "only the mailbox's owner confirms it, by its link"
    );
}

#[tokio::test]
async fn a_kiosk_queues_a_bounded_number_of_welcome_emails_a_day() {
    let app = spawn_app().await;
    let kiosk = kiosk_from_cli(&app, "Feria");
    // The kiosk has queued all but one of today's welcome emails.
    let today = chrono::Utc::now().date_naive();
    let cap = mariposa::domain::KIOSK_WELCOMES_PER_DAY;
    app.execute_sql(&format!(
        "UPDATE kiosks SET welcome_day = '{today}', welcomes = {}",
        cap - 1
    ));
    for (first, email) in [("Ana", "ana@example.org"), ("Beto", "beto@example.org")] {
        let mut form = person(first, "Ruiz", email);
        form.push(("email_opt_in", "yes".into()));
        let response = app.post_form(&format!("{kiosk}/sign"), &form).await;
        assert_eq!(response.status().as_u16(), 303);
    }

    assert_eq!(kiosk_signatures(&app), 2, "both count");
    assert_eq!(
        app.query_count("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'welcome'"),
        1,
        "the day's last welcome, and no more"
    );
    assert_eq!(
        app.query_count("SELECT CAST(welcomes AS BIGINT) AS n FROM kiosks"),
        i64::from(cap)
    );
}

/// The count as anyone can read it, once a count refresh has passed: the JSON API, the
/// badge and the campaign page's count and progress.
async fn what_the_public_sees(app: &TestApp) -> (serde_json::Value, String, String) {
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    let json: serde_json::Value = app
        .get(&format!("/api/v1/campaigns/{DEMO}"))
        .await
        .json()
        .await
        .expect("JSON");
    let (_, badge) = app.get_text(&format!("/campaigns/{DEMO}/badge.svg")).await;
    let (_, page) = app.get_text(&format!("/campaigns/{DEMO}?lang=en")).await;
    let start = page.find("<div class=\"progress\">").expect("the count");
    let end = start + page[start..].find("</div>").expect("its end");
    (json, badge, page[start..end].to_owned())
}

/// Guards the promise that nobody can find out that someone signed: a person alone at a
/// kiosk types a signer's email, then a new person, and watches the public count. Until the
/// publication at 00:00 UTC nothing moves; after it, one entry alone does not complete a
/// step of ten, so the signer's email and the new person still look alike.
#[tokio::test]
async fn the_public_count_does_not_tell_whether_someone_typed_at_a_kiosk_had_signed() {
    let app = spawn_app().await;
    let kiosk = kiosk_from_cli(&app, "Feria");
    app.sign_and_confirm("ana@example.org").await;
    let before = what_the_public_sees(&app).await;
    assert_eq!(before.0["online_count"], 1, "{before:?}");

    let signer = app
        .post_form(
            &format!("{kiosk}/sign"),
            &person("Ana", "García", "ana@example.org"),
        )
        .await;
    assert_eq!(signer.status().as_u16(), 303);
    assert_eq!(what_the_public_sees(&app).await, before, "a signer's email");
    let stranger = app
        .post_form(
            &format!("{kiosk}/sign"),
            &person("Beto", "Ruiz", "beto@example.org"),
        )
        .await;
    assert_eq!(stranger.status().as_u16(), 303);
    assert_eq!(what_the_public_sees(&app).await, before, "a new person");
    assert_eq!(kiosk_signatures(&app), 1, "staff count Beto at once");

    // 00:00 UTC passes: what was recorded before it (here, three days ago, in a campaign
    // that opened ten days ago) is published.
    let days_ago = |days| chrono::Utc::now().date_naive() - chrono::TimeDelta::days(days);
    app.execute_sql(&format!(
        "UPDATE campaigns SET created_at = '{} 00:00:00'",
        days_ago(10)
    ));
    let publish = || {
        app.execute_sql(&format!(
            "UPDATE signatures SET recorded_at = '{} 10:00:00' WHERE channel = 'kiosk'",
            days_ago(3)
        ));
    };
    publish();
    assert_eq!(
        what_the_public_sees(&app).await,
        before,
        "one new entry alone is not told apart from a signer's"
    );

    for i in 0..9 {
        let last = format!("Número {}", char::from(b'a' + i));
        let response = app
            .post_form(&format!("{kiosk}/sign"), &person("Persona", &last, ""))
            .await;
        assert_eq!(response.status().as_u16(), 303);
    }
    assert_eq!(what_the_public_sees(&app).await, before, "not before 00:00");
    publish();
    let (json, badge, progress) = what_the_public_sees(&app).await;
    assert_eq!(json["paper_count"], 10, "a whole step is published");
    assert_eq!(json["signature_count"], 11);
    assert_ne!(badge, before.1);
    // Pages are kept rendered for a moment; the published step reaches them too.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut progress = progress;
    while !progress.contains("1 online and 10 in person") && std::time::Instant::now() < deadline {
        progress = what_the_public_sees(&app).await.2;
    }
    assert!(progress.contains("1 online and 10 in person"), "{progress}");
    // Histories are kept a minute; a second server on the same database reads it afresh.
    let second = spawn_app_with(Options {
        database_url: Some(app.database_url.clone()),
        smtp: Some(app.smtp),
        ..Options::default()
    })
    .await;
    let history: serde_json::Value = second
        .get(&format!("/api/v1/campaigns/{DEMO}/history?interval=day"))
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(history["total"], 11, "{history}");
    assert_eq!(
        history["points"][0],
        serde_json::json!({
            "start": format!("{}T00:00:00Z", days_ago(2)),
            "confirmed": 10,
            "cumulative": 10
        }),
        "the step shows at its publication, not at each entry's hour"
    );
}
