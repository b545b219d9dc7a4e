//! What tests inside the crate share about the database: a recorder of the statements a
//! connection runs, and a PostgreSQL database of a test's own.

use std::sync::{Arc, Mutex};

use diesel::connection::{Instrumentation, InstrumentationEvent, SimpleConnection};

use super::DatabaseUrl;

/// Records the SQL of every statement a connection runs, without its bound values.
#[derive(Clone, Default)]
pub(crate) struct Recorder(pub(crate) Arc<Mutex<Vec<String>>>);

impl Instrumentation for Recorder {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            let text = query.to_string();
            let sql = text
                .rsplit_once(" -- binds: ")
                .map_or(text.as_str(), |(sql, _)| sql);
            if let Ok(mut statements) = self.0.lock() {
                statements.push(sql.to_owned());
            }
        }
    }
}

/// A database of one test's own on the PostgreSQL server that `MARIPOSA_TEST_POSTGRES`
/// names, dropped with this value.
pub(crate) struct ScratchPostgres {
    server: String,
    name: String,
}

impl ScratchPostgres {
    /// A fresh database named after `purpose` (unique among the crate's tests), or `None`
    /// when no server is named.
    pub(crate) fn create(purpose: &str) -> Option<Self> {
        let server = std::env::var("MARIPOSA_TEST_POSTGRES").ok()?;
        let scratch = Self {
            server: server.trim_end_matches('/').to_owned(),
            name: format!("mariposa_{purpose}_{}", std::process::id()),
        };
        // Two statements, since PostgreSQL runs several sent at once in one transaction,
        // where neither may run.
        scratch
            .admin(&format!("DROP DATABASE IF EXISTS {}", scratch.name))
            .and_then(|()| scratch.admin(&format!("CREATE DATABASE {}", scratch.name)))
            .expect("a database of the test's own");
        Some(scratch)
    }

    pub(crate) fn url(&self) -> DatabaseUrl {
        DatabaseUrl::Postgres(format!("{}/{}", self.server, self.name))
    }

    fn admin(&self, sql: &str) -> diesel::QueryResult<()> {
        let admin = DatabaseUrl::Postgres(format!("{}/postgres", self.server));
        let mut admin = admin.connect().expect("the PostgreSQL server answers");
        admin.batch_execute(sql)
    }
}

impl Drop for ScratchPostgres {
    fn drop(&mut self) {
        // A database left behind is only litter on a test server: say so, do not panic.
        if let Err(error) = self.admin(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        )) {
            eprintln!("could not drop the test database {}: {error}", self.name);
        }
    }
}
