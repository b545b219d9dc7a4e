//! The command line's words: every command, its arguments and their help, as clap reads them.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::config::{DEFAULT_DATABASE_URL, ServeArgs};

use super::organisation::OrganisationCommand;

#[derive(Debug, Parser)]
#[command(
    name = "mariposa",
    version,
    about = "Petition and action-campaign signature collector"
)]
pub struct Cli {
    /// sqlite://PATH, or postgres://USER:PASSWORD@HOST:PORT/DATABASE (the scheme picks the
    /// backend)
    #[arg(long, env = "MARIPOSA_DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub(super) database_url: String,

    /// Log filter, e.g. info or mariposa=debug
    #[arg(long, env = "MARIPOSA_LOG", default_value = "info", global = true)]
    pub(super) log: String,

    #[command(subcommand)]
    pub(super) command: Command,
}

#[derive(Debug, Subcommand)]
pub(super) enum Command {
    /// Run the web server and the mail worker (migrates the database first)
    Serve(ServeArgs),
    /// Apply pending database migrations and exit
    Migrate,
    /// Manage staff accounts
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Manage campaigns
    #[command(subcommand)]
    Campaign(CampaignCommand),
    /// Write signatures or counts as CSV
    #[command(subcommand)]
    Export(ExportCommand),
    /// Manage API tokens for scheduled exports
    #[command(subcommand)]
    Token(TokenCommand),
    /// The organisation's name, sender, address, privacy notice and colour, which
    /// supporters see on every page, email and document
    #[command(subcommand)]
    Organisation(OrganisationCommand),
    /// Kiosks: a signing link for a tablet or phone at an event
    #[command(subcommand)]
    Kiosk(KioskCommand),
    /// Erase a signer's personal data from the database files; counts stay the same
    Erase {
        email: String,
        /// Only this campaign's signature
        #[arg(long)]
        campaign: Option<String>,
    },
    /// Write a consistent copy of the live SQLite database to FILE (which must not exist)
    Backup { file: PathBuf },
    /// Enter signatures collected on paper
    #[command(subcommand)]
    Paper(PaperCommand),
    /// Write printable signature sheets (PDF) with a QR code to the campaign's form
    Sheets {
        slug: String,
        /// es, en, fr or pt; the campaign's language if not given
        #[arg(long)]
        lang: Option<String>,
        /// Rows on each sheet (5 to 30)
        #[arg(long, default_value_t = 20)]
        rows: u32,
        /// Sheets in the file, numbered on (1 to 50)
        #[arg(long, default_value_t = 1)]
        pages: u32,
        /// The source code the sheets and their QR code carry, e.g. paper-zocalo
        #[arg(long)]
        source: Option<String>,
        /// a4 or letter
        #[arg(long, default_value = "a4")]
        paper: String,
        /// The site's public address, for the QR code
        #[arg(long, env = "MARIPOSA_BASE_URL")]
        base_url: String,
        #[arg(long)]
        output: PathBuf,
    },
    /// Write the delivery pack (PDF) for the campaign's target, and the list's manifest CSV
    /// whose SHA-256 checksum the cover prints
    Delivery {
        slug: String,
        /// es, en, fr or pt; the campaign's language if not given
        #[arg(long)]
        lang: Option<String>,
        /// Split the list by country or by source (partner)
        #[arg(long, default_value = "")]
        by: String,
        /// Print signers' comments too
        #[arg(long)]
        comments: bool,
        /// a4 or letter
        #[arg(long, default_value = "a4")]
        paper: String,
        /// The PDF; SLUG-delivery.pdf if not given. A pack of more signers than one volume
        /// holds is a ZIP of volumes, written with the extension .zip instead
        #[arg(long)]
        output: Option<PathBuf>,
        /// The list as CSV; the PDF's name ending in -manifest.csv if not given
        #[arg(long)]
        manifest: Option<PathBuf>,
        /// The most signers in one PDF of the pack
        #[arg(long, default_value_t = crate::documents::pack::VOLUME_SIGNERS, value_parser = clap::value_parser!(u64).range(1..))]
        volume: u64,
    },
}

