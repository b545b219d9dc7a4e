//! Staff passwords: long enough to resist guessing, stored only as argon2id PHC strings.

use argon2::password_hash::PasswordHasher;
use argon2::password_hash::phc::{Output, PasswordHash};
use argon2::{Algorithm, Argon2, Block, Params, Version};

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

/// The working memory of argon2 (19 MiB with the default parameters), kept and reused
/// from one check to the next. Allocating it afresh for each check left freed blocks in
/// the allocator's heap, so memory grew with the number of sign-ins at once and stayed.
pub struct PasswordMemory(Vec<Block>);

impl PasswordMemory {
    /// Enough for the hashes `StaffPassword::hash` makes, which all use the defaults.
    pub fn for_staff_hashes() -> Self {
        Self(vec![Block::default(); Params::DEFAULT.block_count()])
    }

    /// Whether `password` matches a stored PHC string. A malformed stored hash, or one that
    /// needs more memory than this (Mariposa never makes one), never matches.
    pub fn matches(&mut self, password: &str, phc: &str) -> bool {
        if password.len() > MAX_PASSWORD_BYTES {
            return false;
        }
        let Ok(stored) = PasswordHash::new(phc) else {
            return false;
        };
        let (Some(salt), Some(expected)) = (&stored.salt, &stored.hash) else {
            return false;
        };
        let Ok(algorithm) = Algorithm::try_from(stored.algorithm.as_str()) else {
            return false;
        };
        let Ok(version) = stored
            .version
            .map_or(Ok(Version::default()), Version::try_from)
        else {
            return false;
        };
        let Ok(params) = Params::try_from(&stored) else {
            return false;
        };
        let Some(memory) = self.0.get_mut(..params.block_count()) else {
            return false;
        };
        let mut computed = [0u8; Output::MAX_LENGTH];
        let Some(computed) = computed.get_mut(..expected.len()) else {
            return false;
        };
        Argon2::new(algorithm, version, params)
            .hash_password_into_with_memory(password.as_bytes(), salt.as_ref(), computed, memory)
            .is_ok()
            // Output compares in constant time.
            && Output::new(computed).is_ok_and(|computed| computed == *expected)
    }
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
        let mut memory = PasswordMemory::for_staff_hashes();
        assert!(memory.matches("correct horse battery", &hash));
        assert!(!memory.matches("correct horse batterz", &hash));
        assert!(
            memory.matches("correct horse battery", &hash),
            "the memory is reused"
        );
        assert!(!memory.matches("anything", "not a phc string"));
        assert!(!format!("{password:?}").contains("horse"));
    }

    #[test]
    fn the_decoy_hash_is_well_formed_and_matches_nothing_typed() {
        let mut memory = PasswordMemory::for_staff_hashes();
        assert!(!memory.matches("", decoy_hash()));
        assert!(!memory.matches("password1234", decoy_hash()));
        assert!(argon2::password_hash::phc::PasswordHash::new(decoy_hash()).is_ok());
    }

    #[test]
    fn a_hash_that_needs_more_memory_than_kept_never_matches() {
        let params = Params::new(2 * Params::DEFAULT_M_COST, 1, 1, None).expect("params");
        let hash = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(b"correct horse battery")
            .expect("hashed")
            .to_string();
        assert!(!PasswordMemory::for_staff_hashes().matches("correct horse battery", &hash));
    }
}
