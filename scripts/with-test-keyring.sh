#!/bin/sh
# Runs a command inside a private D-Bus session with a fresh, unlocked gnome-keyring, so
# the keychain tests use a real Secret Service on a machine without a desktop (docs/contract.md
# section 6) and never touch the user's own keyring:
#   scripts/with-test-keyring.sh npx vitest run
# The keyring's files and sockets live in a temporary HOME and XDG directories that exist
# only for this run. The bus, and if D-Bus activation were to start a second daemon, that
# one too, see only those directories; the command itself gets the caller's environment
# back, plus DBUS_SESSION_BUS_ADDRESS and LATCHKEY_TEST_KEYRING=1 (the keychain tests fail
# rather than skip when that is set and the keyring does not work).
set -eu

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

if [ "${LATCHKEY_TEST_KEYRING_STAGE:-}" = inner ]; then
  # Inside dbus-run-session: start and unlock the keyring, then run the command with the
  # caller's environment. The daemon runs in the foreground so that it can be stopped
  # by its pid afterwards: once started in the background it outlives the bus.
  # The password only unlocks this throwaway keyring.
  unset LATCHKEY_TEST_KEYRING_STAGE
  printf '%s' latchkey-test | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
  daemon_pid=$!
  trap 'kill "$daemon_pid" 2>/dev/null' EXIT
  trap 'exit 130' INT TERM
  tries=0
  until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; do
    tries=$((tries + 1))
    if [ "$tries" -ge 50 ]; then
      echo "with-test-keyring: gnome-keyring-daemon did not come up; keychain tests will say why" >&2
      break
    fi
    sleep 0.1
  done
  [ "$tries" -lt 50 ] && export LATCHKEY_TEST_KEYRING=1
  for name in HOME XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_RUNTIME_DIR; do
    eval "was_set=\${LATCHKEY_SAVED_SET_$name:-}"
    eval "saved=\${LATCHKEY_SAVED_$name:-}"
    if [ "$was_set" = 1 ]; then export "$name=$saved"; else unset "$name"; fi
    unset "LATCHKEY_SAVED_SET_$name" "LATCHKEY_SAVED_$name"
  done
  status=0
  "$@" || status=$?
  exit "$status"
fi

for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-test-keyring: $tool not found (apt-get install dbus gnome-keyring libsecret-1-0); running without a test keyring" >&2
    exec "$@"
  fi
done

keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/latchkey-keyring.XXXXXX")
trap 'rm -rf "$keyring_home"' EXIT
trap 'exit 130' INT TERM
mkdir -m 700 "$keyring_home/data" "$keyring_home/config" "$keyring_home/cache" "$keyring_home/run"

for name in HOME XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_RUNTIME_DIR; do
  eval "is_set=\${$name+1}"
  eval "value=\${$name:-}"
  export "LATCHKEY_SAVED_SET_$name=${is_set:-0}" "LATCHKEY_SAVED_$name=$value"
done

status=0
LATCHKEY_TEST_KEYRING_STAGE=inner \
  HOME="$keyring_home" \
  XDG_DATA_HOME="$keyring_home/data" \
  XDG_CONFIG_HOME="$keyring_home/config" \
  XDG_CACHE_HOME="$keyring_home/cache" \
  XDG_RUNTIME_DIR="$keyring_home/run" \
  dbus-run-session -- "$0" "$@" || status=$?
exit "$status"
