//! Writing emails: subject, text part and HTML part, in the signer's language.

use std::sync::Arc;

use askama::Template;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{Address, Message};

use crate::cache::organisation::OrganisationCache;
use crate::db::campaigns::CampaignWithTexts;
use crate::db::outbox::{MailKind, PendingMail};
use crate::domain::{ConfirmationKey, Lang, NotMeKey, UnsubscribeKey, UpdateText, text_for};
use crate::i18n::Tr;

/// A confirmation email, and the reminder, which is one with other words.
#[derive(Template)]
#[template(path = "email/confirm.txt")]
struct ConfirmText<'a> {
    tr: Tr,
    unsubscribe: Option<&'a str>,
    frame: &'a MailFrame,
    first_name: &'a str,
    intro: &'a str,
    link: &'a str,
    note: Option<&'a str>,
    not_me: &'a str,
}

#[derive(Template)]
#[template(path = "email/confirm.html")]
struct ConfirmHtml<'a> {
    tr: Tr,
    unsubscribe: Option<&'a str>,
    frame: &'a MailFrame,
    subject: &'a str,
    first_name: &'a str,
    intro: &'a str,
    link: &'a str,
    note: Option<&'a str>,
    not_me: &'a str,
}

/// A note about a signature that needs no link but the campaign's: "you have already
/// signed", and the welcome to someone who signed in person.
#[derive(Template)]
#[template(path = "email/campaign_note.txt")]
struct CampaignNoteText<'a> {
    tr: Tr,
    unsubscribe: Option<&'a str>,
    frame: &'a MailFrame,
    first_name: &'a str,
    body: &'a str,
    campaign_link: &'a str,
    not_me: &'a str,
}

#[derive(Template)]
#[template(path = "email/campaign_note.html")]
struct CampaignNoteHtml<'a> {
    tr: Tr,
    unsubscribe: Option<&'a str>,
    frame: &'a MailFrame,
    subject: &'a str,
    first_name: &'a str,
    body: &'a str,
    campaign_link: &'a str,
    not_me: &'a str,
}

/// An update to signers.
#[derive(Template)]
#[template(path = "email/update.txt")]
struct UpdateEmailText<'a> {
    tr: Tr,
    unsubscribe: Option<&'a str>,
    frame: &'a MailFrame,
    first_name: &'a str,
    body: &'a str,
    campaign_title: &'a str,
    campaign_link: &'a str,
}

#[derive(Template)]
#[template(path = "email/update.html")]
struct UpdateEmailHtml<'a> {
    tr: Tr,
    unsubscribe: Option<&'a str>,
    frame: &'a MailFrame,
    subject: &'a str,
    first_name: &'a str,
    body_html: &'a str,
    campaign_title: &'a str,
    campaign_link: &'a str,
}

/// The campaign an email is about, in the signer's language.
#[derive(Debug, Clone)]
pub struct CampaignForMail {
    pub slug: String,
    pub title: String,
    pub default_lang: Lang,
}

