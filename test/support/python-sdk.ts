import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Python side of the AWS clients: botocore and boto3 (what the AWS CLI v1 is built on)
 * and the AWS CLI v2, from Debian's packages (python3-botocore, python3-boto3, awscli),
 * run with Debian's own Python so that a pyenv or virtualenv first on PATH does not hide
 * them. With LATCHKEY_REQUIRE_PYTHON_SDK=1 (set by .ci/run) these tests fail rather than skip.
 */
export const SYSTEM_PYTHON = '/usr/bin/python3';
export const AWS_CLI_V2 = '/usr/bin/aws';

/**
 * A directory for PYTHONPATH whose sitecustomize.py sends botocore's sso-oidc and sso
 * clients to LATCHKEY_TEST_SSO_ENDPOINT: Debian's botocore (1.29) predates
 * AWS_ENDPOINT_URL_<SERVICE>, and the emulator stands in for AWS (docs/testing.md).
 */
export const BOTOCORE_ENDPOINT_SHIM = join(__dirname, 'python');

/** Why the Python clients cannot run here, or undefined when they can. */
export function pythonSdkSkipReason(): string | undefined {
  if (process.env.LATCHKEY_REQUIRE_PYTHON_SDK === '1') return undefined;
  if (!existsSync(SYSTEM_PYTHON)) return `${SYSTEM_PYTHON} is not installed`;
  try {
    execFileSync(SYSTEM_PYTHON, ['-c', 'import botocore, boto3'], { stdio: 'ignore' });
  } catch {
    return 'botocore and boto3 are not installed (apt-get install python3-botocore python3-boto3)';
  }
  if (!existsSync(AWS_CLI_V2)) return 'the AWS CLI is not installed (apt-get install awscli)';
  return undefined;
}

/**
 * A newer botocore than Debian's where one is installed: the first `python3` on PATH that
 * is not Debian's and imports botocore 1.31 or later (which reads AWS_ENDPOINT_URL_<SERVICE>
 * itself, no shim). Optional: tests with it skip, saying so, where there is none.
 */
export function newerBotocorePython(): { python: string; version: string } | undefined {
  try {
    const found = execFileSync('sh', ['-c', 'command -v python3'], { encoding: 'utf8' }).trim();
    const python = execFileSync(found, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    if (python === '' || python === SYSTEM_PYTHON || python.startsWith('/usr/bin/')) return undefined;
    const version = execFileSync(python, ['-c', 'import botocore; print(botocore.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const [major = 0, minor = 0] = version.split('.').map(Number);
    return major > 1 || (major === 1 && minor >= 31) ? { python, version } : undefined;
  } catch {
    return undefined;
  }
}

export interface PythonRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a Python program (source text) with Debian's Python, with exactly `env` plus PATH and the endpoint shim. */
export function runPython(source: string, env: Record<string, string>, timeoutMs = 20_000, python = SYSTEM_PYTHON): Promise<PythonRun> {
  return runWithShim(python, ['-c', source], env, timeoutMs);
}

/** Runs the AWS CLI v2 with exactly `env` plus PATH and the endpoint shim. */
export function runAwsCli(args: readonly string[], env: Record<string, string>, timeoutMs = 20_000): Promise<PythonRun> {
  return runWithShim(AWS_CLI_V2, args, env, timeoutMs);
}

function runWithShim(command: string, args: readonly string[], env: Record<string, string>, timeoutMs: number): Promise<PythonRun> {
  return new Promise((resolve) => {
    execFile(
      command,
      [...args],
      {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PYTHONPATH: BOTOCORE_ENDPOINT_SHIM, ...env },
        timeout: timeoutMs,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
