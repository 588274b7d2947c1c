//! When no agent answers: a headless install (the Node CLI beside this file, at
//! dist/cli/latchkey.cjs) hands the whole command to the Node CLI, which starts the agent
//! as it always has; inside the desktop app (app.asar beside bin/), the app is started in
//! the background, tray only, and the command is relayed once its socket answers.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub enum Started {
    /// An agent answers now: relay the command.
    Relay,
    /// The Node CLI ran the command; its exit code.
    Exited(i32),
}

/// A cold app opens the keychain and reads the config before it listens (as main/cli/agent-launcher.ts allows).
const START_TIMEOUT: Duration = Duration::from_secs(10);

fn own_dir() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?.canonicalize().ok()?;
    exe.parent().map(Path::to_path_buf)
}

fn node_cli() -> Option<PathBuf> {
    let cli = own_dir()?.join("../cli/latchkey.cjs");
    cli.is_file().then_some(cli)
}

/// The desktop app's own binary, when this file is its resources/bin/latchkey.
fn desktop_app() -> Option<PathBuf> {
    let resources = own_dir()?.join("..");
    if !resources.join("app.asar").is_file() {
        return None;
    }
    // Canonical, so that a message naming it reads /opt/Latchkey/latchkey-desktop, not resources/bin/../../latchkey-desktop.
    ["../latchkey-desktop", "../MacOS/Latchkey", "../Latchkey.exe"].iter().map(|name| resources.join(name)).find(|path| path.is_file()).map(|path| path.canonicalize().unwrap_or(path))
}

pub fn start_agent(socket: &str, args: &[String]) -> Result<Started, (String, i32)> {
    if let Some(app) = desktop_app() {
        return start_desktop_app(&app, socket);
    }
    to_node_cli(args).map(Started::Exited)
}

/// `latchkey doctor` with no agent: the Node CLI's doctor, which starts none and still
/// checks the rest; without a Node CLI (the desktop app), a sentence, since starting the
/// app would hide the very state doctor is asked about.
pub fn doctor_without_agent(socket: &str, args: &[String]) -> Result<i32, (String, i32)> {
    if node_cli().is_some() {
        return to_node_cli(args);
    }
    Err((format!("No Latchkey agent answers on {socket}, and doctor starts none: start the Latchkey app (any other latchkey command starts it in the tray), then run latchkey doctor again."), 1))
}

/// Runs the command in the Node CLI: on Unix by exec, so the pid, signals and terminal stay this process's.
pub fn to_node_cli(args: &[String]) -> Result<i32, (String, i32)> {
    let Some(cli) = node_cli() else {
        // The packaged app ships no Node CLI and cannot run as Node (its RunAsNode fuse is
        // off): its agent is the app itself, so only `latchkey agent` ends up here.
        if desktop_app().is_some() {
            return Err((
                "\"latchkey agent\" runs the headless agent, which needs Node.js and the Node CLI; in the Latchkey app the app itself is the agent: start Latchkey (any other latchkey command starts it in the tray).".into(),
                1,
            ));
        }
        return Err((
            "No Latchkey agent answers, and this latchkey has neither the Node CLI beside it nor the Latchkey app around it to start one; reinstall Latchkey.".into(),
            1,
        ));
    };
    let mut command = Command::new("node");
    command.arg(&cli).args(args);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let error = command.exec();
        Err(node_missing(&error))
    }
    #[cfg(not(unix))]
    {
        match command.status() {
            Ok(status) => Ok(status.code().unwrap_or(1)),
            Err(error) => Err(node_missing(&error)),
        }
    }
}

fn node_missing(error: &std::io::Error) -> (String, i32) {
    (format!("No Latchkey agent answers, and Node.js, which runs the headless agent, cannot be started ({error}); install Node.js 20.9 or later, or start the Latchkey app."), 1)
}

fn start_desktop_app(app: &Path, socket: &str) -> Result<Started, (String, i32)> {
    let mut child = Command::new(app)
        .arg("--hidden")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|error| (format!("The Latchkey app at {} could not be started ({error}).", app.display()), 1))?;
    let deadline = Instant::now() + START_TIMEOUT;
    let mut wait = Duration::from_millis(25);
    while Instant::now() < deadline {
        std::thread::sleep(wait);
        if crate::connection::connect(socket).is_ok() {
            return Ok(Started::Relay);
        }
        // An app that failed (no display, a broken install) is not waited for. One that
        // exited cleanly may be a second instance handing over to a first that is still
        // starting (the single-instance lock): its socket can still come.
        if let Ok(Some(status)) = child.try_wait() {
            if !status.success() {
                return Err((format!("The Latchkey app at {} exited ({status}) before its agent answered; start it once from your desktop to see why.", app.display()), 1));
            }
        }
        wait = (wait * 2).min(Duration::from_millis(250));
    }
    Err((format!("The Latchkey app did not start its agent within {} seconds.", START_TIMEOUT.as_secs()), 1))
}
