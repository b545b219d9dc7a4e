//! Starts the real application on a random port with a temporary SQLite file, next to a
//! real SMTP server listening on loopback, and offers the steps a supporter takes.

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mailin_embedded::{Handler, Server, response};
use mariposa::config::{RetryPolicy, ServeArgs, Settings, Switch};
use mariposa::startup::Application;

pub const DEMO: &str = "butterflies-for-mexico";

/// An email as the SMTP server received it.
#[derive(Debug, Clone)]
pub struct ReceivedEmail {
    pub to: Vec<String>,
    pub raw: Vec<u8>,
}

impl ReceivedEmail {
    fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(&self.raw)
            .expect("the email is a valid MIME message")
    }

    pub fn subject(&self) -> String {
        self.parsed().subject().unwrap_or_default().to_owned()
    }

    pub fn text(&self) -> String {
        self.parsed()
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default()
    }

    pub fn html(&self) -> String {
        self.parsed()
            .body_html(0)
            .map(|t| t.into_owned())
            .unwrap_or_default()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.parsed()
            .header_raw(name)
            .map(|value| value.trim().to_owned())
    }

    /// The confirmation link from the text part.
    pub fn confirmation_link(&self) -> String {
        self.text()
            .split_whitespace()
            .find(|word| word.contains("/confirm/"))
            .expect("the email contains a confirmation link")
            .to_owned()
    }
}

/// A real SMTP server on loopback that keeps every message it receives.
#[derive(Clone, Default)]
pub struct MailSink {
    received: Arc<Mutex<Vec<ReceivedEmail>>>,
}

#[derive(Clone)]
struct SinkHandler {
    sink: MailSink,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for SinkHandler {
    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _8bit: bool,
        to: &[String],
    ) -> response::Response {
        self.to = to.to_vec();
        self.data.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> response::Response {
        self.sink
            .received
            .lock()
            .expect("sink lock")
            .push(ReceivedEmail {
                to: std::mem::take(&mut self.to),
                raw: std::mem::take(&mut self.data),
            });
        response::OK
    }
}

impl MailSink {
    /// Starts listening on `listener` in a thread of its own.
    pub fn start_on(listener: TcpListener) -> Self {
        let sink = MailSink::default();
        let handler = SinkHandler {
            sink: sink.clone(),
            to: Vec::new(),
            data: Vec::new(),
        };
        let mut server = Server::new(handler);
        server
            .with_name("mailsink.test")
            // One thread per SMTP connection. The app sends 16 at once; lettre may open more
            // connections than that while used ones are on their way back to its pool.
            .with_num_threads(64)
            .with_tcp_listener(listener);
        std::thread::spawn(move || {
            if let Err(error) = server.serve() {
                eprintln!("the test SMTP server stopped: {error}");
            }
        });
        sink
    }

    pub fn emails(&self) -> Vec<ReceivedEmail> {
        self.received.lock().expect("sink lock").clone()
    }

    pub fn emails_to(&self, address: &str) -> Vec<ReceivedEmail> {
        self.emails()
            .into_iter()
            .filter(|e| e.to.iter().any(|to| to.eq_ignore_ascii_case(address)))
            .collect()
    }

