//! Reading the agent's answer to a relay request: an HTTP/1.0 head, then frames of a
//! type byte, a 4-byte big-endian length and the payload (main/relay/relay-wire.ts).

use crate::connection::Stream;
use crate::system;
use std::io::{self, Read};
use std::time::Instant;

pub const ID: u8 = b'I';
pub const STDOUT: u8 = b'O';
pub const STDERR: u8 = b'E';
pub const RUN_CHILD: u8 = b'R';
pub const EXIT: u8 = b'X';

/// Output frames are small; a bigger one is not our agent's.
const MAX_FRAME_BYTES: usize = 16 * 1024 * 1024;
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// Error bodies are one sentence of JSON.
const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

pub enum Next {
    Frame(u8, Vec<u8>),
    /// The connection ended cleanly between frames.
    End,
    /// Ctrl+C was pressed (the count so far) while waiting.
    Interrupted(i32),
    /// Nothing arrived within the poll interval.
    Idle,
}

pub struct FrameReader {
    stream: Box<dyn Stream>,
    buffer: Vec<u8>,
    seen_interrupts: i32,
}

pub enum HeadRead {
    Head(Head),
    /// The connection closed before a whole head.
    Ended,
    TimedOut,
    Interrupted,
    /// Whatever answers there does not speak HTTP.
    NotHttp,
}

pub struct Head {
    pub status: u16,
    pub content_type: String,
    pub content_length: Option<usize>,
}

impl FrameReader {
    pub fn new(stream: Box<dyn Stream>) -> FrameReader {
        FrameReader { stream, buffer: Vec::new(), seen_interrupts: system::interrupts() }
    }

    /// One read into the buffer: `Ok(false)` at the end of the stream.
    fn fill(&mut self) -> io::Result<Option<bool>> {
        let mut chunk = [0u8; 16 * 1024];
        match self.stream.read(&mut chunk) {
            Ok(0) => Ok(Some(false)),
            Ok(n) => {
                self.buffer.extend_from_slice(&chunk[..n]);
                Ok(Some(true))
            }
            Err(error) if matches!(error.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted) => Ok(None),
            Err(error) => Err(error),
        }
    }

    fn new_interrupt(&mut self) -> Option<i32> {
        let now = system::interrupts();
        if now > self.seen_interrupts {
            self.seen_interrupts = now;
            Some(now)
        } else {
            None
        }
    }

    /// The status line and headers, by `deadline` (the stream must poll: `Stream::set_poll`).
    pub fn head(&mut self, deadline: Instant) -> HeadRead {
        loop {
            if let Some(end) = find(&self.buffer, b"\r\n\r\n") {
                let text = String::from_utf8_lossy(&self.buffer[..end]).into_owned();
                self.buffer.drain(..end + 4);
                return parse_head(&text).map_or(HeadRead::NotHttp, HeadRead::Head);
            }
            if self.buffer.len() > MAX_HEAD_BYTES {
                return HeadRead::NotHttp;
            }
            if self.new_interrupt().is_some() {
                return HeadRead::Interrupted;
            }
            if Instant::now() >= deadline {
                return HeadRead::TimedOut;
            }
            match self.fill() {
                Ok(Some(false)) | Err(_) => return HeadRead::Ended,
                _ => {}
            }
        }
    }

    /// A body of `length` bytes, without waiting for the connection to close; `None` when
    /// the stream ends first (a cut-off answer) or holds more.
    pub fn body(&mut self, length: usize) -> io::Result<Option<Vec<u8>>> {
        while self.buffer.len() < length && length <= MAX_ERROR_BODY_BYTES {
            if self.fill()? == Some(false) {
                break;
            }
        }
        Ok((self.buffer.len() == length).then(|| std::mem::take(&mut self.buffer)))
    }

    /// The rest of a (non-relay) answer, for its error sentence.
    pub fn rest(&mut self) -> io::Result<Vec<u8>> {
        while self.buffer.len() <= MAX_ERROR_BODY_BYTES {
            if self.fill()? == Some(false) {
                break;
            }
        }
        Ok(std::mem::take(&mut self.buffer))
    }

    pub fn next(&mut self) -> io::Result<Next> {
        loop {
            if self.buffer.len() >= 5 {
                let length = u32::from_be_bytes([self.buffer[1], self.buffer[2], self.buffer[3], self.buffer[4]]) as usize;
                if length > MAX_FRAME_BYTES {
                    return Err(io::Error::new(io::ErrorKind::InvalidData, "frame too large"));
                }
                if self.buffer.len() >= 5 + length {
                    let kind = self.buffer[0];
                    let payload = self.buffer[5..5 + length].to_vec();
                    self.buffer.drain(..5 + length);
                    return Ok(Next::Frame(kind, payload));
                }
            }
            if let Some(count) = self.new_interrupt() {
                return Ok(Next::Interrupted(count));
            }
            match self.fill()? {
                Some(false) if self.buffer.is_empty() => return Ok(Next::End),
                Some(false) => return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "cut off inside a frame")),
                None => return Ok(Next::Idle),
                Some(true) => {}
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

fn parse_head(text: &str) -> Option<Head> {
    let mut lines = text.split("\r\n");
    let status_line = lines.next()?;
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next()?;
    if !version.starts_with("HTTP/1.") {
        return None;
    }
    let status = parts.next()?.parse().ok()?;
    let headers: Vec<(&str, &str)> = lines.filter_map(|line| line.split_once(':')).collect();
    let header = |wanted: &str| headers.iter().find(|(name, _)| name.trim().eq_ignore_ascii_case(wanted)).map(|(_, value)| value.trim());
    Some(Head {
        status,
        content_type: header("content-type").unwrap_or_default().to_ascii_lowercase(),
        content_length: header("content-length").and_then(|value| value.parse().ok()),
    })
}

/// exec's child, as main/relay/relay-wire.ts runChildPayload writes it.
pub struct ChildSpec {
    pub file: String,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
}

pub fn parse_child(payload: &[u8]) -> Option<ChildSpec> {
    let text = std::str::from_utf8(payload).ok()?;
    let mut parts = text.strip_suffix('\0')?.split('\0');
    let file = parts.next()?.to_string();
    let count: usize = parts.next()?.parse().ok()?;
    let args: Vec<String> = parts.by_ref().take(count).map(str::to_string).collect();
    if args.len() != count {
        return None;
    }
    let env = parts.map(|pair| pair.split_once('=').map(|(k, v)| (k.to_string(), v.to_string()))).collect::<Option<Vec<_>>>()?;
    Some(ChildSpec { file, args, env })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_status_and_content_type() {
        let head = parse_head("HTTP/1.1 409 Conflict\r\nContent-Type: Application/JSON; charset=utf-8\r\nX: y").unwrap();
        assert_eq!(head.status, 409);
        assert_eq!(head.content_type, "application/json; charset=utf-8");
        assert!(parse_head("SSH-2.0-OpenSSH").is_none());
    }

    #[test]
    fn reads_a_child_with_its_arguments_and_environment() {
        let child = parse_child(b"aws\x002\x00s3\x00ls\x00A=1\x00B=x=y\x00").unwrap();
        assert_eq!(child.file, "aws");
        assert_eq!(child.args, vec!["s3", "ls"]);
        assert_eq!(child.env, vec![("A".into(), "1".into()), ("B".into(), "x=y".into())]);
        assert!(parse_child(b"aws\x003\x00s3\x00").is_none());
        assert!(parse_child(b"aws\x000\x00NOEQUALS\x00").is_none());
    }
}
