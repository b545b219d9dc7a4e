//! Relays that misbehave: one that accepts connections and never answers, one that refuses
//! an address for good. Mail is delayed, not lost; what can never be sent ends as failed,
//! where staff and `/metrics` see it; and stopping the server never waits for a relay.

use std::io::Write;
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::child_server::ChildServer;
use crate::helpers::{
    DEMO, MailSink, Options, TestApp, connect, free_port, fresh_database, hidden_value, signer,
    spawn_app, spawn_app_with, with,
};

/// A relay that accepts its first `silent` connections and never says a word on them (no
/// greeting, no answer, no close), then passes every later connection through to a working
/// SMTP server.
struct SilentRelay {
    address: SocketAddr,
    accepted: Arc<AtomicUsize>,
    silent: Arc<Mutex<Vec<TcpStream>>>,
}

impl SilentRelay {
    fn start(silent: usize, working: SocketAddr) -> Self {
        let listener = free_port();
        let address = listener.local_addr().expect("relay address");
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&accepted);
        let held = Arc::new(Mutex::new(Vec::new()));
        let holding = Arc::clone(&held);
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                if counter.fetch_add(1, Ordering::SeqCst) < silent {
                    holding.lock().expect("relay lock").push(client);
                    continue;
                }
                if let Ok(server) = TcpStream::connect(working) {
                    pipe(client, server);
                }
            }
        });
        Self {
            address,
            accepted,
            silent: held,
        }
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// Connections it stayed silent on that the client has since closed.
    fn silent_connections_closed(&self) -> usize {
        let held = self.silent.lock().expect("relay lock");
        held.iter()
            .filter(|socket| {
                socket.set_nonblocking(true).expect("non-blocking");
                matches!(socket.peek(&mut [0u8; 64]), Ok(0))
            })
            .count()
    }
}

/// Copies bytes both ways between two sockets until either side closes.
fn pipe(client: TcpStream, server: TcpStream) {
    for (mut from, mut to) in [
        (
            client.try_clone().expect("clone"),
            server.try_clone().expect("clone"),
        ),
        (server, client),
    ] {
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut from, &mut to);
            let _ = to.flush();
            let _ = to.shutdown(Shutdown::Write);
        });
    }
}

async fn metric(app: &TestApp, name: &str) -> Option<u64> {
    let (_, metrics) = app.get_text("/metrics").await;
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{name} ")))
        .and_then(|value| value.parse().ok())
}

/// Waits, generously, for `done` to hold.
async fn eventually(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(90);
    while !done().await {
        assert!(Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_relay_that_never_answers_delays_mail_but_loses_none() {
    let working = free_port();
    let sink = MailSink::start_on(working.try_clone().expect("listener"));
    let relay = SilentRelay::start(6, working.local_addr().expect("sink address"));
    let app = spawn_app_with(Options {
        smtp: Some(relay.address),
        smtp_timeout: Some(Duration::from_secs(2)),
        ..Options::default()
    })
    .await;
    let signers: Vec<String> = (0..12).map(|i| format!("s{i}@example.org")).collect();
    for email in &signers {
        assert_eq!(app.sign(&signer(email)).await.status().as_u16(), 303);
    }

    eventually("every signer gets their email in the end", async || {
        signers
            .iter()
            .all(|email| !sink.emails_to(email).is_empty())
    })
    .await;

    assert!(
        relay.accepted() > 6,
        "the relay stayed silent on some connections"
    );
    eventually(
        "the app closes the connections the relay never answered on",
        async || relay.silent_connections_closed() == 6,
    )
    .await;
    assert!(
        metric(&app, "mariposa_email_send_failures_total")
            .await
            .is_some_and(|failures| failures >= 1),
        "the attempts that ran out of time are counted"
    );
    eventually("the outbox empties", async || {
        metric(&app, "mariposa_outbox_depth").await == Some(0)
    })
    .await;
}

#[tokio::test]
async fn an_address_the_relay_refuses_for_good_ends_failed_and_the_others_are_delivered() {
    let app = spawn_app().await;
    app.mail.refuse("nadie@example.org");
    for email in ["nadie@example.org", "ana@example.org", "luis@example.org"] {
        assert_eq!(app.sign(&signer(email)).await.status().as_u16(), 303);
    }

    app.mail.wait_for("ana@example.org", 1).await;
    app.mail.wait_for("luis@example.org", 1).await;
    eventually("the refused email is given up on", async || {
        metric(&app, "mariposa_outbox_failed").await == Some(1)
    })
    .await;

    assert!(app.mail.emails_to("nadie@example.org").is_empty());
    assert_eq!(metric(&app, "mariposa_emails_failed_total").await, Some(1));
    eventually("a failed email no longer waits to be sent", async || {
        metric(&app, "mariposa_outbox_depth").await == Some(0)
    })
    .await;
    let (staff, _) = app.signed_in_staff().await;
    let dashboard = app
        .page_as(&staff, &format!("/admin/campaigns/{DEMO}"))
        .await;
    assert!(
        dashboard.contains("Emails that could not be sent</dt><dd>1</dd>"),
        "staff see the failed email on the dashboard"
    );
}

#[tokio::test]
async fn stopping_the_server_does_not_wait_for_a_relay_that_never_answers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (database, _guard) = fresh_database(dir.path());
    let unused = free_port();
    let relay = SilentRelay::start(usize::MAX, unused.local_addr().expect("address"));
    let smtp_url = format!("smtp://{}", relay.address);
    let mut server = ChildServer::start(
        &database,
        &[
            ("MARIPOSA_SMTP_URL", smtp_url.as_str()),
            ("MARIPOSA_RATE_LIMITS", "off"),
        ],
    )
    .await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let page = client
        .get(format!("{}/campaigns/{DEMO}", server.address))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    let token = hidden_value(&page, "csrf_token");
    // The server takes forms sent within two seconds of being served for bots.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let form = with(signer("ana@example.org"), "csrf_token", &token);
    let signed = client
        .post(format!("{}/campaigns/{DEMO}/sign", server.address))
        .form(&form)
        .send()
        .await
        .expect("sign");
    assert_eq!(signed.status().as_u16(), 303);
    eventually("the server is sending to the silent relay", async || {
        relay.accepted() > 0
    })
    .await;

    let term = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(term.success());

    // Without a relay in the way the server stops in well under a second; a server that
    // waited for the relay's deadlines (30 seconds at least) would still be running.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = server.child.try_wait().expect("wait") {
            assert!(status.success(), "the server stopped cleanly: {status}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the server is still running 20 seconds after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let pending = {
        use diesel::{QueryableByName, RunQueryDsl, sql_types::BigInt};
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let mut conn = connect(&database);
        diesel::sql_query(
            "SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL AND locked_until IS NULL",
        )
        .get_result::<Count>(&mut conn)
        .expect("count")
        .n
    };
    assert_eq!(pending, 1, "the email waits, unclaimed, for the next start");
}
