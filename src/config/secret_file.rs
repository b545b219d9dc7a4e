//! The secret key a single server generates for itself and keeps beside its data.

use std::path::Path;

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::TryRng;
use rand::rngs::SysRng;

/// Keeps the generated secret beside the data, so that form tokens issued before a restart
/// still verify after it.
pub(super) fn load_or_create_secret(data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    let path = data_dir.join("secret.key");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        return STANDARD
            .decode(existing.trim())
            .with_context(|| format!("{} is not a valid secret key file", path.display()));
    }
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("could not create {}", data_dir.display()))?;
    let mut secret = vec![0u8; 32];
    SysRng
        .try_fill_bytes(&mut secret)
        .map_err(|e| anyhow::anyhow!("the system random generator failed: {e}"))?;
    write_private(&path, STANDARD.encode(&secret).as_bytes())
        .with_context(|| format!("could not write {}", path.display()))?;
    Ok(secret)
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_secret_survives_a_restart() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = load_or_create_secret(dir.path()).expect("created");
        let second = load_or_create_secret(dir.path()).expect("loaded");
        assert_eq!(first.len(), 32);
        assert_eq!(first, second);
    }
}
