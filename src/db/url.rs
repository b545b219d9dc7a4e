//! Where the data lives, parsed from `MARIPOSA_DATABASE_URL`, and how a pooled connection
//! to it is opened: the URL's scheme picks the backend.

use std::path::{Path, PathBuf};

use diesel::r2d2::{ManageConnection, R2D2Connection};
use diesel::{PgConnection, SqliteConnection};

use super::Connection;

/// Where the data lives, parsed from `MARIPOSA_DATABASE_URL`.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    /// The URL as given, handed to libpq.
    Postgres(String),
}

/// Never prints a PostgreSQL password.
impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            Self::Postgres(_) => f.debug_tuple("Postgres").field(&self.server()).finish(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DatabaseUrlError {
    #[error("the database URL {0:?} has no file path after sqlite://")]
    EmptySqlitePath(String),
    #[error("the database URL {0:?} should start with sqlite://, postgres:// or postgresql://")]
    UnknownScheme(String),
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, DatabaseUrlError> {
        if let Some(path) = raw.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(DatabaseUrlError::EmptySqlitePath(raw.to_owned()));
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self::Postgres(raw.to_owned()));
        }
        let shown = match raw.split_once('@') {
            Some((_, host)) => format!("…@{host}"),
            None => raw.to_owned(),
        };
        Err(DatabaseUrlError::UnknownScheme(shown))
    }

    /// The directory for files that belong with the data: generated secret, mail in
    /// file mode, backups. On PostgreSQL the data is elsewhere; files go to `data/`.
    pub fn data_dir(&self) -> PathBuf {
        match self {
            Self::Sqlite(path) => path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            Self::Postgres(_) => PathBuf::from("data"),
        }
    }

    /// Whether several servers may share this database, so that nothing they must agree
    /// on can live in one server's memory or files (such as a generated secret key).
    pub fn is_shared(&self) -> bool {
        matches!(self, Self::Postgres(_))
    }

    /// `host:port` of a PostgreSQL URL, without user or password, for messages.
    pub(super) fn server(&self) -> String {
        let Self::Postgres(url) = self else {
            return String::new();
        };
        let rest = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        let authority = rest.split(['/', '?']).next().unwrap_or_default();
        let host = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host);
        match host {
            "" => "localhost:5432".to_owned(),
            host if host.ends_with(']') || !host.contains(':') => format!("{host}:5432"),
            host => host.to_owned(),
        }
    }

    /// Why libpq could not connect, in one line. libpq reports one failure per address it
    /// tried (`localhost` is both ::1 and 127.0.0.1) over several lines; when TLS is what
    /// failed, that is the failure to fix, and OpenSSL's words for an untrusted certificate
    /// ("certificate verify failed") do not say which CA it was checked against.
    pub(super) fn connect_failure(&self, message: &str) -> String {
        if message.contains("certificate verify failed") {
            let authority = match self.query_parameter("sslrootcert").as_deref() {
                // The built-in OpenSSL's own store, not the distribution's.
                Some("system") => {
                    "a CA in SSL_CERT_FILE (unset: /usr/local/ssl/cert.pem)".to_owned()
                }
                Some(file) => format!("the CA in sslrootcert ({file})"),
                None => "the CA in sslrootcert (unset: ~/.postgresql/root.crt)".to_owned(),
            };
            return format!(
                "the server's TLS certificate is not signed by {authority}, or it has expired"
            );
        }
        // libpq: `server certificate for "db.example.org" (and 2 other names) does not
        // match host name "10.0.0.5"`, after a prefix naming the address it tried.
        let host_mismatch = message.lines().find_map(|line| {
            let (_, rest) = line.split_once("server certificate for ")?;
            let (names, host) = rest.split_once(" does not match host name ")?;
            Some((names.to_owned(), host.trim().to_owned()))
        });
        if let Some((names, host)) = host_mismatch {
            return format!(
                "the server's TLS certificate is for {names}, not for the host name {host} \
                 in the URL"
            );
        }
        one_line(message)
    }

    /// A `?name=value` parameter of a PostgreSQL URL, decoded.
    pub(super) fn query_parameter(&self, name: &str) -> Option<String> {
        let Self::Postgres(raw) = self else {
            return None;
        };
        let parsed = url::Url::parse(raw).ok()?;
        parsed
            .query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    }

    pub(super) fn connect(&self) -> diesel::ConnectionResult<Connection> {
        use diesel::Connection as _;
        match self {
            Self::Sqlite(path) => {
                SqliteConnection::establish(&path.to_string_lossy()).map(Connection::Sqlite)
            }
            Self::Postgres(url) => PgConnection::establish(url).map(Connection::Postgres),
        }
    }
}

