import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { recentRolesDocument, type RecentRolesStore } from '../core/recent-roles';
import type { RecentRoleView } from '../core/role-actions';
import { writeFileAtomically } from '../files/atomic-file-write';
import { readRegularFile } from '../files/read-regular-file';
import type { Environment } from '../aws/environment';

/** Twenty entries take about 3 KiB; anything far larger was not written by Latchkey. */
const MAX_FILE_BYTES = 64 * 1024;

/**
 * Latchkey's state folder, which outlives a reboot (the socket's folder may be a tmpfs):
 * `$XDG_STATE_HOME/latchkey` (default `~/.local/state/latchkey`) on Linux,
 * `~/Library/Application Support/Latchkey` on macOS, `%LOCALAPPDATA%\Latchkey` on Windows.
 */
export function stateDirectory(env: Environment, platform: NodeJS.Platform, homeDir: string): string {
  if (platform === 'darwin') return join(homeDir, 'Library', 'Application Support', 'Latchkey');
  if (platform === 'win32') return join(env.LOCALAPPDATA?.trim() || join(homeDir, 'AppData', 'Local'), 'Latchkey');
  const stateHome = env.XDG_STATE_HOME?.trim();
  // The XDG spec ignores a relative path.
  return join(stateHome !== undefined && stateHome.startsWith('/') ? stateHome : join(homeDir, '.local', 'state'), 'latchkey');
}

/**
 * The recently used roles as a private file: which accounts and roles a person uses is
 * nobody else's business, though no secret (0600 in a 0700 folder, written atomically).
 */
export function recentRolesFile(directory: string): RecentRolesStore {
  const path = join(directory, 'recent-roles.json');
  return {
    async read() {
      const text = await readRegularFile(path, { description: 'the recently used roles', maxBytes: MAX_FILE_BYTES, followSymlinks: false });
      return text === undefined ? undefined : (JSON.parse(text) as unknown);
    },
    async write(entries: RecentRoleView[]) {
      await mkdir(directory, { recursive: true, mode: 0o700 });
      await writeFileAtomically(path, `${JSON.stringify(recentRolesDocument(entries))}\n`, 0o600);
    },
  };
}