impl CampaignForMail {
    /// The campaign as an email in `lang` names it.
    pub fn of(campaign: &CampaignWithTexts, lang: Lang) -> Self {
        Self {
            slug: campaign.campaign.slug.clone(),
            title: campaign
                .text(lang)
                .map(|t| t.title.clone())
                .unwrap_or_default(),
            default_lang: campaign.campaign.default_lang(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error("the recipient address is not one we can send to")]
    BadRecipient,
    #[error("a confirmation email has no link nonce")]
    MissingToken,
    #[error("the update has no text")]
    MissingUpdate,
    #[error("the email could not be rendered: {0}")]
    Render(#[from] askama::Error),
    #[error("the email could not be built: {0}")]
    Build(#[from] lettre::error::Error),
}

/// The parts of an email, before they become a MIME message.
#[derive(Debug, Clone)]
pub struct EmailContent {
    /// For signers who asked to hear more: the link that stops it, in one click.
    pub unsubscribe: Option<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The link the email exists for, to log when emails go to files.
    pub link: String,
    /// The language it is written in, which names the sender.
    pub lang: Lang,
}

/// What every email carries of the organisation: its name under the sign-off, and a footer
/// with its name, postal address and privacy notice.
pub struct MailFrame {
    signed_by: Option<String>,
    footer: Vec<String>,
    privacy_link: Option<String>,
}

/// Builds emails with the sender and the public address of this installation.
#[derive(Clone)]
pub struct Composer {
    /// The sender's address; the name shown is the organisation's once it is set.
    pub from: Mailbox,
    pub organisation: Arc<OrganisationCache>,
    pub base_url: String,
    pub unsubscribe: UnsubscribeKey,
    /// Derives each confirmation link's token from the nonce in the outbox.
    pub confirmation: ConfirmationKey,
    /// Signs the "this wasn't me" link each signer's email carries.
    pub not_me: NotMeKey,
}

impl Composer {
    fn frame(&self, tr: Tr) -> MailFrame {
        let current = self.organisation.current();
        let settings = &current.settings;
        let name = settings.name(tr.lang()).map(str::to_owned);
        MailFrame {
            footer: name
                .iter()
                .cloned()
                .chain(settings.postal_lines().into_iter().map(str::to_owned))
                .collect(),
            signed_by: name,
            privacy_link: settings.privacy_url().map(str::to_owned),
        }
    }

    /// The sender in `lang`: the organisation's sender name at the configured address.
    fn sender(&self, lang: Lang) -> Mailbox {
        let current = self.organisation.current();
        match current.settings.sender_name(lang) {
            Some(name) => Mailbox::new(Some(name.to_owned()), self.from.email.clone()),
            None => self.from.clone(),
        }
    }

    /// Where replies go, when the organisation gave an address.
    fn reply_to(&self) -> Option<Mailbox> {
        let current = self.organisation.current();
        let address: Address = current.settings.reply_to()?.parse().ok()?;
        Some(Mailbox::new(None, address))
    }

    /// `update` holds an update's texts, for an update email.
    pub fn content(
        &self,
        mail: &PendingMail,
        campaign: &CampaignForMail,
        update: Option<&[UpdateText]>,
    ) -> Result<EmailContent, ComposeError> {
        let (campaign_slug, campaign_title) = (campaign.slug.as_str(), campaign.title.as_str());
        let lang = Lang::parse(&mail.lang).unwrap_or(Lang::Es);
        let tr = Tr(lang);
        let frame = self.frame(tr);
        let unsubscribe = mail.email_opt_in.then(|| {
            format!(
                "{}{}",
                self.base_url,
                self.unsubscribe.path(mail.signature_id)
            )
        });
        let unsubscribe = unsubscribe.as_deref();
        let not_me = format!(
            "{}{}",
            self.base_url,
            self.not_me.path(mail.signature_id, &mail.email)
        );
        match mail.kind {
            MailKind::Confirm | MailKind::Reminder => {
                let nonce = mail.link_nonce.as_ref().ok_or(ComposeError::MissingToken)?;
                let token = self.confirmation.token(nonce);
                let link = format!("{}/confirm/{}", self.base_url, token.expose());
                let (subject_key, intro_key, note) = match mail.kind {
                    MailKind::Reminder => (
                        "email-reminder-subject",
                        "email-reminder-intro",
                        Some(tr.t("email-reminder-once")),
                    ),
                    _ => ("email-confirm-subject", "email-confirm-intro", None),
                };
                let subject = tr.t1(subject_key, "campaign", campaign_title);
                let intro = tr.t1(intro_key, "campaign", campaign_title);
                let text = ConfirmText {
                    tr,
                    unsubscribe,
                    frame: &frame,
                    first_name: &mail.first_name,
                    intro: &intro,
                    link: &link,
                    note: note.as_deref(),
                    not_me: &not_me,
                }
                .render()?;
                let html = ConfirmHtml {
                    tr,
                    unsubscribe,
                    frame: &frame,
                    subject: &subject,
                    first_name: &mail.first_name,
                    intro: &intro,
                    link: &link,
                    note: note.as_deref(),
                    not_me: &not_me,
                }
                .render()?;
                Ok(EmailContent {
                    unsubscribe: unsubscribe.map(str::to_owned),
                    subject,
                    text,
                    html,
                    link,
                    lang,
                })
            }
            MailKind::AlreadySigned | MailKind::Welcome => {
                let link = format!(
                    "{}/campaigns/{campaign_slug}?lang={}",
                    self.base_url,
                    lang.code()
                );
                let (subject_key, body_key) = match mail.kind {
                    MailKind::Welcome => ("email-welcome-subject", "email-welcome-body"),
                    _ => ("email-already-subject", "email-already-body"),
                };
                let subject = tr.t1(subject_key, "campaign", campaign_title);
                let body = tr.t1(body_key, "campaign", campaign_title);
                let text = CampaignNoteText {
                    tr,
                    unsubscribe,
                    frame: &frame,
                    first_name: &mail.first_name,
                    body: &body,
                    campaign_link: &link,
                    not_me: &not_me,
                }
                .render()?;
                let html = CampaignNoteHtml {
                    tr,
                    unsubscribe,
                    frame: &frame,
                    subject: &subject,
                    first_name: &mail.first_name,
                    body: &body,
                    campaign_link: &link,
                    not_me: &not_me,
                }
                .render()?;
                Ok(EmailContent {
                    unsubscribe: unsubscribe.map(str::to_owned),
                    subject,
                    text,
                    html,
                    link,
                    lang,
                })
            }
            MailKind::Update => {
                let text = update
                    .and_then(|texts| text_for(texts, lang, campaign.default_lang))
                    .ok_or(ComposeError::MissingUpdate)?;
                self.update_content(text, &mail.first_name, campaign, unsubscribe)
            }
        }
    }

    /// An update in the language of `text`, which may be a signer's or, for a test, the one
    /// staff look at.
    pub fn update_content(
        &self,
        text: &UpdateText,
        first_name: &str,
        campaign: &CampaignForMail,
        unsubscribe: Option<&str>,
    ) -> Result<EmailContent, ComposeError> {
        let tr = Tr(text.lang());
        let frame = self.frame(tr);
        let link = format!(
            "{}/campaigns/{}?lang={}",
            self.base_url,
            campaign.slug,
            text.lang().code()
        );
        let subject = text.subject().to_owned();
        let plain = UpdateEmailText {
            tr,
            unsubscribe,
            frame: &frame,
            first_name,
            body: text.body(),
            campaign_title: &campaign.title,
            campaign_link: &link,
        }
        .render()?;
        let html = UpdateEmailHtml {
            tr,
            unsubscribe,
            frame: &frame,
            subject: &subject,
            first_name,
            body_html: &text.body_html(),
            campaign_title: &campaign.title,
            campaign_link: &link,
        }
        .render()?;
        Ok(EmailContent {
            unsubscribe: unsubscribe.map(str::to_owned),
            subject,
            text: plain,
            html,
            link,
            lang: text.lang(),
        })
    }

    /// A test of an update for staff: to their own address, marked as a test, with no
    /// unsubscribe link because it goes to no signer.
    pub fn update_test(
        &self,
        to: &str,
        content: &EmailContent,
        marker: &str,
    ) -> Result<Message, ComposeError> {
        let address: Address = to.parse().map_err(|_| ComposeError::BadRecipient)?;
        let mut builder = Message::builder();
        if let Some(reply_to) = self.reply_to() {
            builder = builder.reply_to(reply_to);
        }
        Ok(builder
            .from(self.sender(content.lang))
            .to(Mailbox::new(None, address))
            .subject(format!("[{marker}] {}", content.subject))
            .multipart(MultiPart::alternative_plain_html(
                content.text.clone(),
                content.html.clone(),
            ))?)
    }

    /// The MIME message. Names travel only through lettre's header encoding, and were
    /// refused at signing if they held control characters, so no header can be injected.
    pub fn message(
        &self,
        mail: &PendingMail,
        content: &EmailContent,
    ) -> Result<Message, ComposeError> {
        let address: Address = mail.email.parse().map_err(|_| ComposeError::BadRecipient)?;
        let to = Mailbox::new(
            Some(format!("{} {}", mail.first_name, mail.last_name)),
            address,
        );
        // A stable Message-ID per outbox row lets receiving servers drop a copy that a
        // crash between sending and recording might cause. An update has one per signer.
        let domain = self.from.email.domain();
        let message_id = match mail.update_id {
            Some(update_id) => format!("<update-{update_id}-{}@{domain}>", mail.signature_id),
            None => format!("<outbox-{}@{domain}>", mail.id),
        };
        let mut builder = Message::builder();
        if let Some(reply_to) = self.reply_to() {
            builder = builder.reply_to(reply_to);
        }
        if let Some(link) = &content.unsubscribe {
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{link}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_owned(),
                ));
        }
        Ok(builder
            .from(self.sender(content.lang))
            .to(to)
            .subject(content.subject.clone())
            .message_id(Some(message_id))
            .multipart(MultiPart::alternative_plain_html(
                content.text.clone(),
                content.html.clone(),
            ))?)
    }
}
