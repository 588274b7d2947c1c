import { LatchkeyError } from '../core/errors';
import { isJsonObject } from '../core/json-object';

/**
 * The relay protocol between the native `latchkey` client and the agent
 * (docs/agent-api.md, "The relay"). The client's version is in every request; an agent
 * that speaks another answers 409 with a sentence, never a guess.
 */
export const RELAY_PROTOCOL_VERSION = 1;

/** An environment is a few KiB; a shell's can reach a few hundred, far under this. */
export const RELAY_MAX_BODY_BYTES = 1024 * 1024;

/** What the native client sends: its command line, environment and terminal. */
export interface RelayRequest {
  version: number;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  home: string;
  /** The native executable's own path: lines that run Latchkey again name it. */
  exe: string;
  pid: number;
  terminal: { stdin: boolean; stdout: boolean; stderr: boolean; columns: number };
}

/** Frames from the agent: a type byte, a 4-byte big-endian length, the payload. */
export const FRAME = {
  /** The id that `POST /v1/relay/<id>/interrupt` takes; always the first frame. */
  id: 0x49, // I
  stdout: 0x4f, // O
  stderr: 0x45, // E
  /** exec's child: NUL-terminated file, argument count, arguments, then KEY=VALUE pairs. */
  runChild: 0x52, // R
  /** The exit code, 4 bytes big-endian; always the last frame. */
  exit: 0x58, // X
} as const;

export function frame(type: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header[0] = type;
  header.writeUInt32BE(payload.length, 1);
  return Buffer.concat([header, payload]);
}

export function exitPayload(code: number): Buffer {
  const payload = Buffer.alloc(4);
  payload.writeInt32BE(code, 0);
  return payload;
}

export function runChildPayload(file: string, args: readonly string[], env: Readonly<Record<string, string | undefined>>): Buffer {
  const parts = [file, String(args.length), ...args];
  for (const [key, value] of Object.entries(env)) if (value !== undefined) parts.push(`${key}=${value}`);
  return Buffer.from(parts.map((part) => `${part}\0`).join(''), 'utf8');
}

/** Checks a relay request field by field, so a bad one is named rather than half-used. */
export function readRelayRequest(body: unknown): RelayRequest {
  if (!isJsonObject(body)) throw invalid('The relay request must be a JSON object.');
  const version = body['version'];
  if (typeof version !== 'number' || !Number.isInteger(version)) throw invalid('The relay request has no protocol version.');
  if (version !== RELAY_PROTOCOL_VERSION) {
    throw new LatchkeyError(
      'version_mismatch',
      `This latchkey command speaks relay protocol ${version} and the running agent speaks ${RELAY_PROTOCOL_VERSION}; quit the agent (or the Latchkey app) so that the installed one starts, and run the command again.`,
    );
  }
  const args = body['args'];
  if (!Array.isArray(args) || !args.every((arg): arg is string => typeof arg === 'string')) throw invalid('The relay request\'s args must be strings.');
  const env = body['env'];
  if (!isJsonObject(env) || !Object.values(env).every((value) => typeof value === 'string')) throw invalid('The relay request\'s env must map names to strings.');
  const terminal = body['terminal'];
  if (!isJsonObject(terminal)) throw invalid('The relay request has no terminal.');
  const flags = ['stdin', 'stdout', 'stderr'] as const;
  if (!flags.every((name) => typeof terminal[name] === 'boolean')) throw invalid('The relay request\'s terminal flags must be true or false.');
  const columns = terminal['columns'];
  if (typeof columns !== 'number' || !Number.isInteger(columns) || columns < 0) throw invalid('The relay request\'s terminal width must be a whole number.');
  const pid = body['pid'];
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) throw invalid('The relay request\'s pid must be a positive whole number.');
  return {
    version,
    args,
    env: env as Record<string, string>,
    cwd: absolutePath(body['cwd'], 'cwd'),
    home: absolutePath(body['home'], 'home'),
    exe: absolutePath(body['exe'], 'exe'),
    pid,
    terminal: { stdin: terminal['stdin'] === true, stdout: terminal['stdout'] === true, stderr: terminal['stderr'] === true, columns },
  };
}

/** An exit status as a shell reports it: 0 to 255. */
export function readExitCode(text: string | null): number {
  const code = Number(text);
  if (text === null || !/^\d{1,3}$/.test(text) || code > 255) throw invalid('The exit code must be a whole number from 0 to 255.');
  return code;
}

function absolutePath(value: unknown, name: string): string {
  // A Windows path (C:\...) or a POSIX one; a relative one would be read against the agent's directory.
  if (typeof value !== 'string' || !(value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith('\\\\'))) {
    throw invalid(`The relay request's ${name} must be an absolute path.`);
  }
  if (value.includes('\0')) throw invalid(`The relay request's ${name} holds a NUL character.`);
  return value;
}

function invalid(message: string): LatchkeyError {
  return new LatchkeyError('invalid_request', message);
}
