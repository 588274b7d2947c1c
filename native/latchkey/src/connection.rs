//! The byte stream to the agent: its Unix socket, checked before connecting, or on
//! Windows its named pipe (opened as a file, which is how Windows clients open pipes).

use std::io::{self, Read, Write};
use std::time::Duration;

pub trait Stream: Read + Write + Send {
    /// A bound on each read, so a waiting client still notices Ctrl+C; `None` where the stream has none.
    fn set_poll(&self, every: Option<Duration>) -> io::Result<()>;
}

pub enum ConnectError {
    /// Nothing listens there: start an agent, or hand over to the Node CLI.
    NoAgent,
    /// One sentence, already worded for the user.
    Refused(String),
}

#[cfg(unix)]
impl Stream for std::os::unix::net::UnixStream {
    fn set_poll(&self, every: Option<Duration>) -> io::Result<()> {
        self.set_read_timeout(every)
    }
}

#[cfg(unix)]
pub fn connect(socket_path: &str) -> Result<Box<dyn Stream>, ConnectError> {
    use crate::trust::{check_socket, SocketState};
    match check_socket(socket_path, crate::system::uid()) {
        Ok(SocketState::Absent) => return Err(ConnectError::NoAgent),
        Ok(SocketState::Present) => {}
        Err(sentence) => return Err(ConnectError::Refused(sentence)),
    }
    match std::os::unix::net::UnixStream::connect(socket_path) {
        Ok(stream) => Ok(Box::new(stream)),
        Err(error) if matches!(error.kind(), io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused) => Err(ConnectError::NoAgent),
        Err(error) => Err(ConnectError::Refused(format!("Cannot connect to the Latchkey agent at {socket_path} ({error})."))),
    }
}

#[cfg(windows)]
impl Stream for std::fs::File {
    fn set_poll(&self, _every: Option<Duration>) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(windows)]
pub fn connect(pipe_path: &str) -> Result<Box<dyn Stream>, ConnectError> {
    // The agent creates the pipe for this user only (its default DACL); there is no
    // file system path to check as on Unix (docs/security.md, "Windows").
    match std::fs::OpenOptions::new().read(true).write(true).open(pipe_path) {
        Ok(file) => Ok(Box::new(file)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Err(ConnectError::NoAgent),
        Err(error) => Err(ConnectError::Refused(format!("Cannot connect to the Latchkey agent at {pipe_path} ({error})."))),
    }
}
