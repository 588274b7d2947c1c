//! `latchkey`, the native client (docs/architecture.md, "The native client"): it runs no
//! command itself. Each command line goes to the agent over its socket, where the same
//! TypeScript as in the Node CLI runs it, and the output comes back; `exec`'s child is
//! run here. With no agent answering, a headless install hands the command to the Node
//! CLI (which starts the agent, as it always has), and the desktop app is started in the
//! background.

mod child;
mod connection;
mod fast_path;
mod frames;
mod handover;
mod json;
mod relay;
mod socket_path;
mod system;
#[cfg(unix)]
mod trust;

use relay::Failure;

fn main() {
    let code = run();
    std::process::exit(code);
}

fn run() -> i32 {
    let args: Vec<String> = std::env::args_os().skip(1).map(|arg| arg.to_string_lossy().into_owned()).collect();
    let socket = socket_path::default_socket_path(&socket_path::SocketPlace::from_process()).to_string_lossy().into_owned();
    // The agent in the foreground is the Node CLI's (or the app's) own process.
    if args.first().map(String::as_str) == Some("agent") {
        return handover::to_node_cli(&args).unwrap_or_else(say);
    }
    let relayed = match fast_path::try_answer(&socket, &args) {
        fast_path::Outcome::Printed => return 0,
        fast_path::Outcome::NoAgent => Err(Failure::NoAgent),
        fast_path::Outcome::Relay => relay::run(&socket, &args),
    };
    match relayed {
        Ok(code) => code,
        Err(Failure::Said(sentence, code)) => say((sentence, code)),
        // `doctor` reports the machine as it is, so no agent or app is started for it.
        Err(Failure::NoAgent) if args.first().map(String::as_str) == Some("doctor") => handover::doctor_without_agent(&socket, &args).unwrap_or_else(say),
        Err(Failure::NoAgent) => match handover::start_agent(&socket, &args) {
            Ok(handover::Started::Relay) => relay_again(&socket, &args),
            Ok(handover::Started::Exited(code)) => code,
            Err(said) => say(said),
        },
        Err(Failure::NoRelay) => handover::to_node_cli(&args).unwrap_or_else(|_| {
            say((
                "The running Latchkey agent is older than this latchkey command and cannot run it; quit the agent (or the Latchkey app) and run the command again.".into(),
                relay::EXIT_FAILURE,
            ))
        }),
    }
}

fn relay_again(socket: &str, args: &[String]) -> i32 {
    match relay::run(socket, args) {
        Ok(code) => code,
        Err(Failure::Said(sentence, code)) => say((sentence, code)),
        Err(_) => say((format!("The Latchkey agent started but does not answer on {socket}."), relay::EXIT_FAILURE)),
    }
}

fn say((sentence, code): (String, i32)) -> i32 {
    eprintln!("latchkey: {sentence}");
    code
}
