//! The client's check before a byte is sent (main/files/trusted-path.ts, the same rule and
//! the same sentences): the socket and the path to it must be this user's alone, so that
//! another user who made the directory first can never receive the request or answer it.

use std::fs::{self, Metadata};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::Path;

/// ELOOP's bound on symlinks followed in one path resolution on Linux.
const MAX_SYMLINKS: i32 = 40;

const SOCKET_ALTERNATIVE: &str = "set LATCHKEY_SOCKET to a path in a private directory of your own";

#[derive(Debug, PartialEq)]
pub enum SocketState {
    Present,
    /// Some component does not exist: no agent, and no connect (someone could create it meanwhile).
    Absent,
}

struct Problem {
    why: String,
    fix: Option<String>,
}

fn problem(why: String) -> Problem {
    Problem { why, fix: None }
}

enum Walked {
    Found { path: String, info: Metadata },
    Missing,
}

/// `Ok(Present|Absent)` or the sentence saying why the socket is not safe to use.
pub fn check_socket(socket_path: &str, uid: u32) -> Result<SocketState, String> {
    let refuse = |p: Problem| {
        let fix = p.fix.map(|fix| format!("{fix}, or ")).unwrap_or_default();
        format!("The agent socket {socket_path} is not safe to use: {}; {fix}{SOCKET_ALTERNATIVE}.", p.why)
    };
    let directory = parent(socket_path);
    let (path, info) = match walk(&directory, uid, &mut MAX_SYMLINKS.clone()).map_err(refuse)? {
        Walked::Missing => return Ok(SocketState::Absent),
        Walked::Found { path, info } => (path, info),
    };
    check_private_directory(&path, &info, uid).map_err(refuse)?;
    let socket = match fs::symlink_metadata(socket_path) {
        Ok(socket) => socket,
        Err(_) => return Ok(SocketState::Absent),
    };
    let refuse_why = |why: String| refuse(problem(why));
    if socket.file_type().is_symlink() {
        return Err(refuse_why(format!("{socket_path} is a symlink")));
    }
    if !socket.file_type().is_socket() {
        return Err(refuse_why(format!("{socket_path} is not a socket")));
    }
    if socket.uid() != uid {
        return Err(refuse_why(format!("{socket_path} belongs to another user (uid {})", socket.uid())));
    }
    if socket.mode() & 0o077 != 0 {
        return Err(refuse_why(format!("other users may connect to {socket_path} (mode {})", octal(socket.mode()))));
    }
    Ok(SocketState::Present)
}

fn parent(path: &str) -> String {
    match Path::new(path).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_string_lossy().into_owned(),
        _ => ".".into(),
    }
}

/// Resolves `path` component by component from `/`, as the kernel would, checking each
/// directory and symlink on the way; `..` is taken as the kernel takes it, after links.
fn walk(path: &str, uid: u32, symlinks: &mut i32) -> Result<Walked, Problem> {
    let absolute = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{}/{path}", std::env::current_dir().map(|d| d.to_string_lossy().into_owned()).unwrap_or_default())
    };
    let names: Vec<&str> = absolute.split('/').filter(|part| !part.is_empty() && *part != ".").collect();
    let mut current = "/".to_string();
    let mut info = lstat(&current).ok_or_else(|| problem("/ cannot be read".into()))?;
    check_component(&current, &info, uid)?;
    for (index, name) in names.iter().enumerate() {
        let last = index == names.len() - 1;
        if *name == ".." {
            current = parent(&current);
            info = lstat(&current).ok_or_else(|| problem(format!("{current} cannot be read")))?;
            if !last {
                check_component(&current, &info, uid)?;
            }
            continue;
        }
        let next = if current == "/" { format!("/{name}") } else { format!("{current}/{name}") };
        let Some(next_info) = lstat(&next) else { return Ok(Walked::Missing) };
        if next_info.file_type().is_symlink() {
            check_component(&next, &next_info, uid)?;
            *symlinks -= 1;
            if *symlinks < 0 {
                return Err(problem(format!("{path} has too many levels of symlinks")));
            }
            let target = fs::read_link(&next).map_err(|_| problem(format!("{next} cannot be read")))?.to_string_lossy().into_owned();
            let resolved = if target.starts_with('/') { target } else { format!("{current}/{target}") };
            match walk(&resolved, uid, symlinks)? {
                Walked::Missing => return Ok(Walked::Missing),
                Walked::Found { path, info: found } => {
                    current = path;
                    info = found;
                }
            }
        } else {
            current = next;
            info = next_info;
        }
        if last {
            break;
        }
        if !info.is_dir() {
            return Err(problem(format!("{current} is not a directory")));
        }
        check_component(&current, &info, uid)?;
    }
    Ok(Walked::Found { path: current, info })
}

