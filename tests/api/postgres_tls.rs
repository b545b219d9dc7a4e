//! Mariposa reaches PostgreSQL over TLS, as managed databases require, and checks the
//! server's certificate as the URL asks. The server is a private cluster with `ssl=on` and a
//! certificate for `localhost` only, signed by a CA that scripts/test makes
//! (scripts/lib/private-postgres.sh).

use std::path::PathBuf;
use std::process::{Command, Output};

use crate::helpers::{Options, TestDatabase, spawn_app_with};

/// The TLS server (`postgres://postgres@localhost:PORT`) and its CA's certificate.
fn tls_server() -> Option<(String, PathBuf)> {
    let server = std::env::var("MARIPOSA_TEST_POSTGRES_TLS").unwrap_or_default();
    let ca = std::env::var("MARIPOSA_TEST_POSTGRES_TLS_CA").unwrap_or_default();
    if server.is_empty() || ca.is_empty() {
        eprintln!(
            "SKIPPED: PostgreSQL over TLS needs MARIPOSA_TEST_POSTGRES_TLS and \
             MARIPOSA_TEST_POSTGRES_TLS_CA (scripts/test sets them)"
        );
        return None;
    }
    Some((server.trim_end_matches('/').to_owned(), PathBuf::from(ca)))
}

fn migrate(database_url: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mariposa"))
        .arg("migrate")
        .env("MARIPOSA_DATABASE_URL", database_url)
        .env("MARIPOSA_LOG", "warn")
        .output()
        .expect("the mariposa binary runs")
}

/// A CA that did not sign the server's certificate, made with the openssl command.
fn another_ca(dir: &std::path::Path) -> PathBuf {
    let ca = dir.join("other-ca.pem");
    let status = Command::new("openssl")
        .args(["req", "-x509", "-new", "-nodes", "-newkey", "ec"])
        .args(["-pkeyopt", "ec_paramgen_curve:prime256v1", "-days", "1"])
        .args(["-subj", "/CN=Another CA", "-keyout"])
        .arg(dir.join("other-ca.key"))
        .arg("-out")
        .arg(&ca)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("the openssl command runs");
    assert!(status.success(), "openssl made no CA");
    ca
}

/// Refused in one line that says why, with no panic and no backtrace.
fn assert_refused(output: &Output, expected: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "it connected: {stderr}");
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "not one line: {stderr}"
    );
    assert!(
        stderr.starts_with("mariposa: cannot connect to PostgreSQL at "),
        "{stderr}"
    );
    assert!(
        stderr.contains(expected),
        "{stderr:?} does not say {expected:?}"
    );
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"));
}

#[tokio::test]
async fn verify_full_with_the_servers_ca_serves_over_encrypted_connections() {
    let Some((server, ca)) = tls_server() else {
        return;
    };
    let database = TestDatabase::empty(&server);
    let url = format!(
        "{}?sslmode=verify-full&sslrootcert={}",
        database.url(),
        ca.display()
    );
    let migrated = migrate(&url);
    assert!(
        migrated.status.success(),
        "{}",
        String::from_utf8_lossy(&migrated.stderr)
    );

    let app = spawn_app_with(Options {
        database_url: Some(url.clone()),
        ..Options::default()
    })
    .await;
    let health = app
        .client
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .expect("healthz answers");
    assert_eq!(health.status(), 200);

    // Every connection the server holds to its database, seen from one of the test's own.
    use diesel::dsl::sql;
    use diesel::sql_types::BigInt;
    use diesel::{Connection, RunQueryDsl};
    let mut conn = diesel::PgConnection::establish(&url).expect("the test connects");
    let mut count = |condition: &str| -> i64 {
        diesel::select(sql::<BigInt>(&format!(
            "(SELECT count(*) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid)
              WHERE datname = current_database() AND pid <> pg_backend_pid() AND {condition})"
        )))
        .get_result(&mut conn)
        .expect("pg_stat_ssl is readable")
    };
    assert!(count("true") > 0, "the server holds no connection");
    assert_eq!(count("NOT ssl"), 0, "a connection is not encrypted");
}

#[test]
fn require_encrypts_without_checking_the_certificate() {
    let Some((server, _)) = tls_server() else {
        return;
    };
    let database = TestDatabase::empty(&server);
    let output = migrate(&format!("{}?sslmode=require", database.url()));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_certificate_signed_by_another_ca_is_refused_in_one_line() {
    let Some((server, _)) = tls_server() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    let other = another_ca(dir.path());
    let database = TestDatabase::empty(&server);
    for mode in ["verify-full", "verify-ca"] {
        let output = migrate(&format!(
            "{}?sslmode={mode}&sslrootcert={}",
            database.url(),
            other.display()
        ));
        assert_refused(
            &output,
            &format!(
                "the server's TLS certificate is not signed by the CA in sslrootcert ({})",
                other.display()
            ),
        );
    }
}

#[test]
fn a_certificate_for_another_host_name_is_refused_in_one_line() {
    let Some((server, ca)) = tls_server() else {
        return;
    };
    let database = TestDatabase::empty(&server);
    // The certificate names `localhost` only.
    let by_address = database.url().replacen("@localhost:", "@127.0.0.1:", 1);
    assert_ne!(
        by_address,
        database.url(),
        "the TLS server is not named localhost"
    );
    let full = format!(
        "{by_address}?sslmode=verify-full&sslrootcert={}",
        ca.display()
    );
    assert_refused(
        &migrate(&full),
        "the server's TLS certificate is for \"localhost\", not for the host name \"127.0.0.1\" in the URL",
    );
    // verify-ca checks who signed the certificate, not the name in it.
    let ca_only = format!(
        "{by_address}?sslmode=verify-ca&sslrootcert={}",
        ca.display()
    );
    let output = migrate(&ca_only);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn sslrootcert_system_reads_the_bundle_in_ssl_cert_file() {
    let Some((server, ca)) = tls_server() else {
        return;
    };
    let database = TestDatabase::empty(&server);
    let url = format!("{}?sslmode=verify-full&sslrootcert=system", database.url());
    let trusted = Command::new(env!("CARGO_BIN_EXE_mariposa"))
        .arg("migrate")
        .env("MARIPOSA_DATABASE_URL", &url)
        .env("SSL_CERT_FILE", &ca)
        .output()
        .expect("the mariposa binary runs");
    assert!(
        trusted.status.success(),
        "{}",
        String::from_utf8_lossy(&trusted.stderr)
    );
    let dir = tempfile::tempdir().expect("temporary directory");
    let untrusted = Command::new(env!("CARGO_BIN_EXE_mariposa"))
        .arg("migrate")
        .env("MARIPOSA_DATABASE_URL", &url)
        .env("SSL_CERT_FILE", another_ca(dir.path()))
        .output()
        .expect("the mariposa binary runs");
    assert_refused(
        &untrusted,
        "the server's TLS certificate is not signed by a CA in SSL_CERT_FILE",
    );
}
