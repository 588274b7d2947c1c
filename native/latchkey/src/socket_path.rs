//! Where the agent listens: the same rule as main/agent/socket-path.ts (docs/agent-api.md,
//! "The socket"), so the native client and the agent never disagree.

use std::env;
use std::path::PathBuf;

/// What the rule reads, passed in so tests need no process environment.
pub struct SocketPlace {
    pub socket_override: Option<String>,
    pub runtime_dir: Option<String>,
    pub state_home: Option<String>,
    pub home: Option<String>,
    pub tmp_dir: String,
    pub uid: u32,
    pub user_name: String,
}

impl SocketPlace {
    pub fn from_process() -> SocketPlace {
        let var = |name: &str| env::var(name).ok();
        let tmp_dir = var("TMPDIR").or_else(|| var("TMP")).or_else(|| var("TEMP")).unwrap_or_else(|| "/tmp".into());
        SocketPlace {
            socket_override: var("LATCHKEY_SOCKET"),
            runtime_dir: var("XDG_RUNTIME_DIR"),
            state_home: var("XDG_STATE_HOME"),
            home: home_dir(),
            tmp_dir: trim_trailing_slash(tmp_dir),
            uid: crate::system::uid(),
            user_name: var("USERNAME").or_else(|| var("USER")).unwrap_or_default(),
        }
    }
}

/// Node's `os.homedir()`: HOME, else the password database (which std's home_dir reads).
#[allow(deprecated)]
pub fn home_dir() -> Option<String> {
    match env::var("HOME") {
        Ok(home) if !home.is_empty() => Some(home),
        _ => env::home_dir().map(|path| path.to_string_lossy().into_owned()),
    }
}

fn trim_trailing_slash(path: String) -> String {
    if path.len() > 1 && path.ends_with('/') {
        path[..path.len() - 1].to_string()
    } else {
        path
    }
}

pub fn default_socket_path(place: &SocketPlace) -> PathBuf {
    if let Some(path) = place.socket_override.as_ref().filter(|path| !path.trim().is_empty()) {
        return PathBuf::from(path);
    }
    if cfg!(windows) {
        return PathBuf::from(format!(r"\\.\pipe\latchkey-{}", pipe_safe(&place.user_name)));
    }
    let home = place.home.clone().unwrap_or_default();
    if cfg!(target_os = "macos") {
        return PathBuf::from(home).join("Library/Application Support/Latchkey/agent.sock");
    }
    if let Some(dir) = place.runtime_dir.as_ref().filter(|dir| dir.starts_with('/')) {
        return PathBuf::from(dir).join("latchkey/agent.sock");
    }
    if let Some(dir) = place.state_home.as_ref().filter(|dir| dir.starts_with('/')) {
        return PathBuf::from(dir).join("latchkey/agent.sock");
    }
    if home.starts_with('/') && home != "/" {
        return PathBuf::from(home).join(".local/state/latchkey/agent.sock");
    }
    PathBuf::from(&place.tmp_dir).join(format!("latchkey-{}", place.uid)).join("agent.sock")
}

/// Pipe names may not contain backslashes; a domain user name ("CORP\ana") would otherwise nest.
fn pipe_safe(user_name: &str) -> String {
    let safe: String = user_name.chars().map(|c| if c.is_ascii_alphanumeric() || "._-".contains(c) { c } else { '_' }).collect();
    if safe.is_empty() {
        "user".into()
    } else {
        safe
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place() -> SocketPlace {
        SocketPlace {
            socket_override: None,
            runtime_dir: Some("/run/user/1000".into()),
            state_home: Some("/home/ana/.state".into()),
            home: Some("/home/ana".into()),
            tmp_dir: "/tmp".into(),
            uid: 1000,
            user_name: "ana".into(),
        }
    }

    #[test]
    fn latchkey_socket_wins_unless_blank() {
        let mut p = place();
        p.socket_override = Some("/x/agent.sock".into());
        assert_eq!(default_socket_path(&p), PathBuf::from("/x/agent.sock"));
        p.socket_override = Some("  ".into());
        assert_eq!(default_socket_path(&p), PathBuf::from("/run/user/1000/latchkey/agent.sock"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn falls_back_from_runtime_dir_to_state_home_to_home_to_tmp() {
        let mut p = place();
        p.runtime_dir = Some("relative".into());
        assert_eq!(default_socket_path(&p), PathBuf::from("/home/ana/.state/latchkey/agent.sock"));
        p.state_home = None;
        assert_eq!(default_socket_path(&p), PathBuf::from("/home/ana/.local/state/latchkey/agent.sock"));
        p.home = Some("/".into());
        assert_eq!(default_socket_path(&p), PathBuf::from("/tmp/latchkey-1000/agent.sock"));
    }

    #[test]
    fn pipe_names_replace_what_a_pipe_name_cannot_hold() {
        assert_eq!(pipe_safe("CORP\\ana"), "CORP_ana");
        assert_eq!(pipe_safe(""), "user");
    }
}
