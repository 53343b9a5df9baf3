//! The `wikid` command: `serve` and the operator commands.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};

use wikid::config::Config;

/// mimalloc instead of glibc's malloc: the server allocates small strings on many
/// threads at once, where glibc's arenas showed up as a fifth of the CPU profile.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "wikid",
    version,
    about = "A wiki server that speaks MediaWiki's Action API"
)]
struct Cli {
    /// TOML configuration file.
    #[arg(long, global = true, env = "WIKID_CONFIG")]
    config: Option<PathBuf>,
    /// Data directory (the embedded database lives here).
    #[arg(long, global = true, env = "WIKID_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Database URL: empty for embedded SQLite, or postgres://…
    #[arg(long, global = true, env = "WIKID_DATABASE_URL")]
    database_url: Option<String>,
    /// Site name ("Wikid").
    #[arg(long, global = true, env = "WIKID_SITENAME")]
    sitename: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server.
    Serve {
        /// Address to listen on (127.0.0.1:8080).
        #[arg(long, env = "WIKID_LISTEN")]
        listen: Option<String>,
        /// Public base URL ($wgServer), e.g. http://wiki.example.
        #[arg(long, env = "WIKID_SERVER")]
        server: Option<String>,
        /// Name of the administrator created on an empty database.
        #[arg(long, env = "WIKID_ADMIN_USER")]
        admin_user: Option<String>,
        /// Password of that administrator (generated and printed when absent).
        #[arg(long, env = "WIKID_ADMIN_PASSWORD", hide_env_values = true)]
        admin_password: Option<String>,
        /// Serve a throw-away wiki: a fresh database in a temporary directory,
        /// removed at exit (for tests and CI).
        #[arg(long)]
        ephemeral: bool,
        /// Load accounts, bot passwords, change tags and an XML export from a
        /// TOML fixture file at start (see src/fixture.rs).
        #[arg(long, value_name = "FILE")]
        fixture: Option<PathBuf>,
    },
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage bot passwords.
    #[command(subcommand)]
    Botpassword(BotPasswordCommand),
    /// Import a MediaWiki XML export (Special:Export or dumpBackup.php), all
    /// revisions; link tables are filled afterwards by the job queue.
    Import {
        /// The XML file.
        file: PathBuf,
    },
    /// Delete the pages named in a file (one title a line; `-` or nothing for
    /// standard input), as MediaWiki's deleteBatch.php.
    DeleteBatch {
        /// The deletion reason for every page.
        #[arg(long, short = 'r', default_value = "")]
        reason: String,
        /// The account the deletions are logged under (a system account is
        /// created when it does not exist).
        #[arg(long, short = 'u', default_value = "Delete page script")]
        user: String,
        /// The list of titles.
        file: Option<PathBuf>,
    },
    /// Restore every deleted revision of a page, as MediaWiki's undelete.php.
    Undelete {
        /// The page to restore.
        title: String,
        #[arg(long, short = 'r', default_value = "")]
        reason: String,
        /// The account the restore is logged under.
        #[arg(long, short = 'u', default_value = "Command line script")]
        user: String,
    },
    /// Purge pages as action=purge does, from the command line (like
    /// MediaWiki's purgeList.php): bump page_touched, drop the parser cache
    /// entry, send CDN purges. Full http(s) URLs are sent to the CDN as they are.
    Purge {
        /// Page titles. Without any, titles are read from standard input, one
        /// per line.
        titles: Vec<String>,
        /// Read titles from standard input (besides any given as arguments).
        #[arg(long)]
        stdin: bool,
        /// Also parse each page again and rewrite its link tables.
        #[arg(long)]
        forcelinkupdate: bool,
        /// Like --forcelinkupdate, and queue link updates for every page that
        /// transcludes each purged page.
        #[arg(long)]
        recursive: bool,
    },
    /// Run queued jobs (link updates, cache invalidation) until the queue is
    /// empty, on the same data as the server.
    RunJobs {
        /// Stop after this many jobs.
        #[arg(long)]
        max: Option<usize>,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account.
    Create {
        name: String,
        /// The password.
        #[arg(long, env = "WIKID_USER_PASSWORD", hide_env_values = true)]
        password: String,
        /// Comma-separated groups, e.g. sysop,bureaucrat,bot.
        #[arg(long, default_value = "")]
        groups: String,
    },
    /// Replace the groups of an account (comma-separated, empty for none).
    SetGroups { name: String, groups: String },
    /// Set a new password (printed when generated).
    ResetPassword {
        name: String,
        #[arg(long, env = "WIKID_USER_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
}

#[derive(Subcommand)]
enum BotPasswordCommand {
    /// Create (or replace) a bot password; prints the login name and the password.
    Create {
        user: String,
        appid: String,
        /// Comma-separated grants, e.g. basic,highvolume,editpage,delete.
        #[arg(long, default_value = "basic")]
        grants: String,
        /// The password (32+ characters of [0-9a-w]); generated when absent.
        #[arg(long, env = "WIKID_BOT_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
}

fn load_config(cli: &Cli) -> Result<Config> {
    let mut config = match &cli.config {
        Some(p) => Config::from_file(p)?,
        None => Config::default(),
    };
    if let Some(d) = &cli.data_dir {
        config.data_dir = d.clone();
    }
    if let Some(u) = &cli.database_url {
        config.database_url = u.clone();
    }
    if let Some(s) = &cli.sitename {
        config.sitename = s.clone();
    }
    // A secret is not a flag (flags show in process lists).
    if let Ok(k) = std::env::var("WIKID_SECRET_KEY") {
        config.secret_key = k;
    }
    Ok(config)
}

fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("WIKID_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let mut config = load_config(&cli)?;
    match cli.command {
        Command::Serve {
            listen,
            server,
            admin_user,
            admin_password,
            ephemeral,
            fixture,
        } => {
            if let Some(l) = listen {
                config.listen = l;
            }
            if let Some(s) = server {
                config.server = s;
            }
            if let Some(u) = admin_user {
                config.admin_user = u;
            }
            if admin_password.is_some() {
                config.admin_password = admin_password;
            }
            let fixture = fixture
                .map(|f| wikid::fixture::Fixture::from_file(&f))
                .transpose()?;
            if let Some(admin) = fixture.as_ref().and_then(|f| f.first_admin()) {
                config.admin_user = admin.name.clone();
                config.admin_password = Some(admin.password.clone());
            }
            // Dropped (and so removed) when serve returns.
            let _ephemeral = if ephemeral {
                let dir = tempfile::Builder::new()
                    .prefix("wikid-ephemeral-")
                    .tempdir()?;
                config.data_dir = dir.path().to_path_buf();
                config.database_url.clear();
                Some(dir)
            } else {
                None
            };
            serve(config, fixture)
        }
        Command::User(cmd) => {
            let app = wikid::open_app_only(config)?;
            match cmd {
                UserCommand::Create {
                    name,
                    password,
                    groups,
                } => {
                    let groups = wikid::admin::parse_groups(&app, &groups)?;
                    let name = wikid::admin::create_user(&app, &name, &password, &groups)?;
                    println!("created user {name:?}");
                }
                UserCommand::SetGroups { name, groups } => {
                    let groups = wikid::admin::parse_groups(&app, &groups)?;
                    wikid::admin::set_groups(&app, &name, &groups)?;
                    println!("groups of {name:?}: {}", groups.join(","));
                }
                UserCommand::ResetPassword { name, password } => {
                    let generated = password.is_none();
                    let pass = wikid::admin::reset_password(&app, &name, password)?;
                    if generated {
                        println!("new password of {name:?}: {pass}");
                    } else {
                        println!("password of {name:?} changed");
                    }
                }
            }
            Ok(())
        }
        Command::Botpassword(BotPasswordCommand::Create {
            user,
            appid,
            grants,
            password,
        }) => {
            let app = wikid::open_app_only(config)?;
            let (login, pass) =
                wikid::admin::create_bot_password(&app, &user, &appid, &grants, password)?;
            println!("{login}");
            println!("{pass}");
            Ok(())
        }
        Command::Import { file } => import(config, &file),
        Command::DeleteBatch { reason, user, file } => {
            use std::io::BufRead;
            let app = wikid::open_app_only(config)?;
            let reader: Box<dyn BufRead> = match file {
                Some(f) if f.as_os_str() != "-" => Box::new(std::io::BufReader::new(
                    std::fs::File::open(&f)
                        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", f.display()))?,
                )),
                _ => Box::new(std::io::BufReader::new(std::io::stdin())),
            };
            let lines = reader.lines().map_while(Result::ok);
            let n = wikid::admin::delete_batch(&app, lines, &reason, &user, |line, o| match o {
                wikid::admin::BatchOutcome::Deleted { title, .. } => println!("{title} Deleted!"),
                wikid::admin::BatchOutcome::Missing(t) => {
                    println!("Skipping nonexistent page '{t}'")
                }
                wikid::admin::BatchOutcome::Invalid(t) => {
                    println!("Invalid title '{t}' on line {line}")
                }
            })?;
            eprintln!("{n} page(s) deleted");
            Ok(())
        }
        Command::Undelete {
            title,
            reason,
            user,
        } => {
            let app = wikid::open_app_only(config)?;
            print!("Undeleting {title}...");
            let (_, n) = wikid::admin::undelete_title(&app, &title, &reason, &user)?;
            println!(" done ({n} revisions)");
            Ok(())
        }
        Command::Purge {
            titles,
            stdin,
            forcelinkupdate,
            recursive,
        } => purge(config, titles, stdin, forcelinkupdate, recursive),
        Command::RunJobs { max } => {
            let (app, _) = wikid::open_app(config)?;
            let n = wikid::wiki::jobs::run_jobs(&app, max)?;
            let left = app.store.read()?.job_count()?;
            println!("ran {n} jobs; {left} left in the queue");
            Ok(())
        }
    }
}

fn purge(
    config: Config,
    mut titles: Vec<String>,
    stdin: bool,
    forcelinkupdate: bool,
    recursive: bool,
) -> Result<()> {
    use std::io::BufRead;
    if stdin || titles.is_empty() {
        for line in std::io::stdin().lock().lines() {
            let line = line?;
            let line = line.trim();
            if !line.is_empty() {
                titles.push(line.to_string());
            }
        }
    }
    let app = wikid::open_app_only(config)?;
    let opts = wikid::wiki::purge::ListOptions {
        force_link_update: forcelinkupdate,
        recursive,
    };
    let started = std::time::Instant::now();
    let outcomes = wikid::wiki::purge::purge_list(&app, &titles, opts, |o| println!("{o}"))?;
    use wikid::wiki::purge::ListOutcome as O;
    let count = |f: fn(&O) -> bool| outcomes.iter().filter(|o| f(o)).count();
    let jobs = app.store.read()?.job_count()?;
    println!(
        "{} purged, {} missing, {} invalid, {} skipped, {} urls in {:.2}s; {} jobs in the queue",
        count(|o| matches!(o, O::Purged { .. })),
        count(|o| matches!(o, O::Missing { .. })),
        count(|o| matches!(o, O::Invalid { .. })),
        count(|o| matches!(o, O::Skipped { .. })),
        count(|o| matches!(o, O::Url { .. })),
        started.elapsed().as_secs_f64(),
        jobs
    );
    Ok(())
}

fn import(config: Config, file: &std::path::Path) -> Result<()> {
    use std::io::Write;
    let (app, _) = wikid::open_app(config)?;
    let started = std::time::Instant::now();
    let stats = wikid::wiki::import::import_file(&app, file, |s| {
        let secs = started.elapsed().as_secs_f64().max(0.001);
        eprint!(
            "\rimported {} pages, {} revisions ({:.0} revisions/s)",
            s.pages,
            s.revisions,
            s.revisions as f64 / secs
        );
        let _ = std::io::stderr().flush();
    })?;
    eprintln!();
    println!(
        "imported {} pages and {} revisions ({} already present) in {:.1}s; link updates queued",
        stats.pages,
        stats.revisions,
        stats.skipped,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn serve(config: Config, fixture: Option<wikid::fixture::Fixture>) -> Result<()> {
    // API requests run on blocking threads (SQLite calls block). Bounding them
    // bounds the reader connections and the allocator's per-thread heaps, so memory
    // stays flat under any number of clients; more requests than threads wait in
    // tokio's queue. Writes no longer hold a thread while their fsync runs (the
    // request awaits it, see `storage::durability`), so a few threads per core
    // keep two cores busy: at 100 000 pages and 16 clients, 8 threads gave the
    // throughput of 32 (purge, delete, mixed) with a third less memory.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(8)
        .build()?;
    let password_given = config.admin_password.is_some();
    runtime.block_on(async move {
        let started = std::time::Instant::now();
        let (app, created) = wikid::open_app(config)?;
        if let Some(f) = &fixture {
            f.apply(&app, created.as_ref())?;
            tracing::info!("fixture loaded in {:?}", started.elapsed());
        }
        let server = wikid::Server::bind(app).await?;
        println!("wikid is serving {}", server.api_url());
        if let Some((user, password)) = created.filter(|_| fixture.is_none()) {
            // A generated password is shown once; a given one is never echoed.
            if password_given {
                println!("created administrator {user:?} with the given password");
            } else {
                println!("created administrator {user:?} with password {password:?}");
            }
            println!("log in with action=login (bot password) or action=clientlogin as {user}");
        }
        server.run(wikid::shutdown_signal()).await
    })
}
