//! A database that goes away while an email is on its way: what was sent is recorded once
//! the database is back, and the email is not sent again, however long the outage.

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;

use crate::helpers::{Options, TestApp, admin_sql, postgres_server, signer, spawn_app_with};

/// Longer than the mail lease in this test, than the pool waits for a connection (10 s)
/// and than SQLite waits for a lock (5 s): the server gives up recording at least once.
const OUTAGE: Duration = Duration::from_secs(13);

/// The database out of the server's reach. On PostgreSQL its connections are ended and no
/// new one is let in; SQLite, a file in the process, is locked by another writer instead.
enum Outage {
    Postgres { server: String, name: String },
    Sqlite(mariposa::db::Connection),
}

impl Outage {
    fn start(app: &TestApp) -> Self {
        match postgres_server() {
            Some(server) => {
                let name = app
                    .database_url
                    .rsplit('/')
                    .next()
                    .expect("a database name")
                    .to_owned();
                admin_sql(
                    &server,
                    &format!("ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false"),
                );
                admin_sql(
                    &server,
                    &format!(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
                    ),
                );
                Self::Postgres { server, name }
            }
            None => {
                let mut conn = app.connect();
                conn.batch_execute("BEGIN IMMEDIATE")
                    .expect("the write lock");
                Self::Sqlite(conn)
            }
        }
    }

    fn end(self) {
        match self {
            Self::Postgres { server, name } => admin_sql(
                &server,
                &format!("ALTER DATABASE {name} WITH ALLOW_CONNECTIONS true"),
            ),
            Self::Sqlite(mut conn) => conn.batch_execute("ROLLBACK").expect("unlocked"),
        }
    }
}

#[tokio::test]
async fn an_email_sent_while_the_database_is_away_longer_than_the_lease_goes_out_once() {
    let app = spawn_app_with(Options {
        mail_lease_seconds: Some(2),
        ..Options::default()
    })
    .await;
    // The relay takes a second to accept, so the database goes away while it does.
    app.mail.slow_down(Duration::from_secs(1));
    assert_eq!(
        app.sign(&signer("ana@example.org")).await.status().as_u16(),
        303
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let outage = Outage::start(&app);
    tokio::time::sleep(OUTAGE).await;
    outage.end();

    let deadline = Instant::now() + Duration::from_secs(30);
    while app.query_count("SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NOT NULL") < 1 {
        assert!(Instant::now() < deadline, "the email is recorded as sent");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Past the lease and the workers' next looks at the outbox: a second copy would be here.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let ids: Vec<String> = app
        .mail
        .emails_to("ana@example.org")
        .iter()
        .map(|email| email.header("Message-ID").expect("a Message-ID"))
        .collect();
    assert_eq!(ids.len(), 1, "one email, not {}: {ids:?}", ids.len());
}
