//! A signer's email address, and the canonical form that de-duplication and erasure key on.

use icu_normalizer::ComposingNormalizerBorrowed;
use validator::ValidateEmail;

use super::invisible::strip_invisible;

/// Longest address SMTP allows in a forward path (RFC 5321, section 4.5.3.1.3).
const MAX_EMAIL_LENGTH: usize = 254;

/// Top-level domains that never reach a mailbox on the internet: reserved for documentation
/// of failure (RFC 2606), for the machine itself (RFC 6761), for the local network (RFC 6762)
/// and for private networks (ICANN, 2024). `.example` stays allowed: tests and the demo use it.
const UNDELIVERABLE_TLDS: [&str; 4] = ["invalid", "localhost", "local", "internal"];

/// An email address that mail can reach, as the supporter typed it, cleaned: invisible
/// characters removed, fullwidth and other compatibility letters folded (NFKC), and the
/// domain in its ASCII form (`xn--mnchen-3ya.example` for `münchen.example`), which every
/// relay can deliver to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerEmail(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("the email address is empty")]
    Empty,
    #[error("the email address is not valid")]
    Invalid,
    #[error("no mail can reach the email address")]
    Undeliverable,
}

impl SignerEmail {
    /// An address to sign with: well formed, and on a domain that mail can reach.
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let email = Self::parse_any_domain(raw)?;
        if email.is_deliverable() {
            Ok(email)
        } else {
            Err(EmailError::Undeliverable)
        }
    }

    /// An address as someone may have signed with it before undeliverable domains were
    /// refused: erasure must still find those signatures.
    pub fn parse_any_domain(raw: &str) -> Result<Self, EmailError> {
        let visible = strip_invisible(raw);
        let folded = ComposingNormalizerBorrowed::new_nfkc().normalize(&visible);
        let trimmed = folded.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(EmailError::Invalid);
        }
        let (local, domain) = trimmed.rsplit_once('@').ok_or(EmailError::Invalid)?;
        // An address literal ("[127.0.0.1]") is not a name to look up; the rest is mapped as
        // browsers map host names (UTS #46), so both spellings of one domain become one.
        let domain = if domain.starts_with('[') {
            domain.to_owned()
        } else {
            idna::domain_to_ascii(domain).map_err(|_| EmailError::Invalid)?
        };
        let address = format!("{local}@{domain}");
        if address.len() > MAX_EMAIL_LENGTH || !address.validate_email() {
            return Err(EmailError::Invalid);
        }
        Ok(Self(address))
    }

    /// Whether mail can reach this domain: a name with a dot, not an address literal or a
    /// bare IP address, and not under a top-level domain reserved for private use.
    fn is_deliverable(&self) -> bool {
        let domain = self.domain();
        let Some((_, tld)) = domain.rsplit_once('.') else {
            return false;
        };
        !domain.starts_with('[')
            && domain
                .split('.')
                .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'))
            && !tld.bytes().all(|b| b.is_ascii_digit())
            && !UNDELIVERABLE_TLDS.contains(&tld)
    }

    fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }

    /// The address used to de-duplicate signatures and to find them for erasure: every
    /// spelling that reaches the same mailbox maps to one string, so one person cannot be
    /// counted twice, and erasing one spelling erases them all.
    ///
    /// On top of the cleaning `parse` does: lower-cased, `+tag` sub-addresses removed, and for
    /// Gmail dots removed and `googlemail.com` folded into `gmail.com`, because Gmail delivers
    /// all of those alike.
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

    #[test]
    fn an_international_domain_and_its_ascii_form_share_a_canonical_form() {
        assert_eq!(canonical("dd@münchen.example"), "dd@xn--mnchen-3ya.example");
        assert_eq!(canonical("DD@MÜNCHEN.example"), "dd@xn--mnchen-3ya.example");
        assert_eq!(
            canonical("dd@xn--mnchen-3ya.example"),
            "dd@xn--mnchen-3ya.example"
        );
    }

    #[test]
    fn fullwidth_letters_and_invisible_characters_do_not_make_another_signer() {
        for spelling in [
            "dup@ｅxample.org",
            "ｄｕｐ＠example.org",
            "dup@exa\u{200B}mple.org",
            "du\u{200B}p@example.org",
            "\u{FEFF}d\u{00AD}up@example.org\u{200D}",
            "\u{202E}dup@example.org\u{202C}",
        ] {
            assert_eq!(canonical(spelling), "dup@example.org", "{spelling:?}");
        }
    }

    #[test]
    fn the_address_kept_is_the_one_a_relay_can_deliver_to() {
        let email = SignerEmail::parse(" Ｄora\u{200B}@München.example ").expect("valid");
        assert_eq!(email.as_str(), "Dora@xn--mnchen-3ya.example");
    }

    #[test]
    fn domains_no_mail_can_reach_are_refused() {
        for raw in [
            "a@[127.0.0.1]",
            "a@[::1]",
            "a@localhost",
            "a@1.2.3.4",
            "ana@mariposa.invalid",
            "ana@printer.local",
            "ana@app.localhost",
            "ana@corp.internal",
        ] {
            assert_eq!(
                SignerEmail::parse(raw),
                Err(EmailError::Undeliverable),
                "{raw}"
            );
        }
        for raw in [
            "a@-bad.example.org",
            "a@bad-.example.org",
            "a@exa..mple.org",
        ] {
            assert!(SignerEmail::parse(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn example_domains_used_in_documentation_are_accepted() {
        for raw in [
            "ana@example.org",
            "ana@example.com",
            "ana@partner.example",
            "ana@ünïcode.example",
        ] {
            assert!(SignerEmail::parse(raw).is_ok(), "{raw}");
        }
    }

    #[test]
    fn erasure_finds_addresses_on_domains_no_longer_accepted() {
        let literal = SignerEmail::parse_any_domain("A@[127.0.0.1]").expect("well formed");
        assert_eq!(literal.canonical(), "a@[127.0.0.1]");
        assert!(SignerEmail::parse_any_domain("not an address").is_err());
    }

    proptest! {
        #[test]
        fn parsing_never_panics(raw in "\\PC{0,300}") {
            let _ = SignerEmail::parse(&raw);
        }

        #[test]
        fn fullwidth_and_invisible_spellings_share_the_canonical_form(
            local in "[a-z0-9._]{1,20}", domain in "[a-z]{1,10}\\.(org|example|com)",
            fullwidth in proptest::collection::vec(any::<bool>(), 40),
            invisible in proptest::collection::vec(prop_oneof![Just('\u{200B}'), Just('\u{FEFF}'), Just('\u{00AD}'), Just('\u{202E}'), Just('\u{2060}')], 40),
            at in proptest::collection::vec(any::<bool>(), 40),
        ) {
            let plain = format!("{local}@{domain}");
            let Ok(email) = SignerEmail::parse(&plain) else { return Ok(()) };
            let mut spelled = String::new();
            for (i, c) in plain.chars().enumerate() {
                if at[i % 40] {
                    spelled.push(invisible[i % 40]);
                }
                // Fullwidth forms sit at a fixed distance from ASCII (U+FF01 to U+FF5E).
                match char::from_u32(c as u32 + 0xFEE0) {
                    Some(wide) if fullwidth[i % 40] && c.is_ascii_graphic() => spelled.push(wide),
                    _ => spelled.push(c),
                }
            }
            let other = SignerEmail::parse(&spelled);
            prop_assert_eq!(other.map(|e| e.canonical()), Ok(email.canonical()), "{:?}", spelled);
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