#[derive(Debug, Subcommand)]
pub(super) enum PaperCommand {
    /// Import a CSV of paper signatures (first_name, last_name, country, and optionally
    /// email, postal_code, email_opt_in, signed_on); duplicates and invalid rows are left out
    Import {
        slug: String,
        file: PathBuf,
        /// The event the sheets were signed at; rows are added to its batch if it exists
        #[arg(long)]
        event: Option<String>,
        /// The source code the signatures carry, e.g. paper-zocalo
        #[arg(long)]
        source: Option<String>,
        /// Say what would be imported, and store nothing
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(super) enum AdminCommand {
    /// Create a staff account; the password is read from standard input (or asked for on a
    /// terminal), never from the command line
    Create {
        email: String,
        /// The language of the account's staff pages: es, en, fr or pt (they can change it
        /// on any staff page); without it, the pages follow the browser's language
        #[arg(long)]
        lang: Option<String>,
        /// owner (the first account must be one), campaigner, data_entry or viewer
        #[arg(long, default_value = "owner")]
        role: String,
        /// A campaign (slug) a campaigner or data-entry account is limited to; repeat for
        /// more. Data entry must name at least one; a campaigner without any sees all
        #[arg(long = "campaign")]
        campaigns: Vec<String>,
    },
    /// Change what a staff account may do; the last owner stays an owner
    Role {
        email: String,
        /// owner, campaigner, data_entry or viewer
        role: String,
        /// A campaign (slug) a campaigner or data-entry account is limited to; repeat for
        /// more. Without any, a campaigner sees every campaign
        #[arg(long = "campaign")]
        campaigns: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub(super) enum CampaignCommand {
    /// Create a campaign, open for signatures
    Create {
        slug: String,
        #[arg(long)]
        title: String,
        #[arg(long, default_value_t = 1000)]
        goal: i64,
        /// The campaign's language: es, en, fr or pt
        #[arg(long, default_value = "es")]
        lang: String,
        /// Country preselected in the form (ISO 3166-1 alpha-2)
        #[arg(long, default_value = "MX")]
        country: String,
        #[arg(long, default_value = "")]
        summary: String,
        /// Whom the petition is addressed to, e.g. "Presidencia de la República"
        #[arg(long, default_value = "")]
        target: String,
        /// What the petition asks of the target, for the delivery letter
        #[arg(long, default_value = "")]
        demand: String,
        /// A file with the campaign's text; a blank line separates paragraphs
        #[arg(long)]
        body_file: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub(super) enum ExportCommand {
    /// A campaign's signatures, confirmed only unless --status says otherwise
    Signatures {
        slug: String,
        #[arg(long)]
        output: Option<PathBuf>,
        /// confirmed, pending or all
        #[arg(long, default_value = "confirmed")]
        status: String,
        /// First day signed, e.g. 2026-11-01
        #[arg(long)]
        from: Option<NaiveDate>,
        /// Last day signed, inclusive
        #[arg(long)]
        to: Option<NaiveDate>,
        #[arg(long)]
        source: Option<String>,
    },
    /// Confirmed and pending counts, grouped
    Counts {
        /// Any of campaign, day, country, source, comma-separated
        #[arg(long, default_value = "campaign")]
        by: String,
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub(super) enum TokenCommand {
    /// Print a new API token once; only its hash is kept
    Create {
        name: String,
        /// Scope the token to one partner's source code: it then counts only the signatures
        /// that partner brought, and exports only those whose signers agreed to hear from it
        #[arg(long)]
        source: Option<String>,
        /// What the token may do: campaigner (signatures and counts) or viewer (counts only)
        #[arg(long, default_value = "campaigner")]
        role: String,
    },
}

#[derive(Debug, Subcommand)]
pub(super) enum KioskCommand {
    /// Print a new kiosk link once; only its hash is kept
    Create {
        slug: String,
        /// The event the kiosk serves; a new event is made unless the campaign has one of
        /// this name
        #[arg(long)]
        event: String,
        /// Where the event is held (for a new event)
        #[arg(long, default_value = "")]
        place: String,
        /// The day of the event, e.g. 2026-12-05 (for a new event)
        #[arg(long)]
        date: Option<String>,
        /// Source code the kiosk's signatures carry (for a new event)
        #[arg(long)]
        source: Option<String>,
        /// How long the link works: days, hours or minutes, e.g. 3d, 12h, 90m (at most 31d)
        #[arg(long, default_value = "3d")]
        expires: String,
        /// The public address the link starts with
        #[arg(
            long,
            env = "MARIPOSA_BASE_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        base_url: String,
    },
}
