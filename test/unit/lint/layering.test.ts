import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function restrictedImportMessages(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

describe('the layering rule is enforced by lint', () => {
  it.each([
    ['main/core/x.ts', "import { app } from 'electron';"],
    ['main/core/x.ts', "import got from 'got';"],
    ['main/core/x.ts', "import keytar from '@github/keytar';"],
    ['main/core/x.ts', "import { readFile } from 'node:fs/promises';"],
    ['main/core/x.ts', "import { OidcClient } from '../aws/oidc-client';"],
    ['main/aws/x.ts', "import { app } from 'electron';"],
    ['main/aws/x.ts', "import keytar from '@github/keytar';"],
    ['main/store/x.ts', "import got from 'got';"],
    ['main/agent/x.ts', "import { app } from 'electron';"],
    ['main/cli/x.ts', "import { app } from 'electron';"],
    ['main/files/x.ts', "import { AgentClient } from '../cli/agent-client';"],
    ['main/files/x.ts', "import got from 'got';"],
    ['main/core/x.ts', "import { assertTrustedSocket } from '../files/trusted-path';"],
    ['main/core/x.ts', "import { limitConnections } from '../net/connection-limits';"],
    ['main/files/x.ts', "import { limitConnections } from '../net/connection-limits';"],
    ['main/net/x.ts', "import { AgentServer } from '../agent/agent-server';"],
    ['main/net/x.ts', "import { OidcClient } from '../aws/oidc-client';"],
    ['main/net/x.ts', "import got from 'got';"],
    ['preload/x.ts', "import { readFileSync } from 'fs';"],
    ['preload/x.ts', "import { OidcClient } from '../main/aws/oidc-client';"],
    ['renderer/x.ts', "import { ipcRenderer } from 'electron';"],
    ['renderer/x.ts', "import { LATCHKEY_VERSION } from '../preload/preload';"],
    ['main/core/tray-model.ts', "import { Tray } from 'electron';"],
    ['test/unit/core/x.test.ts', "import { app } from 'electron';"],
    ['test/unit/agent/x.test.ts', "import { TrayController } from '../../../main/desktop/tray-controller';"],
  ])('rejects in %s: %s', async (filePath, source) => {
    expect(await restrictedImportMessages(filePath, source)).toHaveLength(1);
  });

  it.each([
    ['main/desktop/x.ts', "import { app } from 'electron';"],
    ['main/aws/x.ts', "import got from 'got';"],
    ['main/store/x.ts', "import keytar from '@github/keytar';"],
    ['main/core/x.ts', "import type { Clock } from './clock';"],
    ['main/files/x.ts', "import { open } from 'node:fs/promises';"],
    ['main/net/x.ts', "import type { Server } from 'node:http';"],
    ['main/net/x.ts', "import { LatchkeyError } from '../core/errors';"],
    ['preload/x.ts', "import { contextBridge } from 'electron';"],
    ['renderer/x.ts', "import type { LatchkeyBridge } from '../main/core/bridge';"],
    ['test/unit/desktop/x.test.ts', "import { app } from 'electron';"],
    ['test/unit/desktop/x.test.ts', "import { TrayController } from '../../../main/desktop/tray-controller';"],
    ['test/e2e/electron/x.test.ts', "import { _electron } from 'playwright';"],
  ])('allows in %s: %s', async (filePath, source) => {
    expect(await restrictedImportMessages(filePath, source)).toEqual([]);
  });
});
