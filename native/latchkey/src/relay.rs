//! One command through the agent: the request (arguments, environment, directory,
//! terminal), then the agent's frames until the exit code (docs/agent-api.md, "The relay").

use crate::child;
use crate::connection::{self, ConnectError};
use crate::frames::{self, FrameReader, HeadRead, Next};
use crate::json;
use crate::system;
use std::io::{self, IsTerminal, Write};
use std::time::{Duration, Instant};

/// docs/agent-api.md, "The relay": the version main/relay/relay-wire.ts checks.
pub const PROTOCOL_VERSION: u32 = 1;

pub const EXIT_FAILURE: i32 = 1;
const EXIT_USAGE: i32 = 2;
const EXIT_NOT_SIGNED_IN: i32 = 3;
/// What a shell reports for a command ended by Ctrl+C.
const EXIT_INTERRUPTED: i32 = 130;

/// How often a waiting client looks at Ctrl+C; reads return as soon as data arrives.
const POLL: Duration = Duration::from_millis(100);
/// The agent answers a relay request at once (the command then runs as long as it runs);
/// one that stays silent this long is stuck, and saying so beats hanging.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);

pub enum Failure {
    /// Nothing listens on the socket.
    NoAgent,
    /// An agent without the relay (one older than this client).
    NoRelay,
    /// One sentence for stderr, and the exit code.
    Said(String, i32),
}

