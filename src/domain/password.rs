//! Staff passwords: long enough to resist guessing, stored only as argon2id PHC strings.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

pub const MIN_PASSWORD_CHARS: usize = 12;
/// Bounds the work an attacker can ask of argon2 with one request.
const MAX_PASSWORD_BYTES: usize = 1024;

/// A password that meets the rules. Its `Debug` never shows it.
pub struct StaffPassword(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password must be at least 12 characters long")]
    TooShort,
    #[error("the password must be at most 1024 bytes long")]
    TooLong,
}

#[derive(Debug, thiserror::Error)]
#[error("the password could not be hashed")]
pub struct HashingFailed;

impl StaffPassword {
    pub fn parse(raw: &str) -> Result<Self, PasswordError> {
        if raw.chars().count() < MIN_PASSWORD_CHARS {
            return Err(PasswordError::TooShort);
        }
        if raw.len() > MAX_PASSWORD_BYTES {
            return Err(PasswordError::TooLong);
        }
        Ok(Self(raw.to_owned()))
    }

    /// An argon2id PHC string with a fresh random salt. Deliberately slow: call it off the
    /// async executor.
    pub fn hash(&self) -> Result<String, HashingFailed> {
        Argon2::default()
            .hash_password(self.0.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|_| HashingFailed)
    }
}

impl std::fmt::Debug for StaffPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StaffPassword(<redacted>)")
    }
}

/// Whether `password` matches a stored PHC string. A malformed stored hash never matches.
pub fn password_matches(password: &str, phc: &str) -> bool {
    password.len() <= MAX_PASSWORD_BYTES
        && Argon2::default()
            .verify_password(password.as_bytes(), phc)
            .is_ok()
}

/// A valid hash of a password nobody knows. Checking a login for an unknown account
/// against it takes as long as checking a real one, so timing does not reveal accounts.
pub fn decoy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$OvY4p2rE1fMpcr6Lx9UjKcMo1mbnLcK6ZcH6sa8sC3A"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_passwords_are_refused() {
        assert_eq!(
            StaffPassword::parse("short").err(),
            Some(PasswordError::TooShort)
        );
        assert_eq!(
            StaffPassword::parse("ñññññññññññ").err(),
            Some(PasswordError::TooShort)
        );
        assert!(StaffPassword::parse("ñññññññññññññ").is_ok());
        assert_eq!(
            StaffPassword::parse(&"a".repeat(2000)).err(),
            Some(PasswordError::TooLong)
        );
    }

    #[test]
    fn a_hash_verifies_its_password_only() {
        let password = StaffPassword::parse("correct horse battery").expect("valid");
        let hash = password.hash().expect("hashed");
        assert!(hash.starts_with("$argon2id$"));
        assert!(password_matches("correct horse battery", &hash));
        assert!(!password_matches("correct horse batterz", &hash));
        assert!(!password_matches("anything", "not a phc string"));
        assert!(!format!("{password:?}").contains("horse"));
    }

    #[test]
    fn the_decoy_hash_is_well_formed_and_matches_nothing_typed() {
        assert!(!password_matches("", decoy_hash()));
        assert!(!password_matches("password1234", decoy_hash()));
        assert!(argon2::password_hash::phc::PasswordHash::new(decoy_hash()).is_ok());
    }
}
