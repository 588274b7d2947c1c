//! exec's child, run by this process so that stdin, the terminal, signals and the exit
//! status are the child's own. The agent holds the child's credentials endpoint and the
//! copies of the shared files until it hears that the child exited; then `exec` cleans up
//! and its exit code (the child's) arrives as the last frame.

use crate::frames::{self, ChildSpec, FrameReader, Next};
use crate::relay;
use crate::system;
use std::io::{self, Write};
use std::process::{Command, ExitStatus};
use std::sync::mpsc;

pub fn run(spec: ChildSpec, mut reader: FrameReader, socket_path: &str, id: &str) -> i32 {
    let mut command = Command::new(&spec.file);
    command.args(&spec.args).env_clear().envs(spec.env.iter().map(|(k, v)| (k, v)));
    let (exited, exit) = mpsc::channel();
    let notice = format!("/v1/relay/{id}/child-exited");
    let socket = socket_path.to_string();
    let report = move |code: i32| {
        let _ = exited.send(code);
        relay::tell(&socket, &format!("{notice}?code={code}"));
    };
    system::keep_signals_for_child();
    match command.spawn() {
        Ok(mut child) => {
            system::forward_signals_to(child.id());
            std::thread::spawn(move || report(child.wait().map(exit_code).unwrap_or(1)));
        }
        // Said here, where the spawn failed; the agent still has to hear of it to clean up.
        Err(error) => report(cannot_run(&spec.file, &error)),
    }
    let mut code: Option<i32> = None;
    loop {
        if code.is_none() {
            code = exit.try_recv().ok();
        }
        match reader.next() {
            Ok(Next::Frame(frames::STDERR, payload)) => {
                let _ = io::stderr().write_all(&payload);
            }
            // exec has cleaned up; its code is the child's.
            Ok(Next::Frame(frames::EXIT, _)) => return code.unwrap_or_else(|| exit.recv().unwrap_or(1)),
            Ok(Next::Frame(_, _)) | Ok(Next::Interrupted(_)) | Ok(Next::Idle) => {}
            Ok(Next::End) | Err(_) => {
                return code.unwrap_or_else(|| {
                    // As the Node CLI says it when the agent goes away under a running child.
                    eprintln!("latchkey: the Latchkey agent stopped; the command can no longer get credentials from it.");
                    exit.recv().unwrap_or(1)
                })
            }
        }
    }
}

/// As shells do, and as main/cli/local-child.ts does: 127 not found, 126 not runnable.
fn cannot_run(file: &str, error: &io::Error) -> i32 {
    let (why, code) = match error.kind() {
        io::ErrorKind::NotFound => ("it was not found on PATH".to_string(), 127),
        io::ErrorKind::PermissionDenied => ("it is not executable".to_string(), 126),
        _ => (error.to_string(), 126),
    };
    eprintln!("latchkey: cannot run \"{}\": {why}.", relay::printable(file));
    code
}

/// A child killed by signal N gives 128 + N.
#[cfg(unix)]
fn exit_code(status: ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    status.code().unwrap_or_else(|| 128 + status.signal().unwrap_or(0))
}

#[cfg(not(unix))]
fn exit_code(status: ExitStatus) -> i32 {
    status.code().unwrap_or(1)
}
