//! The command line: serving, migrating, and the operator's and staff's tasks.

mod args;
mod documents;
mod kiosks;
mod organisation;
mod paper;
mod staff;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::Utc;

use crate::config::Settings;
use crate::db::reports::{CountScope, SignatureFilter, Status};
use crate::db::{Database, DatabaseUrl, api_tokens, audit, campaigns, privacy};
use crate::domain::{CampaignDraft, CampaignInput, Lang, PlainToken, SignerEmail, Source};
use crate::export;
use crate::i18n::Tr;
use crate::startup::Application;
use crate::telemetry;
use documents::{DeliveryArgs, SheetsRequest, write_delivery, write_sheets};
use kiosks::create_kiosk;
use paper::import_paper;

pub use args::Cli;
use args::{CampaignCommand, Command, ExportCommand, KioskCommand, PaperCommand, TokenCommand};

/// Who the audit log names for what is done from the command line.
const CLI_ACTOR: &str = "command line";

pub fn run(cli: Cli) -> ExitCode {
    let _log_writer = telemetry::init(&cli.log);
    match execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("mariposa: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// glibc gives each thread that allocates while others do an arena of its own, up to eight
/// per processor, and an arena keeps what was freed in it. The server's blocking pool can
/// run dozens of threads at once, so a burst of work on it left its memory spread over
/// 16 arenas: 64 pages compressed at once (before pages took turns) took the server to
/// 191 MB, and to 82 MB with two arenas. Two are enough for two processors' work.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a parameter of glibc's allocator, which it reads under its
    // own lock; it is called before the server starts any thread of its own.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

fn execute(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => {
            let settings = Settings::from_args(&cli.database_url, &args)?;
            limit_malloc_arenas();
            tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?
                .block_on(async {
                    Application::build(settings)
                        .await?
                        .run_until_stopped()
                        .await
                })
        }
        Command::Migrate => {
            let db = Database::open(&DatabaseUrl::parse(&cli.database_url)?, 1)?;
            let applied = db.migrate()?;
            if applied.is_empty() {
                println!("The database is up to date.");
            }
            for migration in applied {
                println!("applied {migration}");
            }
            Ok(())
        }
        Command::Admin(command) => staff::run(&open_migrated(&cli.database_url)?, command),
        Command::Campaign(command) => create_campaign(&open_migrated(&cli.database_url)?, command),
        Command::Export(command) => run_export(&open_migrated(&cli.database_url)?, command),
        Command::Token(TokenCommand::Create { name, source, role }) => create_token(
            &open_migrated(&cli.database_url)?,
            &name,
            source.as_deref(),
            &role,
        ),
        Command::Organisation(command) => {
            organisation::run(&open_migrated(&cli.database_url)?, command)
        }
        Command::Kiosk(command) => create_kiosk(&open_migrated(&cli.database_url)?, command),
        Command::Erase { email, campaign } => erase(
            &open_migrated(&cli.database_url)?,
            &email,
            campaign.as_deref(),
        ),
        Command::Backup { file } => backup(&open_migrated(&cli.database_url)?, &file),
        Command::Paper(PaperCommand::Import {
            slug,
            file,
            event,
            source,
            dry_run,
        }) => import_paper(
            &open_migrated(&cli.database_url)?,
            &slug,
            &file,
            event.as_deref(),
            source.as_deref(),
            dry_run,
        ),
        Command::Sheets {
            slug,
            lang,
            rows,
            pages,
            source,
            paper,
            base_url,
            output,
        } => {
            let request = SheetsRequest {
                lang: lang.as_deref(),
                rows,
                pages,
                source: source.as_deref(),
                paper: &paper,
                base_url: &base_url,
            };
            write_sheets(&open_migrated(&cli.database_url)?, &slug, &request, &output)
        }
        Command::Delivery {
            slug,
            lang,
            by,
            comments,
            paper,
            output,
            manifest,
            volume,
        } => {
            let output = output.unwrap_or_else(|| PathBuf::from(format!("{slug}-delivery.pdf")));
            let manifest = manifest.unwrap_or_else(|| {
                let stem = output.with_extension("");
                PathBuf::from(format!("{}-manifest.csv", stem.display()))
            });
            let request = DeliveryArgs {
                lang: lang.as_deref(),
                by: &by,
                comments,
                paper: &paper,
                volume_signers: volume,
            };
            write_delivery(
                &open_migrated(&cli.database_url)?,
                &slug,
                &request,
                &output,
                &manifest,
            )
        }
    }
}

/// Commands other than `serve` bring the database up to date first, so they work on a
/// fresh installation too.
fn open_migrated(database_url: &str) -> anyhow::Result<Database> {
    let db = Database::open(&DatabaseUrl::parse(database_url)?, 2)?;
    db.migrate()?;
    Ok(db)
}

fn create_campaign(db: &Database, command: CampaignCommand) -> anyhow::Result<()> {
    let CampaignCommand::Create {
        slug,
        title,
        goal,
        lang,
        country,
        summary,
        target,
        demand,
        body_file,
    } = command;
    let body = match body_file {
        Some(path) => std::fs::read_to_string(&path)
            .with_context(|| format!("could not read {}", path.display()))?,
        None => String::new(),
    };
    let lang =
        Lang::parse(&lang).with_context(|| format!("{lang:?} is not one of es, en, fr, pt"))?;
    let mut input = CampaignInput {
        slug,
        default_lang: lang.code().to_owned(),
        goal: goal.to_string(),
        default_country: country,
        is_open: Some("yes".into()),
        ..CampaignInput::default()
    };
    input.set_text(&crate::domain::CampaignText {
        lang,
        title,
        summary,
        body,
        target,
        demand,
    });
    let draft = CampaignDraft::parse(&input).map_err(|errors| {
        anyhow::anyhow!(
            "{}",
            errors
                .iter()
                .map(|(field, message)| format!("{field}: {}", Tr(Lang::En).t(message)))
                .collect::<Vec<_>>()
                .join("\n")
        )
    })?;
    let mut conn = db.connection()?;
    let now = Utc::now().naive_utc();
    if campaigns::insert(&mut conn, &draft, now)?.is_none() {
        bail!(
            "a campaign with the address {} already exists",
            draft.slug.as_str()
        );
    }
    let detail = format!("slug={} goal={}", draft.slug.as_str(), draft.goal);
    audit::record(&mut conn, CLI_ACTOR, "campaign_created", &detail, now)?;
    println!("Created the campaign /campaigns/{}", draft.slug.as_str());
    Ok(())
}

fn output(path: Option<&PathBuf>) -> anyhow::Result<Box<dyn Write>> {
    Ok(match path {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("could not create {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    })
}

fn run_export(db: &Database, command: ExportCommand) -> anyhow::Result<()> {
    let mut conn = db.connection()?;
    let now = Utc::now().naive_utc();
    match command {
        ExportCommand::Signatures {
            slug,
            output: path,
            status,
            from,
            to,
            source,
        } => {
            let status = Status::parse(&status)
                .with_context(|| format!("--status {status:?}: use confirmed, pending or all"))?;
            let campaign = campaigns::find_by_slug(&mut conn, &slug)?
                .with_context(|| format!("there is no campaign {slug:?}"))?;
            let filter = SignatureFilter {
                campaign_id: campaign.campaign.id,
                status,
                from,
                to,
                source: source.map(|s| s.trim().to_lowercase()),
                consented_to: None,
            };
            let mut out = output(path.as_ref())?;
            let rows = export::write_signatures(&mut conn, &filter, &mut out)?;
            out.flush()?;
            let detail = format!("campaign={slug} status={} rows={rows}", status.as_str());
            audit::record(&mut conn, CLI_ACTOR, "export_signatures", &detail, now)?;
            eprintln!("Wrote {rows} signatures.");
        }
        ExportCommand::Counts { by, output: path } => {
            let dimensions = export::parse_dimensions(&by).map_err(anyhow::Error::msg)?;
            let mut out = output(path.as_ref())?;
            let rows =
                export::write_counts(&mut conn, &dimensions, &CountScope::default(), &mut out)?;
            out.flush()?;
            audit::record(
                &mut conn,
                CLI_ACTOR,
                "export_counts",
                &format!("by={by} rows={rows}"),
                now,
            )?;
        }
    }
    Ok(())
}

fn create_token(db: &Database, name: &str, source: Option<&str>, role: &str) -> anyhow::Result<()> {
    let role = staff::parse_role(role)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        bail!("give the token a name of 1 to 100 characters");
    }
    let source =
        match source {
            Some(raw) => Some(Source::parse_lenient(raw).with_context(|| {
                format!("{raw:?} is not a source code (letters, digits, - _ .)")
            })?),
            None => None,
        };
    let source = source.as_ref().map(Source::as_str);
    let token = PlainToken::generate()?;
    let mut conn = db.connection()?;
    let now = Utc::now().naive_utc();
    let id = api_tokens::create(&mut conn, name, source, role, &token.hash(), now)?;
    let detail = format!(
        "id={id} name={name} source={} role={}",
        source.unwrap_or("all"),
        role.code()
    );
    audit::record(&mut conn, CLI_ACTOR, "token_created", &detail, now)?;
    println!("{}", token.expose());
    eprintln!("This token is shown once. Send it as: Authorization: Bearer TOKEN");
    Ok(())
}

fn erase(db: &Database, email: &str, campaign: Option<&str>) -> anyhow::Result<()> {
    // Any domain: a signature made before undeliverable domains were refused is erased too.
    let email = SignerEmail::parse_any_domain(email)
        .map_err(|_| anyhow::anyhow!("{email:?} is not an email address"))?;
    let mut conn = db.connection()?;
    let campaign_id = match campaign {
        Some(slug) => Some(
            campaigns::find_by_slug(&mut conn, slug)?
                .with_context(|| format!("there is no campaign {slug:?}"))?
                .campaign
                .id,
        ),
        None => None,
    };
    let now = Utc::now().naive_utc();
    let erased = privacy::erase_email(&mut conn, &email.canonical(), campaign_id, now)?;
    let detail = format!("signatures={erased} campaign={}", campaign.unwrap_or("all"));
    audit::record(&mut conn, CLI_ACTOR, "erase", &detail, now)?;
    println!("Erased {erased} signature(s). Counts are unchanged.");
    Ok(())
}

fn backup(db: &Database, file: &std::path::Path) -> anyhow::Result<()> {
    if file.exists() {
        bail!("{} already exists; choose a new file name", file.display());
    }
    db.backup(file)
        .with_context(|| format!("could not write {}", file.display()))?;
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    println!(
        "Wrote a consistent copy of the database to {} ({size} bytes).",
        file.display()
    );
    Ok(())
}
