//! The public API against its own description: schemathesis (PyPI) reads
//! `/api/v1/openapi.json` from the real server and sends what the document allows, and
//! things it does not, checking every answer against the document: no 5xx, no status or
//! body the document does not name.

use std::path::Path;

use crate::helpers::spawn_app;

#[tokio::test]
async fn schemathesis_finds_every_answer_of_the_public_api_as_documented() {
    let app = spawn_app().await;
    let fuzzer = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/schemathesis/bin/schemathesis");
    assert!(
        fuzzer.exists(),
        "{} is missing: scripts/test installs it (tests/python/schemathesis.txt)",
        fuzzer.display()
    );
    let document = format!("{}/api/v1/openapi.json", app.address);
    // On a blocking thread: the server under test answers on this test's runtime.
    let run = tokio::task::spawn_blocking(move || {
        std::process::Command::new(&fuzzer)
            .args([
                "run",
                &document,
                "--checks",
                "all",
                // A signature of the right shape may still be refused, field by field
                // (422), for a name that is a web address or a domain no mail reaches. The
                // document says so rather than repeat every rule as a schema.
                "--exclude-checks",
                "positive_data_acceptance",
                "--max-examples",
                "40",
                "--seed",
                "1",
                "--workers",
                "1",
                "--request-timeout",
                "10",
                "--no-color",
            ])
            .output()
    });
    let output = run.await.expect("the run ends").expect("schemathesis runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "schemathesis found faults:\n{report}"
    );
}
