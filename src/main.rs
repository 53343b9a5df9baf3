//! The `wikid` command: `serve` and the operator commands.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};

use wikid::config::Config;

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
    },
    /// Run queued jobs (link updates, cache invalidation) until the queue is
    /// empty, on the same data as the server.
    RunJobs {
        /// Stop after this many jobs.
        #[arg(long)]
        max: Option<usize>,
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
            serve(config)
        }
        Command::RunJobs { max } => {
            let (app, _) = wikid::open_app(config)?;
            let n = wikid::wiki::jobs::run_jobs(&app, max)?;
            let left = app.store.read()?.job_count()?;
            println!("ran {n} jobs; {left} left in the queue");
            Ok(())
        }
    }
}

fn serve(config: Config) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let (app, created) = wikid::open_app(config)?;
        let server = wikid::Server::bind(app).await?;
        println!("wikid is serving {}", server.api_url());
        if let Some((user, password)) = created {
            println!("created administrator {user:?} with password {password:?}");
            println!("log in with action=login (bot password) or action=clientlogin as {user}");
        }
        server.run(wikid::shutdown_signal()).await
    })
}