    /// Waits until `address` has received `count` emails, and returns them.
    pub async fn wait_for(&self, address: &str, count: usize) -> Vec<ReceivedEmail> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let emails = self.emails_to(address);
            if emails.len() >= count {
                return emails;
            }
            assert!(
                Instant::now() < deadline,
                "{address} received {} emails, expected {count}",
                emails.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

pub fn free_port() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").expect("a free loopback port")
}

pub struct TestApp {
    pub address: String,
    pub db_path: PathBuf,
    pub mail: MailSink,
    pub client: reqwest::Client,
    _dir: tempfile::TempDir,
}

/// How a test wants the application set up.
#[derive(Default)]
pub struct Options {
    /// Where the SMTP relay is; `None` starts a sink for this app.
    pub smtp: Option<SocketAddr>,
    /// Signatures that may wait for the writer, and how many it commits at once; `None`
    /// keeps the defaults.
    pub writer_queue: Option<(usize, usize)>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

pub async fn spawn_app_with(options: Options) -> TestApp {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db_path = dir.path().join("mariposa.db");
    let (mail, smtp_addr) = match options.smtp {
        Some(addr) => (MailSink::default(), addr),
        None => {
            let listener = free_port();
            let addr = listener.local_addr().expect("sink address");
            (MailSink::start_on(listener), addr)
        }
    };
    let args = ServeArgs {
        bind: "127.0.0.1:0".parse().expect("loopback address"),
        base_url: None,
        smtp_url: Some(format!("smtp://{smtp_addr}")),
        smtp_connections: 16,
        mail_from: "Mariposa <no-reply@mariposa.test>"
            .parse()
            .expect("mailbox"),
        secret_key: Some("a test secret that is long enough to use".into()),
        no_demo: false,
        group_commit: Switch::On,
    };
    let mut settings = Settings::from_args(&format!("sqlite://{}", db_path.display()), &args)
        .expect("valid settings");
    settings.mail_retry = RetryPolicy {
        first_delay: Duration::from_millis(100),
        max_delay: Duration::from_millis(400),
    };
    settings.count_refresh = Duration::from_millis(200);
    settings.campaign_refresh = Duration::from_millis(200);
    if let Some((queue_capacity, max_batch)) = options.writer_queue {
        settings.writer.queue_capacity = queue_capacity;
        settings.writer.max_batch = max_batch;
    }
    let app = Application::build(settings).await.expect("the app starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        db_path,
        mail,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client"),
        _dir: dir,
    }
}

/// A complete, valid signature; tests change the fields they care about.
pub fn signer(email: &str) -> Vec<(&'static str, String)> {
    vec![
        ("first_name", "José Ñúñez".into()),
        ("last_name", "O'Connor".into()),
        ("email", email.into()),
        ("country", "MX".into()),
        ("postal_code", "39090".into()),
        ("comment", String::new()),
    ]
}

pub fn with(
    mut fields: Vec<(&'static str, String)>,
    name: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    fields.retain(|(n, _)| *n != name);
    fields.push((name, value.to_owned()));
    fields
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("GET request")
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    /// The form token of the campaign page, as a browser would find it.
    pub async fn form_token(&self, slug: &str) -> String {
        let (status, html) = self.get_text(&format!("/campaigns/{slug}")).await;
        assert_eq!(status, 200);
        hidden_value(&html, "csrf_token")
    }

    /// Posts the signing form with a valid token.
    pub async fn sign(&self, fields: &[(&'static str, String)]) -> reqwest::Response {
        let token = self.form_token(DEMO).await;
        let mut form: Vec<(&str, String)> = fields.to_vec();
        form.push(("csrf_token", token));
        self.post_form(&format!("/campaigns/{DEMO}/sign"), &form)
            .await
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, String)]) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .expect("POST request")
    }

    /// Signs, confirms through the emailed link, and returns the confirmation email.
    pub async fn sign_and_confirm(&self, email: &str) -> ReceivedEmail {
        let before = self.mail.emails_to(email).len();
        assert_eq!(self.sign(&signer(email)).await.status().as_u16(), 303);
        let emails = self.mail.wait_for(email, before + 1).await;
        let confirmation = emails[before].clone();
        let path = confirmation.confirmation_link().replace(&self.address, "");
        let response = self.post_form(&path, &[]).await;
        assert_eq!(response.status().as_u16(), 303);
        confirmation
    }

    /// The public count, waiting up to a few seconds for it to reach `expected`.
    pub async fn count_becomes(&self, expected: i64) -> i64 {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let count = self.public_count().await;
            if count == expected || Instant::now() > deadline {
                return count;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn public_count(&self) -> i64 {
        let json: serde_json::Value = self
            .get(&format!("/api/v1/campaigns/{DEMO}"))
            .await
            .json()
            .await
            .expect("JSON");
        json["signature_count"].as_i64().expect("a count")
    }

    /// Rows in the signatures table, read straight from the database file.
    pub fn stored_signatures(&self) -> i64 {
        self.query_count("SELECT COUNT(*) AS n FROM signatures")
    }

    pub fn query_count(&self, sql: &str) -> i64 {
        use diesel::{Connection, QueryableByName, RunQueryDsl, sql_types::BigInt};
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let mut conn = diesel::SqliteConnection::establish(&self.db_path.to_string_lossy())
            .expect("open the test database");
        diesel::sql_query(sql)
            .get_result::<Count>(&mut conn)
            .expect("count query")
            .n
    }
}

/// The value of a hidden input in a page.
pub fn hidden_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).expect("the field is in the page") + marker.len();
    let end = html[start..].find('"').expect("the value ends") + start;
    html[start..end].to_owned()
}

impl TestApp {
    /// Confirms the signature `email` already made, through the link in its first email.
    pub async fn sign_and_confirm_existing(&self, email: &str) {
        let link = self.mail.wait_for(email, 1).await[0].confirmation_link();
        let response = self.post_form(&link.replace(&self.address, ""), &[]).await;
        assert_eq!(response.status().as_u16(), 303);
    }

    /// Runs a statement against the database file, as an operator or a clock would.
    pub fn execute_sql(&self, sql: &str) {
        use diesel::{Connection, RunQueryDsl};
        let mut conn = diesel::SqliteConnection::establish(&self.db_path.to_string_lossy())
            .expect("open the test database");
        diesel::sql_query(sql)
            .execute(&mut conn)
            .expect("statement");
    }
}
