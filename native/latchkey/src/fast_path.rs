//! The usual `credential_process` call, `latchkey credential-process --profile P` (or
//! `--session S --account A --role R`) with credentials ready: one GET that the agent
//! answers with the exact line to print (asked for by its media type; made by the same
//! TypeScript as every other answer), passed through untouched. Anything else (other
//! arguments, no agent, a signed-out session, any error) returns `None` without a word and
//! the command goes the full way through the relay, messages and exit codes included; the
//! Node CLI's fast path (main/cli/fast-credential-process.ts) makes the same choice.

use crate::connection;
use crate::frames::{FrameReader, HeadRead};
use std::io::Write;
use std::time::{Duration, Instant};

/// Warm credentials take a millisecond; a cold role a round trip to AWS. Slower than this,
/// the full command takes over and says what the wait is (main/cli/fast-credential-process.ts).
const FAST_TIMEOUT: Duration = Duration::from_secs(5);
const POLL: Duration = Duration::from_millis(100);

/// main/agent/routes/credential-routes.ts: the answer is the line to print.
const LINE_TYPE: &str = "application/vnd.latchkey.credential-process";

pub enum Outcome {
    Printed,
    NoAgent,
    /// Go the full way.
    Relay,
}

pub fn try_answer(socket_path: &str, args: &[String]) -> Outcome {
    let Some(query) = query(args) else { return Outcome::Relay };
    let mut stream = match connection::connect(socket_path) {
        Ok(stream) => stream,
        Err(connection::ConnectError::NoAgent) => return Outcome::NoAgent,
        Err(connection::ConnectError::Refused(_)) => return Outcome::Relay,
    };
    // waitSeconds=0: waiting for a sign-in, with its notice on stderr, is the full command's job.
    let request = format!(
        "GET /v1/credentials?{query}&waitSeconds=0 HTTP/1.0\r\nHost: latchkey\r\nAccept: {LINE_TYPE}\r\nLatchkey-Aws-Config-File: {}\r\n\r\n",
        percent_encode(&own_config_file())
    );
    if stream.write_all(request.as_bytes()).is_err() || stream.set_poll(Some(POLL)).is_err() {
        return Outcome::Relay;
    }
    let mut reader = FrameReader::new(stream);
    let HeadRead::Head(head) = reader.head(Instant::now() + FAST_TIMEOUT) else { return Outcome::Relay };
    if head.status != 200 || head.content_type != LINE_TYPE {
        return Outcome::Relay;
    }
    let Some(length) = head.content_length else { return Outcome::Relay };
    let Ok(Some(body)) = reader.body(length) else { return Outcome::Relay };
    // Cut off, or not the agent's line: the full command says what went wrong.
    if !body.starts_with(b"{\"Version\":1,") || !body.ends_with(b"}\n") {
        return Outcome::Relay;
    }
    let mut out = std::io::stdout();
    match out.write_all(&body).and_then(|()| out.flush()) {
        Ok(()) => Outcome::Printed,
        // Nothing was printed that the full command would print again.
        Err(_) => Outcome::Printed,
    }
}

/// The query for the two usual forms; `None` for anything else.
fn query(args: &[String]) -> Option<String> {
    let (command, flags) = args.split_first()?;
    if command != "credential-process" {
        return None;
    }
    let value = |at: usize| flags.get(at).filter(|v| !v.is_empty() && !v.starts_with('-'));
    match flags.len() {
        2 if flags[0] == "--profile" => Some(format!("profile={}", percent_encode(value(1)?))),
        6 => {
            let (mut session, mut account, mut role) = (None, None, None);
            for pair in 0..3 {
                let slot = match flags[pair * 2].as_str() {
                    "--session" => &mut session,
                    "--account" => &mut account,
                    "--role" => &mut role,
                    _ => return None,
                };
                if slot.is_some() {
                    return None;
                }
                *slot = Some(value(pair * 2 + 1)?);
            }
            Some(format!("session={}&accountId={}&roleName={}", percent_encode(session?), percent_encode(account?), percent_encode(role?)))
        }
        _ => None,
    }
}

/// The AWS config file this command reads (main/cli/own-config-file.ts): AWS_CONFIG_FILE
/// with a leading `~/` expanded, else `~/.aws/config`, made absolute against this directory.
fn own_config_file() -> String {
    let home = crate::socket_path::home_dir().unwrap_or_default();
    let path = match std::env::var("AWS_CONFIG_FILE") {
        Ok(file) if !file.is_empty() => match file.strip_prefix("~/") {
            Some(rest) => format!("{home}/{rest}"),
            None => file,
        },
        _ => format!("{home}/.aws/config"),
    };
    if path.starts_with('/') {
        return path;
    }
    let cwd = std::env::current_dir().map(|dir| dir.to_string_lossy().into_owned()).unwrap_or_default();
    format!("{cwd}/{path}")
}

/// encodeURIComponent: everything but the unreserved characters, as UTF-8 bytes.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn takes_only_the_two_usual_forms() {
        assert_eq!(query(&args(&["credential-process", "--profile", "dev"])), Some("profile=dev".into()));
        assert_eq!(
            query(&args(&["credential-process", "--role", "R", "--session", "corp", "--account", "111111111111"])),
            Some("session=corp&accountId=111111111111&roleName=R".into())
        );
        for other in [
            &["credential-process", "--profile"][..],
            &["credential-process", "--profile", "--no-wait"],
            &["credential-process", "--profile", "dev", "--no-wait"],
            &["credential-process", "--session", "a", "--session", "b", "--role", "R"],
            &["export", "--profile", "dev"],
        ] {
            assert_eq!(query(&args(other)), None, "{other:?}");
        }
    }

    #[test]
    fn encodes_as_encode_uri_component_does() {
        assert_eq!(percent_encode("a b&c=d/é~'()"), "a%20b%26c%3Dd%2F%C3%A9~'()");
    }
}