fn lstat(path: &str) -> Option<Metadata> {
    fs::symlink_metadata(path).ok()
}

/// One directory or symlink on a trusted path: this user's or root's, and unchangeable by others.
fn check_component(path: &str, info: &Metadata, uid: u32) -> Result<(), Problem> {
    if info.uid() != uid && info.uid() != 0 {
        return Err(problem(format!("{path} belongs to another user (uid {})", info.uid())));
    }
    let writable_by_others = info.mode() & 0o022 != 0;
    let sticky = info.mode() & 0o1000 != 0;
    if info.is_dir() && writable_by_others && !sticky {
        let fix = if info.uid() == uid { Some(format!("run \"chmod go-w {path}\"")) } else { None };
        return Err(Problem { why: format!("other users can change {path} (mode {})", octal(info.mode())), fix });
    }
    Ok(())
}

/// A socket's own directory: this user's alone, since whoever can enter it can reach the socket.
fn check_private_directory(path: &str, info: &Metadata, uid: u32) -> Result<(), Problem> {
    if !info.is_dir() {
        return Err(problem(format!("{path} is not a directory")));
    }
    if info.uid() != uid {
        return Err(problem(format!("{path} belongs to another user (uid {})", info.uid())));
    }
    if info.mode() & 0o077 != 0 {
        return Err(Problem {
            why: format!("other users can enter {path} (mode {})", octal(info.mode())),
            fix: Some(format!("run \"chmod 700 {path}\"")),
        });
    }
    Ok(())
}

fn octal(mode: u32) -> String {
    format!("{:04o}", mode & 0o7777)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{symlink, PermissionsExt};
    use std::os::unix::net::UnixListener;

    fn scratch(name: &str) -> String {
        let dir = std::env::temp_dir().join(format!("latchkey-trust-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).unwrap();
        dir.to_string_lossy().into_owned()
    }

    fn me() -> u32 {
        crate::system::uid()
    }

    #[test]
    fn a_private_socket_of_this_user_is_present() {
        let dir = scratch("ok");
        let socket = format!("{dir}/agent.sock");
        let _listener = UnixListener::bind(&socket).unwrap();
        fs::set_permissions(&socket, fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(check_socket(&socket, me()), Ok(SocketState::Present));
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_missing_socket_or_directory_is_absent() {
        let dir = scratch("absent");
        assert_eq!(check_socket(&format!("{dir}/agent.sock"), me()), Ok(SocketState::Absent));
        assert_eq!(check_socket(&format!("{dir}/nowhere/agent.sock"), me()), Ok(SocketState::Absent));
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_directory_others_can_enter_is_refused_with_the_fix() {
        let dir = scratch("open");
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        let message = check_socket(&format!("{dir}/agent.sock"), me()).unwrap_err();
        assert_eq!(
            message,
            format!("The agent socket {dir}/agent.sock is not safe to use: other users can enter {dir} (mode 0755); run \"chmod 700 {dir}\", or {SOCKET_ALTERNATIVE}.")
        );
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_symlink_or_a_plain_file_in_place_of_the_socket_is_refused() {
        let dir = scratch("link");
        fs::write(format!("{dir}/file"), "").unwrap();
        symlink(format!("{dir}/file"), format!("{dir}/agent.sock")).unwrap();
        assert!(check_socket(&format!("{dir}/agent.sock"), me()).unwrap_err().contains("agent.sock is a symlink"));
        assert!(check_socket(&format!("{dir}/file"), me()).unwrap_err().contains("file is not a socket"));
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_socket_of_another_user_is_refused() {
        let dir = scratch("other");
        let socket = format!("{dir}/agent.sock");
        let _listener = UnixListener::bind(&socket).unwrap();
        fs::set_permissions(&socket, fs::Permissions::from_mode(0o600)).unwrap();
        // Judged as someone else: the directory check names its owner first.
        let message = check_socket(&socket, me() + 4242).unwrap_err();
        assert!(message.contains("belongs to another user"), "{message}");
        fs::remove_dir_all(dir).unwrap();
    }
}
