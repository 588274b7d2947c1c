//! exec's child, run by this process so that stdin, the terminal, signals and the exit
//! status are the child's own; the agent keeps its credentials endpoint bound until the
//! connection held here closes, when this process exits.

use crate::frames::{self, ChildSpec, FrameReader, Next};
use crate::system;
use std::io::{self, Write};
use std::process::{Command, ExitStatus};

pub fn run(spec: ChildSpec, mut reader: FrameReader) -> i32 {
    let mut command = Command::new(&spec.file);
    command.args(&spec.args).env_clear().envs(spec.env.iter().map(|(k, v)| (k, v)));
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(error) => return cannot_run(&spec.file, &error),
    };
    system::forward_signals_to(child.id());
    // The agent may still speak while the child runs ("the agent stopped..."); nothing
    // else is expected, and the thread ends with the process.
    std::thread::spawn(move || loop {
        match reader.next() {
            Ok(Next::Frame(frames::STDERR, payload)) => {
                let _ = io::stderr().write_all(&payload);
            }
            Ok(Next::Frame(_, _)) | Ok(Next::Interrupted(_)) => {}
            Ok(Next::End) | Err(_) => return,
        }
    });
    match child.wait() {
        Ok(status) => exit_code(status),
        Err(_) => 1,
    }
}

/// As shells do, and as main/cli/local-child.ts does: 127 not found, 126 not runnable.
fn cannot_run(file: &str, error: &io::Error) -> i32 {
    let (why, code) = match error.kind() {
        io::ErrorKind::NotFound => ("it was not found on PATH".to_string(), 127),
        io::ErrorKind::PermissionDenied => ("it is not executable".to_string(), 126),
        _ => (error.to_string(), 126),
    };
    eprintln!("latchkey: cannot run \"{}\": {why}.", crate::relay::printable(file));
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
