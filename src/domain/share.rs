//! The share step after signing: the channels a supporter shares a campaign through, and the
//! link each one carries. Every link names its channel in `?source=`, so that counts by
//! source show which channel brings signatures; nothing in it is about the person sharing.

/// A way a supporter passes the campaign on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareChannel {
    WhatsApp,
    Telegram,
    Facebook,
    X,
    Email,
    /// The address itself, copied by hand.
    Link,
    /// The browser's own share sheet, offered where scripts run.
    Native,
}

impl ShareChannel {
    /// The channels offered as plain links, WhatsApp first: it is the most used in Mexico.
    pub const LINKS: [ShareChannel; 5] = [
        ShareChannel::WhatsApp,
        ShareChannel::Telegram,
        ShareChannel::Facebook,
        ShareChannel::X,
        ShareChannel::Email,
    ];

    /// Every channel, for what must know each one's source code.
    pub const ALL: [ShareChannel; 7] = [
        ShareChannel::WhatsApp,
        ShareChannel::Telegram,
        ShareChannel::Facebook,
        ShareChannel::X,
        ShareChannel::Email,
        ShareChannel::Link,
        ShareChannel::Native,
    ];

    /// The source code that signatures arriving through this channel are counted under:
    /// `share-` and the channel's name, such as `share-whatsapp`.
    pub fn source(self) -> String {
        let name = match self {
            ShareChannel::WhatsApp => "whatsapp",
            ShareChannel::Telegram => "telegram",
            ShareChannel::Facebook => "facebook",
            ShareChannel::X => "x",
            ShareChannel::Email => "email",
            ShareChannel::Link => "link",
            ShareChannel::Native => "native",
        };
        format!("share-{name}")
    }

    /// The name a service goes by everywhere; `None` for what each language names itself.
    pub fn brand(self) -> Option<&'static str> {
        match self {
            ShareChannel::WhatsApp => Some("WhatsApp"),
            ShareChannel::Telegram => Some("Telegram"),
            ShareChannel::Facebook => Some("Facebook"),
            ShareChannel::X => Some("X"),
            ShareChannel::Email | ShareChannel::Link | ShareChannel::Native => None,
        }
    }

    /// The campaign's address as shared through this channel. `campaign_url` already
    /// carries a query (`?lang=`).
    pub fn campaign_url(self, campaign_url: &str) -> String {
        format!("{campaign_url}&source={}", self.source())
    }

    /// Where the channel's own share page opens with `message` and the campaign's address
    /// filled in; `None` for the channels that are not a link to a service.
    pub fn href(self, message: &str, campaign_url: &str) -> Option<String> {
        let url = self.campaign_url(campaign_url);
        let text_and_url = encode(&format!("{message} {url}"));
        match self {
            ShareChannel::WhatsApp => Some(format!("https://wa.me/?text={text_and_url}")),
            ShareChannel::Telegram => Some(format!(
                "https://t.me/share/url?url={}&text={}",
                encode(&url),
                encode(message)
            )),
            ShareChannel::Facebook => Some(format!(
                "https://www.facebook.com/sharer/sharer.php?u={}",
                encode(&url)
            )),
            ShareChannel::X => Some(format!(
                "https://x.com/intent/post?text={}&url={}",
                encode(message),
                encode(&url)
            )),
            // Mail programs read `+` in a mailto: link literally, so spaces are `%20`.
            ShareChannel::Email => Some(format!(
                "mailto:?subject={}&body={}",
                encode(message).replace('+', "%20"),
                text_and_url.replace('+', "%20")
            )),
            ShareChannel::Link | ShareChannel::Native => None,
        }
    }
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://mariposa.example/campaigns/vivos?lang=es";

    #[test]
    fn every_channel_has_its_own_well_formed_source_code() {
        let all = [
            ShareChannel::WhatsApp,
            ShareChannel::Telegram,
            ShareChannel::Facebook,
            ShareChannel::X,
            ShareChannel::Email,
            ShareChannel::Link,
            ShareChannel::Native,
        ];
        let mut codes: Vec<String> = all.iter().map(|c| c.source()).collect();
        for code in &codes {
            assert_eq!(
                crate::domain::Source::parse_lenient(code).map(|s| s.as_str().to_owned()),
                Some(code.clone())
            );
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }

    #[test]
    fn each_link_carries_the_campaign_address_with_its_channel_code() {
        for channel in ShareChannel::LINKS {
            let href = channel.href("Firmé «Vivos»", URL).expect("a link");
            let encoded_source = format!("source%3D{}", channel.source());
            assert!(href.contains(&encoded_source), "{channel:?}: {href}");
            assert!(href.contains("lang%3Des"), "{channel:?}: {href}");
            assert!(!href.contains(' '), "{channel:?}: {href}");
        }
        assert_eq!(
            ShareChannel::Link.campaign_url(URL),
            format!("{URL}&source=share-link")
        );
        assert_eq!(ShareChannel::Native.href("m", URL), None);
    }
}
