//! `mariposa organisation`: the organisation's settings from a setup script, as the staff
//! page sets them.

use anyhow::{Context, bail};
use chrono::Utc;
use clap::{Args, Subcommand};

use super::CLI_ACTOR;
use crate::db::{Database, organisation as stored};
use crate::domain::{Lang, OrganisationInput};
use crate::i18n::Tr;
use crate::organisation::{UpdateError, problem_message, update_blocking};

#[derive(Debug, Subcommand)]
pub enum OrganisationCommand {
    /// Print the settings
    Show,
    /// Change the settings given; the others stay as they are (an empty value clears one)
    Set(Box<SetArgs>),
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// The language of --name, --short-name and --privacy-notice: es, en, fr or pt
    #[arg(long, default_value = "es")]
    lang: String,
    /// The organisation's name in --lang
    #[arg(long)]
    name: Option<String>,
    /// A short name in --lang, for tab titles and the email sender
    #[arg(long)]
    short_name: Option<String>,
    /// The few lines beside every signing form in --lang
    #[arg(long)]
    privacy_notice: Option<String>,
    /// The name emails are sent under (the short name if empty)
    #[arg(long)]
    sender_name: Option<String>,
    /// Where supporters' replies go
    #[arg(long)]
    reply_to: Option<String>,
    /// For the email footer and the delivery letter; "\n" between lines
    #[arg(long)]
    postal_address: Option<String>,
    /// Who holds the supporters' data (the data controller)
    #[arg(long)]
    data_controller: Option<String>,
    /// The address of the full privacy notice, https://…
    #[arg(long)]
    privacy_url: Option<String>,
    /// #rrggbb, dark enough for white text on it (WCAG AA, 4.5:1)
    #[arg(long)]
    brand_colour: Option<String>,
}

pub fn run(db: &Database, command: OrganisationCommand) -> anyhow::Result<()> {
    let mut conn = db.connection()?;
    let current = stored::load(&mut conn)?;
    let mut input = OrganisationInput::of(&current);
    let args = match command {
        OrganisationCommand::Show => {
            print!("{}", describe(&input));
            return Ok(());
        }
        OrganisationCommand::Set(args) => *args,
    };
    let lang = Lang::parse(&args.lang)
        .with_context(|| format!("{:?} is not one of es, en, fr, pt", args.lang))?;
    let (name, short_name, notice) = input.text_mut(lang);
    for (field, given) in [
        (name, args.name),
        (short_name, args.short_name),
        (notice, args.privacy_notice),
    ] {
        if let Some(given) = given {
            *field = given;
        }
    }
    for (field, given) in [
        (&mut input.sender_name, args.sender_name),
        (&mut input.reply_to, args.reply_to),
        (&mut input.data_controller, args.data_controller),
        (&mut input.privacy_url, args.privacy_url),
        (&mut input.brand_colour, args.brand_colour),
    ] {
        if let Some(given) = given {
            *field = given;
        }
    }
    if let Some(address) = args.postal_address {
        input.postal_address = address.replace("\\n", "\n");
    }
    match update_blocking(&mut conn, CLI_ACTOR, &input, Utc::now().naive_utc()) {
        Ok(_) => {
            println!("Saved. Running servers show the new settings within a few seconds.");
            Ok(())
        }
        Err(UpdateError::Invalid(problems)) => {
            let tr = Tr(Lang::En);
            let lines: Vec<String> = problems
                .iter()
                .map(|p| format!("{}: {}", p.field(), problem_message(tr, p)))
                .collect();
            bail!("nothing was saved:\n{}", lines.join("\n"))
        }
        Err(UpdateError::Store(error)) => Err(error.into()),
    }
}

fn describe(input: &OrganisationInput) -> String {
    let mut out = String::new();
    for lang in Lang::ALL {
        let (name, short, notice) = input.text(lang);
        out.push_str(&format!(
            "name ({code}): {name}\nshort name ({code}): {short}\nprivacy notice ({code}): {notice}\n",
            code = lang.code()
        ));
    }
    out.push_str(&format!(
        "sender name: {}\nreply-to: {}\npostal address: {}\ndata controller: {}\nprivacy notice address: {}\nbrand colour: {}\n",
        input.sender_name,
        input.reply_to,
        input.postal_address.replace('\n', " / "),
        input.data_controller,
        input.privacy_url,
        input.brand_colour
    ));
    out
}
