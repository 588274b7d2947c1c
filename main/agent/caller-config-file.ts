import type { IncomingMessage } from 'node:http';
import { isAbsolute, resolve } from 'node:path';
import { CONFIG_FILE_HEADER, configFileMismatch } from '../core/config-file-mismatch';
import { LatchkeyError } from '../core/errors';
import { sameFile } from '../files/same-file';
import { isPrintable } from '../core/printable-text';
import type { AgentServices } from './agent-services';

/** Far above any real path (PATH_MAX is 4096), and a bound on what a caller makes the agent resolve. */
const MAX_PATH_LENGTH = 4096;

/**
 * Refuses (config_error) a request whose caller reads another AWS config file than this
 * agent does (core/config-file-mismatch.ts). A caller that names none (curl, an older
 * CLI) is served as before. The same file through a symlink, or a path written
 * differently, is the same file.
 */
export async function assertSameConfigFile(request: IncomingMessage, services: AgentServices): Promise<void> {
  const raw = request.headers[CONFIG_FILE_HEADER.toLowerCase()];
  if (raw === undefined) return;
  const callerFile = decodedPath(Array.isArray(raw) ? raw.join(',') : raw);
  // The path alone: a stat of the file here would be a second one on every credential request.
  const agentFile = resolve(services.config.filePath);
  if (await sameFile(callerFile, agentFile)) return;
  throw configFileMismatch({ pid: process.pid, app: services.interactive }, agentFile, callerFile);
}

function decodedPath(value: string): string {
  let path: string;
  try {
    path = decodeURIComponent(value);
  } catch {
    path = '';
  }
  if (path.length === 0 || path.length > MAX_PATH_LENGTH || !isAbsolute(path) || !isPrintable(path)) {
    throw new LatchkeyError('invalid_request', `${CONFIG_FILE_HEADER} must be an absolute path, percent-encoded.`);
  }
  return resolve(path);
}