pub fn run(socket_path: &str, args: &[String]) -> Result<i32, Failure> {
    let mut stream = connect(socket_path)?;
    let body = request_body(args);
    let head = format!(
        "POST /v1/relay HTTP/1.0\r\nHost: latchkey\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    // HTTP/1.0: the agent streams the frames and ends the answer by closing the connection.
    stream.write_all(format!("{head}{body}").as_bytes()).map_err(|_| stopped(socket_path))?;
    let _ = stream.set_poll(Some(POLL));
    system::catch_interrupts();
    let mut reader = FrameReader::new(stream);
    let head = match reader.head(Instant::now() + ANSWER_TIMEOUT) {
        HeadRead::Head(head) => head,
        HeadRead::Interrupted => return Ok(EXIT_INTERRUPTED),
        HeadRead::TimedOut => return Err(silent(socket_path)),
        HeadRead::NotHttp => return Err(not_an_agent(socket_path)),
        HeadRead::Ended => return Err(stopped(socket_path)),
    };
    if head.status != 200 || head.content_type != "application/vnd.latchkey.relay" {
        return Err(refusal(head.status, &reader.rest().unwrap_or_default()));
    }
    let mut id: Option<String> = None;
    loop {
        match reader.next() {
            Ok(Next::Frame(frames::ID, payload)) => id = Some(String::from_utf8_lossy(&payload).into_owned()),
            Ok(Next::Frame(frames::STDOUT, payload)) => write_out(&mut io::stdout(), &payload),
            Ok(Next::Frame(frames::STDERR, payload)) => write_out(&mut io::stderr(), &payload),
            Ok(Next::Frame(frames::EXIT, payload)) => return exit_code(&payload).ok_or_else(|| cut_off(socket_path)),
            Ok(Next::Frame(frames::RUN_CHILD, payload)) => {
                let spec = frames::parse_child(&payload).ok_or_else(|| cut_off(socket_path))?;
                let Some(id) = id else { return Err(cut_off(socket_path)) };
                return Ok(child::run(spec, reader, socket_path, &id));
            }
            // A frame type from a newer agent: nothing this client can show.
            Ok(Next::Frame(_, _)) | Ok(Next::Idle) => {}
            Ok(Next::Interrupted(count)) => match (&id, count) {
                (Some(id), 1) => interrupt(socket_path, id),
                _ => return Ok(EXIT_INTERRUPTED),
            },
            Ok(Next::End) | Err(_) => return Err(cut_off(socket_path)),
        }
    }
}

fn connect(socket_path: &str) -> Result<Box<dyn connection::Stream>, Failure> {
    connection::connect(socket_path).map_err(|error| match error {
        ConnectError::NoAgent => Failure::NoAgent,
        ConnectError::Refused(sentence) => Failure::Said(sentence, EXIT_FAILURE),
    })
}

/// Ctrl+C: the agent cancels the command as SIGINT cancels the Node CLI's, and the
/// command's own last words still arrive on the first connection.
fn interrupt(socket_path: &str, id: &str) {
    tell(socket_path, &format!("/v1/relay/{id}/interrupt"));
}

/// A short request about a running command, on a connection of its own; the answer is not needed.
pub fn tell(socket_path: &str, path: &str) {
    if let Ok(mut stream) = connection::connect(socket_path) {
        let request = format!("POST {path} HTTP/1.0\r\nHost: latchkey\r\nContent-Length: 0\r\n\r\n");
        if stream.write_all(request.as_bytes()).is_ok() {
            let _ = stream.set_poll(Some(Duration::from_secs(2)));
            let _ = FrameReader::new(stream).rest();
        }
    }
}

fn write_out(out: &mut dyn Write, payload: &[u8]) {
    // A reader that went away (`latchkey setup-profiles | head -1`) is not an error.
    let _ = out.write_all(payload).and_then(|()| out.flush());
}

fn exit_code(payload: &[u8]) -> Option<i32> {
    let bytes: [u8; 4] = payload.try_into().ok()?;
    Some(i32::from_be_bytes(bytes))
}

pub fn request_body(args: &[String]) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str(&format!("{{\"version\":{PROTOCOL_VERSION},\"args\":["));
    for (index, arg) in args.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        json::push_string(&mut out, arg);
    }
    out.push_str("],\"env\":{");
    let mut first = true;
    for (key, value) in std::env::vars_os() {
        // A name or value that is not UTF-8 cannot be a variable the CLI reads; exec's
        // child still gets it, since the client builds the child's environment from its own.
        let (Some(key), Some(value)) = (key.to_str(), value.to_str()) else { continue };
        if !first {
            out.push(',');
        }
        first = false;
        json::push_string(&mut out, key);
        out.push(':');
        json::push_string(&mut out, value);
    }
    out.push_str("},\"cwd\":");
    let cwd = std::env::current_dir().map(|dir| dir.to_string_lossy().into_owned()).unwrap_or_else(|_| "/".into());
    json::push_string(&mut out, &cwd);
    out.push_str(",\"home\":");
    json::push_string(&mut out, &crate::socket_path::home_dir().filter(|home| home.starts_with('/') || home.contains(":\\")).unwrap_or_else(|| "/".into()));
    out.push_str(",\"exe\":");
    json::push_string(&mut out, &own_path());
    out.push_str(&format!(
        ",\"pid\":{},\"terminal\":{{\"stdin\":{},\"stdout\":{},\"stderr\":{},\"columns\":{}}}}}",
        std::process::id(),
        io::stdin().is_terminal(),
        io::stdout().is_terminal(),
        io::stderr().is_terminal(),
        system::terminal_columns()
    ));
    out
}

/// This executable's real path: what setup-profiles writes into credential_process lines.
pub fn own_path() -> String {
    std::env::current_exe()
        .and_then(|path| path.canonicalize())
        .map(|path| path.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "latchkey".into())
}

