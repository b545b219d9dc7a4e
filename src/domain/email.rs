//! A signer's email address, and the canonical form that de-duplication keys on.

use validator::ValidateEmail;

/// Longest address SMTP allows in a forward path (RFC 5321, section 4.5.3.1.3).
const MAX_EMAIL_LENGTH: usize = 254;

/// An email address as the supporter typed it, trimmed and syntactically valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerEmail(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("the email address is empty")]
    Empty,
    #[error("the email address is not valid")]
    Invalid,
}

impl SignerEmail {
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.len() > MAX_EMAIL_LENGTH
            || trimmed.chars().any(|c| c.is_control() || c.is_whitespace())
            || !trimmed.validate_email()
        {
            return Err(EmailError::Invalid);
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// The address used to de-duplicate signatures: every spelling that reaches the same
    /// mailbox maps to one string, so one person cannot be counted twice.
    ///
    /// Lower-cased, `+tag` sub-addresses removed, and for Gmail dots removed and
    /// `googlemail.com` folded into `gmail.com`, because Gmail delivers all of those alike.
    pub fn canonical(&self) -> String {
        let lowered = self.0.to_lowercase();
        let Some((local, domain)) = lowered.rsplit_once('@') else {
            return lowered;
        };
        let domain = match domain {
            "googlemail.com" => "gmail.com",
            other => other,
        };
        let local = local.split('+').next().unwrap_or(local);
        let local = if domain == "gmail.com" {
            local.replace('.', "")
        } else {
            local.to_owned()
        };
        // A local part that was only a tag ("+news@x") keeps its original form rather than
        // collapsing to an empty string shared with every other such address.
        if local.is_empty() {
            return lowered;
        }
        format!("{local}@{domain}")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SignerEmail {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn canonical(raw: &str) -> String {
        SignerEmail::parse(raw).expect("valid address").canonical()
    }

    #[test]
    fn spellings_of_one_gmail_mailbox_share_a_canonical_form() {
        let expected = "mariajose@gmail.com";
        for spelling in [
            "mariajose@gmail.com",
            "  Maria.Jose@Gmail.com ",
            "m.a.r.i.a.j.o.s.e@gmail.com",
            "maria.jose+ayotzinapa@gmail.com",
            "MariaJose@googlemail.com",
        ] {
            assert_eq!(canonical(spelling), expected, "{spelling}");
        }
    }

    #[test]
    fn dots_matter_outside_gmail() {
        assert_ne!(
            canonical("ana.luz@example.org"),
            canonical("analuz@example.org")
        );
    }

    #[test]
    fn plus_tags_are_removed_for_every_provider() {
        assert_eq!(canonical("ana+petition@example.org"), "ana@example.org");
    }

    #[test]
    fn an_address_that_is_only_a_tag_is_not_merged_with_others() {
        assert_eq!(canonical("+a@example.org"), "+a@example.org");
        assert_ne!(canonical("+a@example.org"), canonical("+b@example.org"));
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for raw in [
            "",
            "   ",
            "no-at-sign",
            "a@",
            "@example.org",
            "a b@example.org",
        ] {
            assert!(SignerEmail::parse(raw).is_err(), "{raw:?} was accepted");
        }
        let header_injection = "ana@example.org\r\nBcc: victim@example.org";
        assert!(SignerEmail::parse(header_injection).is_err());
        let long = format!("{}@example.org", "a".repeat(300));
        assert_eq!(SignerEmail::parse(&long), Err(EmailError::Invalid));
    }

    proptest! {
        #[test]
        fn parsing_never_panics(raw in "\\PC{0,300}") {
            let _ = SignerEmail::parse(&raw);
        }

        #[test]
        fn canonical_form_is_stable(local in "[a-zA-Z0-9._]{1,20}", tag in "[a-z0-9]{0,8}",
                                    domain in "(gmail\\.com|googlemail\\.com|example\\.org|Riseup\\.NET)") {
            let raw = if tag.is_empty() { format!("{local}@{domain}") } else { format!("{local}+{tag}@{domain}") };
            if let Ok(email) = SignerEmail::parse(&raw) {
                let once = email.canonical();
                let twice = SignerEmail::parse(&once).map(|e| e.canonical());
                prop_assert_eq!(Ok(once.clone()), twice);
                prop_assert_eq!(once.to_lowercase(), once);
            }
        }
    }
}
