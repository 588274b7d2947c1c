/**
 * The variables the installed app's `latchkey` launcher (build/bin/latchkey) sets for the
 * one process it starts: ELECTRON_RUN_AS_NODE makes the app binary run as Node, and
 * LATCHKEY_LAUNCHER names the launcher for the lines that run Latchkey again. Any child
 * that inherited them would be wrong: an Electron app (the browser Latchkey opens on
 * some desktops, an editor `latchkey exec` runs) would start as Node instead, and tools
 * would see a path meant for Latchkey alone. So each entry point takes them out of its
 * own environment before anything is spawned, and gives them back only to the one child
 * that needs them, the headless agent run by the same binary.
 */
export interface LauncherEnvironment {
  /** The launcher's path, when this process was started by it. */
  readonly launcher: string | undefined;
  readonly runAsNode: boolean;
}

/** Reads the launcher's variables and deletes them from `env` (the process's own, usually). */
export function takeLauncherEnvironment(env: Record<string, string | undefined>): LauncherEnvironment {
  const launcher = env.LATCHKEY_LAUNCHER;
  const runAsNode = env.ELECTRON_RUN_AS_NODE !== undefined && env.ELECTRON_RUN_AS_NODE !== '';
  delete env.LATCHKEY_LAUNCHER;
  delete env.ELECTRON_RUN_AS_NODE;
  return { launcher: launcher === '' ? undefined : launcher, runAsNode };
}

/** The variables to give back to a process that runs Latchkey again with the same binary. */
export function launcherVariables(taken: LauncherEnvironment): Record<string, string> {
  return {
    ...(taken.runAsNode ? { ELECTRON_RUN_AS_NODE: '1' } : {}),
    ...(taken.launcher !== undefined ? { LATCHKEY_LAUNCHER: taken.launcher } : {}),
  };
}