/// The agent refused the request: its sentence, or ours when it sent none.
fn refusal(status: u16, body: &[u8]) -> Failure {
    let parsed = json::parse(&String::from_utf8_lossy(body));
    let error = parsed.as_ref().and_then(|value| value.get("error"));
    let code = error.and_then(|e| e.get("code")).and_then(json::Value::text).unwrap_or("");
    let message = error.and_then(|e| e.get("message")).and_then(json::Value::text);
    if status == 404 && code == "not_found" && message.is_some_and(|m| m.starts_with("There is no route")) {
        return Failure::NoRelay;
    }
    let exit = match code {
        "usage_error" => EXIT_USAGE,
        "signed_out" | "unauthorized" => EXIT_NOT_SIGNED_IN,
        _ => EXIT_FAILURE,
    };
    match message {
        Some(message) => Failure::Said(printable(message), exit),
        None => Failure::Said(format!("The Latchkey agent refused the command with HTTP {status} and no explanation."), EXIT_FAILURE),
    }
}

fn log_hint(socket_path: &str) -> String {
    if cfg!(windows) {
        return String::new();
    }
    let dir = std::path::Path::new(socket_path).parent().map(|d| d.to_string_lossy().into_owned()).unwrap_or_default();
    format!(" (its log: {dir}/agent.log)")
}

/// The connection ended before the head: the agent went away as the command was sent.
fn stopped(socket_path: &str) -> Failure {
    Failure::Said(
        format!("The Latchkey agent stopped before it answered{}; run the command again, which starts a new agent.", log_hint(socket_path)),
        EXIT_FAILURE,
    )
}

/// Something answers on the socket, but not in HTTP: not our agent.
fn not_an_agent(socket_path: &str) -> Failure {
    Failure::Said(format!("What answers on {socket_path} is not a Latchkey agent (its answer is not HTTP); stop it, or set LATCHKEY_SOCKET to another path."), EXIT_FAILURE)
}

/// Connected, but nothing came back.
fn silent(socket_path: &str) -> Failure {
    Failure::Said(
        format!(
            "The Latchkey agent at {socket_path} did not answer within {} seconds{}; quit it (or the Latchkey app) and run the command again.",
            ANSWER_TIMEOUT.as_secs(),
            log_hint(socket_path)
        ),
        EXIT_FAILURE,
    )
}

/// The frames ended before the exit code: the agent stopped while the command ran.
fn cut_off(socket_path: &str) -> Failure {
    Failure::Said(
        format!("The Latchkey agent stopped before the command finished{}; run the command again, which starts a new agent.", log_hint(socket_path)),
        EXIT_FAILURE,
    )
}

/// main/core/printable-text.ts: what could repaint a terminal is replaced, not dropped.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            let code = c as u32;
            let unprintable = code < 0x20
                || (0x7f..=0x9f).contains(&code)
                || code == 0x2028
                || code == 0x2029
                || (0x202a..=0x202e).contains(&code)
                || (0x2066..=0x2069).contains(&code);
            if unprintable {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_old_agent_without_the_route_is_told_from_other_refusals() {
        let body = br#"{"error":{"code":"not_found","message":"There is no route /v1/relay; see docs/agent-api.md for the routes."}}"#;
        assert!(matches!(refusal(404, body), Failure::NoRelay));
        let body = br#"{"error":{"code":"version_mismatch","message":"This latchkey command speaks relay protocol 2."}}"#;
        assert!(matches!(refusal(409, body), Failure::Said(m, 1) if m.starts_with("This latchkey command")));
    }

    #[test]
    fn a_refusal_without_a_sentence_still_gets_one() {
        assert!(matches!(refusal(500, b"<html>"), Failure::Said(m, 1) if m.contains("HTTP 500")));
    }

    #[test]
    fn escape_sequences_from_the_socket_never_reach_the_terminal() {
        assert_eq!(printable("a\u{1b}[2Jb\u{202e}c"), "a\u{FFFD}[2Jb\u{FFFD}c");
    }

    #[test]
    fn the_request_carries_the_version_and_arguments_as_json() {
        let body = request_body(&["status".into(), "--json".into()]);
        let value = json::parse(&body).expect("valid JSON");
        assert_eq!(value.get("version"), Some(&json::Value::Number(1.0)));
        assert!(value.get("env").is_some() && value.get("terminal").is_some());
    }
}
