//! Starts the real application on a random port with a temporary SQLite file, or a fresh
//! PostgreSQL database when `MARIPOSA_TEST_POSTGRES` names a server, next to a real SMTP
//! server listening on loopback, and offers the steps a supporter takes.

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mailin_embedded::{Handler, Server, response};
use mariposa::config::SessionPolicy;
use mariposa::config::{Reminders, RetryPolicy, ServeArgs, Settings, Switch};
use mariposa::startup::Application;

pub const DEMO: &str = "butterflies-for-mexico";

/// How long after signing a test app with reminders sends one.
pub const REMINDER_AFTER: Duration = Duration::from_secs(60 * 60);

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
    /// Recipients this server refuses for good, with `550`.
    refused: Arc<Mutex<Vec<String>>>,
    /// How long this server takes to accept each email once it has all of it.
    slowness: Arc<Mutex<Duration>>,
}

#[derive(Clone)]
struct SinkHandler {
    sink: MailSink,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for SinkHandler {
    fn rcpt(&mut self, to: &str) -> response::Response {
        let to = to.trim_matches(|c| c == '<' || c == '>');
        let refused = self.sink.refused.lock().expect("sink lock");
        if refused.iter().any(|r| r.eq_ignore_ascii_case(to)) {
            response::NO_MAILBOX
        } else {
            response::OK
        }
    }

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
        let slowness = *self.sink.slowness.lock().expect("sink lock");
        std::thread::sleep(slowness);
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

    /// From now on this server answers `550` to `address`, as a relay does for a mailbox
    /// that does not exist.
    pub fn refuse(&self, address: &str) {
        self.refused
            .lock()
            .expect("sink lock")
            .push(address.to_owned());
    }

    /// From now on this server takes `per_email` to accept each email, as a busy relay
    /// does.
    pub fn slow_down(&self, per_email: Duration) {
        *self.slowness.lock().expect("sink lock") = per_email;
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
    /// The SQLite file; on PostgreSQL, a path where nothing is.
    pub db_path: PathBuf,
    /// What `MARIPOSA_DATABASE_URL` says for this app.
    pub database_url: String,
    pub mail: MailSink,
    /// Where this app sends its emails.
    pub smtp: SocketAddr,
    pub client: reqwest::Client,
    _database: Option<TestDatabase>,
    _dir: tempfile::TempDir,
}

/// The PostgreSQL server the tests run against: the test script starts a private one and
/// names it (`postgres://postgres@127.0.0.1:PORT`); unset, the tests run on SQLite.
pub fn postgres_server() -> Option<String> {
    std::env::var("MARIPOSA_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
        .map(|url| url.trim_end_matches('/').to_owned())
}

/// A database of one test's own, cloned from a migrated template and dropped with the test.
pub struct TestDatabase {
    server: String,
    name: String,
}

impl TestDatabase {
    pub fn url(&self) -> String {
        format!("{}/{}", self.server, self.name)
    }

    /// A new database for one test. The template is migrated once per test process, so
    /// that each test starts from a copy instead of running every migration again.
    pub fn create(server: &str) -> Self {
        use std::sync::OnceLock;
        static TEMPLATE: OnceLock<String> = OnceLock::new();
        let template = TEMPLATE.get_or_init(|| {
            let name = format!("mariposa_template_{}", std::process::id());
            admin_sql(server, &format!("DROP DATABASE IF EXISTS {name}"));
            admin_sql(server, &format!("CREATE DATABASE {name}"));
            let url = mariposa::db::DatabaseUrl::parse(&format!("{server}/{name}"))
                .expect("a PostgreSQL URL");
            mariposa::db::Database::open(&url, 1)
                .expect("the template database opens")
                .migrate()
                .expect("the template database migrates");
            name
        });
        Self::named(server, &format!("TEMPLATE {template}"))
    }

    /// An empty database, to restore a backup into.
    pub fn empty(server: &str) -> Self {
        Self::named(server, "")
    }

    fn named(server: &str, options: &str) -> Self {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "mariposa_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        admin_sql(server, &format!("CREATE DATABASE {name} {options}"));
        Self {
            server: server.to_owned(),
            name,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        use diesel::{Connection, RunQueryDsl};
        // FORCE ends the app's own connections, which may outlive the test by a moment.
        if let Ok(mut conn) = diesel::PgConnection::establish(&format!("{}/postgres", self.server))
        {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut conn);
        }
    }
}

/// A database for a server that a test starts itself: a SQLite file in `dir`, or a new
/// PostgreSQL database, dropped with the guard returned beside its URL.
pub fn fresh_database(dir: &std::path::Path) -> (String, Option<TestDatabase>) {
    match postgres_server() {
        Some(server) => {
            let database = TestDatabase::create(&server);
            (database.url(), Some(database))
        }
        None => (
            format!("sqlite://{}", dir.join("mariposa.db").display()),
            None,
        ),
    }
}

/// Runs a statement on the server's maintenance database, as the cluster's superuser.
pub fn admin_sql(server: &str, sql: &str) {
    use diesel::{Connection, RunQueryDsl};
    let mut conn = diesel::PgConnection::establish(&format!("{server}/postgres"))
        .expect("the test PostgreSQL server answers");
    diesel::sql_query(sql)
        .execute(&mut conn)
        .unwrap_or_else(|error| panic!("{sql}: {error}"));
}

/// How a test wants the application set up.
#[derive(Default)]
pub struct Options {
    /// Where the SMTP relay is; `None` starts a sink for this app.
    pub smtp: Option<SocketAddr>,
    /// Another app's database, for a second server sharing it; `None` makes a new one.
    pub database_url: Option<String>,
    /// How long staff sessions last; `None` keeps the defaults.
    pub session_policy: Option<SessionPolicy>,
    /// Most tests send many requests from one address; those about limits turn them on.
    pub rate_limits: bool,
    pub trusted_proxies: &'static str,
    /// Tests post forms at once, which the default two-second minimum would take for a bot.
    pub min_fill_time: Duration,
    pub anonymise_after_days: u32,
    pub max_database_pages: Option<u64>,
    /// The public address, when a test needs it to differ from the bound one.
    pub base_url: Option<&'static str>,
    /// Signatures that may wait for the writer, and how many it commits at once; `None`
    /// keeps the defaults.
    pub writer_queue: Option<(usize, usize)>,
    /// How long the relay may take over each SMTP step; `None` keeps the default.
    pub smtp_timeout: Option<Duration>,
    /// Connections one client address may hold open; `None` leaves them uncapped.
    pub max_connections_per_client: Option<usize>,
    /// Reminds signers who have not confirmed an hour after signing, checking often: tests
    /// make a signature that old by moving its `created_at` back. Off otherwise, so that
    /// tests that age signatures for other reasons get no reminders.
    pub reminders: bool,
    /// Update emails sent per minute; `None` keeps the default.
    pub update_rate_per_minute: Option<u32>,
    /// How far this server's clock is off; servers in tests share the machine's clock.
    pub clock_skew: chrono::TimeDelta,
    /// How long a mail worker keeps the emails it claimed; `None` keeps five minutes.
    pub mail_lease_seconds: Option<u32>,
    /// How long a count history is kept before it is read afresh; `None` keeps a minute.
    pub history_ttl: Option<Duration>,
    /// How long a sent update can be cancelled; `None` sends at once, as tests about
    /// sending want, where the default would keep them waiting three minutes.
    pub update_cancel_window: Option<Duration>,
    /// How often open campaigns are checked for waves to alert staff about; `None` keeps
    /// five minutes, which no test waits for.
    pub review_alerts_every: Option<Duration>,
    /// A file of throwaway-mail domains in place of the shipped list.
    pub throwaway_domains: Option<PathBuf>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

pub async fn spawn_app_with(options: Options) -> TestApp {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db_path = dir.path().join("mariposa.db");
    let database = match options.database_url {
        Some(_) => None,
        None => postgres_server().map(|server| TestDatabase::create(&server)),
    };
    let database_url = match (&options.database_url, &database) {
        (Some(shared), _) => shared.clone(),
        (None, Some(database)) => database.url(),
        (None, None) => format!("sqlite://{}", db_path.display()),
    };
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
        base_url: options.base_url.map(str::to_owned),
        smtp_url: Some(format!("smtp://{smtp_addr}")),
        smtp_connections: 16,
        smtp_timeout_seconds: options.smtp_timeout.map_or(30, |timeout| {
            timeout.as_secs().try_into().expect("whole seconds")
        }),
        mail_from: "Mariposa <no-reply@mariposa.test>"
            .parse()
            .expect("mailbox"),
        secret_key: Some("a test secret that is long enough to use".into()),
        no_demo: false,
        rate_limits: if options.rate_limits {
            Switch::On
        } else {
            Switch::Off
        },
        trusted_proxies: options.trusted_proxies.parse().expect("valid proxy list"),
        pending_retention_days: 30,
        reminder_after_hours: 0,
        update_rate_per_minute: options.update_rate_per_minute.unwrap_or(600),
        anonymise_after_days: options.anonymise_after_days,
        mail_lease_seconds: options.mail_lease_seconds.unwrap_or(300),
        group_commit: Switch::On,
        network_retention_days: 30,
        throwaway_domains: options.throwaway_domains.clone(),
    };
    let mut settings = Settings::from_args(&database_url, &args).expect("valid settings");
    settings.mail_retry = RetryPolicy {
        first_delay: Duration::from_millis(100),
        max_delay: Duration::from_millis(400),
        permanent_delay: Duration::from_millis(100),
        ..RetryPolicy::default()
    };
    settings.count_refresh = Duration::from_millis(200);
    settings.min_fill_time = options.min_fill_time;
    settings.retention.check_every = Duration::from_millis(200);
    settings.max_database_pages = options.max_database_pages;
    settings.campaign_refresh = Duration::from_millis(200);
    settings.max_connections_per_client = options.max_connections_per_client;
    settings.clock_skew = options.clock_skew;
    settings.update_cancel_window = options.update_cancel_window.unwrap_or(Duration::ZERO);
    if let Some(ttl) = options.history_ttl {
        settings.history_ttl = ttl;
    }
    settings.review.invalidations_every = Duration::from_millis(100);
    if let Some(every) = options.review_alerts_every {
        settings.review.alerts_every = every;
    }
    if options.reminders {
        settings.reminders = Reminders {
            after: Some(REMINDER_AFTER),
            check_every: Duration::from_millis(100),
        };
    }
    if let Some(policy) = options.session_policy {
        settings.session_policy = policy;
    }
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
        database_url,
        mail,
        smtp: smtp_addr,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client"),
        _database: database,
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

    /// Signatures that count, as staff see them at once: the public count publishes those
    /// given in person later, in steps (see `domain::publication`).
    pub fn counted(&self) -> i64 {
        self.query_count("SELECT COUNT(*) AS n FROM signatures WHERE confirmed_at IS NOT NULL")
    }

    /// The same as (total, online, in person).
    pub fn counted_by_channel(&self) -> (i64, i64, i64) {
        let online = self.query_count(
            "SELECT COUNT(*) AS n FROM signatures \
             WHERE confirmed_at IS NOT NULL AND channel = 'online'",
        );
        let total = self.counted();
        (total, online, total - online)
    }

    /// Rows in the signatures table, read straight from the database file.
    pub fn stored_signatures(&self) -> i64 {
        self.query_count("SELECT COUNT(*) AS n FROM signatures")
    }

    pub fn query_count(&self, sql: &str) -> i64 {
        use diesel::{QueryableByName, RunQueryDsl, sql_types::BigInt};
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        diesel::sql_query(sql)
            .get_result::<Count>(&mut self.connect())
            .expect("count query")
            .n
    }
}

/// The API token a staff page shows once, right after creating it.
pub fn shown_token(page: &str) -> String {
    let marker = "<code class=\"token\">";
    let start = page.find(marker).expect("the new token is shown") + marker.len();
    page[start..start + 43].to_owned()
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
        // Another server sharing the database may have sent it, with its own address.
        let link = self.mail.wait_for(email, 1).await[0].confirmation_link();
        let path = &link[link.find("/confirm/").expect("a confirmation path")..];
        let response = self.post_form(path, &[]).await;
        assert_eq!(response.status().as_u16(), 303);
    }

    /// Runs a statement against the database file, as an operator or a clock would.
    pub fn execute_sql(&self, sql: &str) {
        use diesel::connection::SimpleConnection;
        self.connect()
            .batch_execute(sql)
            .unwrap_or_else(|error| panic!("{sql}: {error}"));
    }

    /// Backdates every campaign's creation, for sheets signed before the test started:
    /// dates before a campaign existed are refused.
    pub fn campaigns_created_on(&self, day: &str) {
        self.execute_sql(&format!(
            "UPDATE campaigns SET created_at = '{day} 00:00:00'"
        ));
    }

    /// A connection of the test's own to the app's database. On SQLite it waits for the
    /// app's writers, as the app's own connections do, instead of failing with "database is
    /// locked".
    pub fn connect(&self) -> mariposa::db::Connection {
        connect(&self.database_url)
    }
}

impl TestApp {
    /// Runs the real `mariposa` binary against this app's database.
    pub fn cli(&self, args: &[&str], stdin: &str) -> std::process::Output {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mariposa"))
            .args(args)
            .env("MARIPOSA_DATABASE_URL", &self.database_url)
            .env("MARIPOSA_LOG", "warn")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the mariposa binary runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stdin.as_bytes())
            .expect("write stdin");
        child.wait_with_output().expect("the command finishes")
    }

    /// Runs the real `mariposa` binary against another database, such as a restored backup.
    pub fn cli_on(&self, database_url: &str, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_mariposa"))
            .args(args)
            .env("MARIPOSA_DATABASE_URL", database_url)
            .env("MARIPOSA_LOG", "warn")
            .output()
            .expect("the mariposa binary runs")
    }

    /// Creates a staff account through `mariposa admin create`.
    pub fn create_staff(&self, email: &str, password: &str) {
        let output = self.cli(&["admin", "create", email], &format!("{password}\n"));
        assert!(
            output.status.success(),
            "admin create failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// A browser-like client that keeps cookies and does not follow redirects, set to
    /// English: staff accounts read their pages in the browser's language until they choose.
    pub fn staff_client(&self) -> reqwest::Client {
        self.staff_client_in("en")
    }

    /// A staff browser whose language setting (`Accept-Language`) is `lang`.
    pub fn staff_client_in(&self, lang: &str) -> reqwest::Client {
        let mut headers = reqwest::header::HeaderMap::new();
        if let Ok(value) = reqwest::header::HeaderValue::from_str(lang) {
            headers.insert(reqwest::header::ACCEPT_LANGUAGE, value);
        }
        reqwest::Client::builder()
            .default_headers(headers)
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client")
    }

    /// Fills in and sends the sign-in form with `client`.
    pub async fn login(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        let page = client
            .get(self.url("/admin/login"))
            .send()
            .await
            .expect("login page")
            .text()
            .await
            .expect("body");
        let token = hidden_value(&page, "csrf_token");
        client
            .post(self.url("/admin/login"))
            .form(&[
                ("email", email),
                ("password", password),
                ("csrf_token", &token),
            ])
            .send()
            .await
            .expect("login")
    }

    /// The page at `path` as `client` sees it (a staff session, say).
    pub async fn page_as(&self, client: &reqwest::Client, path: &str) -> String {
        client
            .get(self.url(path))
            .send()
            .await
            .expect("GET request")
            .text()
            .await
            .expect("body")
    }

    /// A signed-in staff client and the CSRF token its forms carry.
    pub async fn signed_in_staff(&self) -> (reqwest::Client, String) {
        self.create_staff("ana@example.org", "a long staff password");
        let client = self.staff_client();
        let response = self
            .login(&client, "ana@example.org", "a long staff password")
            .await;
        assert_eq!(response.status().as_u16(), 303, "signed in");
        let page = client
            .get(self.url("/admin/tokens"))
            .send()
            .await
            .expect("a staff page")
            .text()
            .await
            .expect("body");
        let csrf = hidden_value(&page, "csrf_token");
        (client, csrf)
    }

    /// Posts `body` as JSON, as a partner's server or page would.
    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("POST request")
    }

    /// The form token of the embedded form, as a browser inside the iframe would find it.
    pub async fn embed_form_token(&self, slug: &str) -> String {
        let (status, html) = self.get_text(&format!("/embed/{slug}")).await;
        assert_eq!(status, 200);
        hidden_value(&html, "csrf_token")
    }

    /// Sets the partner sites allowed to frame the campaign and call its API, as staff would.
    pub async fn set_embed_origins(&self, slug: &str, origins: &str) {
        self.change_campaigns(&format!(
            "UPDATE campaigns SET embed_origins = '{}' WHERE slug = '{slug}'",
            origins.replace('\'', "''")
        ))
        .await;
    }

    /// Changes campaigns behind the app's back, as another server or the command line
    /// would, and waits until the app has reloaded them: two reloads after the change, as
    /// the first may have read the database before it.
    pub async fn change_campaigns(&self, sql: &str) {
        let before = self.campaign_reloads().await;
        self.execute_sql(sql);
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.campaign_reloads().await < before + 2 {
            assert!(Instant::now() < deadline, "the app reloads its campaigns");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn campaign_reloads(&self) -> u64 {
        let (_, metrics) = self.get_text("/metrics").await;
        metrics
            .lines()
            .find_map(|line| line.strip_prefix("mariposa_campaign_reloads_total "))
            .and_then(|value| value.parse().ok())
            .expect("/metrics counts campaign reloads")
    }
}

/// A valid signature in the OSDI record-signature-helper shape.
pub fn osdi_signature(email: &str) -> serde_json::Value {
    serde_json::json!({
        "person": {
            "given_name": "Ana",
            "family_name": "López Guerrero",
            "email_addresses": [{ "address": email }],
            "postal_addresses": [{ "postal_code": "39090", "country": "MX" }]
        },
        "comments": "¡Vivos se los llevaron!",
        "referrer_data": { "source": "Centro-Prodh" }
    })
}

/// A connection of a test's own to the database at `url`.
pub fn connect(url: &str) -> mariposa::db::Connection {
    use diesel::Connection;
    use diesel::connection::SimpleConnection;
    match url.strip_prefix("sqlite://") {
        Some(path) => {
            let mut conn =
                diesel::SqliteConnection::establish(path).expect("open the test database");
            conn.batch_execute("PRAGMA busy_timeout = 5000")
                .expect("set a busy timeout");
            mariposa::db::Connection::Sqlite(conn)
        }
        None => mariposa::db::Connection::Postgres(
            diesel::PgConnection::establish(url).expect("connect to the test database"),
        ),
    }
}
