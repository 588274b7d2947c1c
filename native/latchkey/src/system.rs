//! The few C library calls std does not wrap: the user id, signals, and the terminal's width.

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

#[cfg(unix)]
mod c {
    extern "C" {
        pub fn getuid() -> u32;
        pub fn signal(signum: i32, handler: usize) -> usize;
        pub fn kill(pid: i32, sig: i32) -> i32;
        pub fn ioctl(fd: i32, request: std::ffi::c_ulong, ...) -> i32;
    }
}

pub const SIGHUP: i32 = 1;
pub const SIGINT: i32 = 2;
pub const SIGTERM: i32 = 15;

#[cfg(unix)]
pub fn uid() -> u32 {
    // SAFETY: getuid cannot fail and touches no memory of ours.
    unsafe { c::getuid() }
}

#[cfg(not(unix))]
pub fn uid() -> u32 {
    0
}

static INTERRUPTS: AtomicI32 = AtomicI32::new(0);
static CHILD: AtomicI32 = AtomicI32::new(0);
static FORWARDING: AtomicBool = AtomicBool::new(false);
/// A signal that came while the child was being spawned, before its pid was known.
static PENDING: AtomicI32 = AtomicI32::new(0);

/// How many times Ctrl+C was pressed since `catch_interrupts`.
pub fn interrupts() -> i32 {
    INTERRUPTS.load(Ordering::SeqCst)
}

#[cfg(unix)]
extern "C" fn on_signal(signal: i32) {
    // Only atomics and kill(2) here: both are async-signal-safe.
    if FORWARDING.load(Ordering::SeqCst) {
        // Kept until the child is known: a signal between the spawn and forward_signals_to
        // (the child may already be running and printing) was lost, and exec never ended.
        // Whichever of this and forward_signals_to takes PENDING first delivers it.
        PENDING.store(signal, Ordering::SeqCst);
        let child = CHILD.load(Ordering::SeqCst);
        if child > 0 && PENDING.swap(0, Ordering::SeqCst) != 0 {
            // SAFETY: kill is async-signal-safe and takes plain integers.
            unsafe { c::kill(child, signal) };
        }
        return;
    }
    INTERRUPTS.fetch_add(1, Ordering::SeqCst);
}

/// Ctrl+C no longer ends this process: it is counted, and the relay asks the agent to
/// cancel the command (the first time) or gives up (the second).
#[cfg(unix)]
pub fn catch_interrupts() {
    // SAFETY: installs a handler that only touches atomics.
    unsafe { c::signal(SIGINT, on_signal as *const () as usize) };
}

#[cfg(not(unix))]
pub fn catch_interrupts() {}

/// From here on, the signals a terminal or supervisor sends go to exec's child (once
/// `forward_signals_to` names it), and this process stays to report its exit code, as
/// main/cli/local-child.ts does. Called before the spawn: a signal sent as soon as the
/// child shows life must not find the default action still in place.
#[cfg(unix)]
pub fn keep_signals_for_child() {
    FORWARDING.store(true, Ordering::SeqCst);
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        // SAFETY: installs a handler that only touches atomics and calls kill.
        unsafe { c::signal(signal, on_signal as *const () as usize) };
    }
}

#[cfg(not(unix))]
pub fn keep_signals_for_child() {}

#[cfg(unix)]
pub fn forward_signals_to(pid: u32) {
    CHILD.store(pid as i32, Ordering::SeqCst);
    let pending = PENDING.swap(0, Ordering::SeqCst);
    if pending != 0 {
        // SAFETY: kill takes plain integers.
        unsafe { c::kill(pid as i32, pending) };
    }
}

#[cfg(not(unix))]
pub fn forward_signals_to(pid: u32) {
    CHILD.store(pid as i32, Ordering::SeqCst);
}

#[cfg(target_os = "linux")]
const TIOCGWINSZ: std::ffi::c_ulong = 0x5413;
#[cfg(target_os = "macos")]
const TIOCGWINSZ: std::ffi::c_ulong = 0x4008_7468;

/// The terminal's width in columns, 0 when no output is a terminal (or it is unknown).
#[cfg(any(target_os = "linux", target_os = "macos"))]
pub fn terminal_columns() -> u32 {
    #[repr(C)]
    struct WinSize {
        rows: u16,
        columns: u16,
        x: u16,
        y: u16,
    }
    for fd in [2, 1, 0] {
        let mut size = WinSize { rows: 0, columns: 0, x: 0, y: 0 };
        // SAFETY: TIOCGWINSZ writes one winsize struct into the pointer given.
        if unsafe { c::ioctl(fd, TIOCGWINSZ, &mut size as *mut WinSize) } == 0 && size.columns > 0 {
            return u32::from(size.columns);
        }
    }
    0
}

#[cfg(not(any(target_os = "linux", target_os = "macos")))]
pub fn terminal_columns() -> u32 {
    0
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;
    use std::process::Command;

    extern "C" {
        fn getpid() -> i32;
    }

    #[test]
    fn a_signal_that_comes_before_the_child_is_known_still_reaches_it() {
        keep_signals_for_child();
        // SAFETY: signals this very process, whose handler now only records the signal.
        unsafe { c::kill(getpid(), SIGTERM) };
        let mut child = Command::new("sleep").arg("30").spawn().expect("sleep runs");
        forward_signals_to(child.id());
        let status = child.wait().expect("sleep ends");
        assert_eq!(status.signal(), Some(SIGTERM));
    }
}