/// Opens pooled connections by the URL's backend. Diesel's own manager would ask each
/// backend in turn, and SQLite takes any string as a file name.
pub struct Manager {
    pub(super) url: DatabaseUrl,
}

impl ManageConnection for Manager {
    type Connection = Connection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<Connection, Self::Error> {
        self.url
            .connect()
            .map_err(diesel::r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut Connection) -> Result<(), Self::Error> {
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut Connection) -> bool {
        conn.is_broken()
    }
}

/// libpq's messages run over several lines; a start-up error is one.
pub(super) fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_a_file_and_its_directory() {
        let url = DatabaseUrl::parse("sqlite://data/mariposa.db").expect("valid");
        assert_eq!(url, DatabaseUrl::Sqlite("data/mariposa.db".into()));
        assert_eq!(url.data_dir(), PathBuf::from("data"));
        let bare = DatabaseUrl::parse("sqlite://m.db").expect("valid");
        assert_eq!(bare.data_dir(), PathBuf::from("."));
    }

    #[test]
    fn unknown_schemes_are_refused_with_the_url_in_the_message() {
        let error = DatabaseUrl::parse("mysql://x").expect_err("unsupported");
        assert!(error.to_string().contains("mysql://x"));
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }

    #[test]
    fn postgres_urls_pick_postgres_and_messages_never_show_the_password() {
        for raw in [
            "postgres://ana:s3cret@db.example.org:6543/mariposa",
            "postgresql://ana:s3cret@db.example.org:6543/mariposa?sslmode=prefer",
        ] {
            let url = DatabaseUrl::parse(raw).expect("valid");
            assert!(url.is_shared());
            assert_eq!(url.server(), "db.example.org:6543");
            assert!(!format!("{url:?}").contains("s3cret"));
        }
        let default_port = DatabaseUrl::parse("postgres://ana@localhost/m").expect("valid");
        assert_eq!(default_port.server(), "localhost:5432");
        let refused = DatabaseUrl::parse("mysql://ana:s3cret@host/m").expect_err("unsupported");
        assert!(!refused.to_string().contains("s3cret"));
        assert!(
            !DatabaseUrl::parse("sqlite://m.db")
                .expect("valid")
                .is_shared()
        );
    }

    #[test]
    fn a_tls_failure_on_one_of_several_addresses_is_the_one_line_given() {
        let url = DatabaseUrl::parse(
            "postgres://ana@db.example.org/m?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem",
        )
        .expect("valid");
        let untrusted = "connection to server at \"db.example.org\" (::1), port 5432 failed: \
            Connection refused\n\tIs the server running on that host and accepting TCP/IP \
            connections?\nconnection to server at \"db.example.org\" (10.0.0.5), port 5432 \
            failed: SSL error: certificate verify failed\n";
        assert_eq!(
            url.connect_failure(untrusted),
            "the server's TLS certificate is not signed by the CA in sslrootcert \
             (/etc/ca.pem), or it has expired"
        );
        let other_name = "connection to server at \"10.0.0.5\", port 5432 failed: server \
            certificate for \"db.example.org\" (and 2 other names) does not match host name \
            \"10.0.0.5\"\n";
        assert_eq!(
            url.connect_failure(other_name),
            "the server's TLS certificate is for \"db.example.org\" (and 2 other names), not \
             for the host name \"10.0.0.5\" in the URL"
        );
    }
}
