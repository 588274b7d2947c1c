// Lint enforces the layering rule of SPEC.md section 1: a wrong import fails `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'http', 'https', 'net', 'child_process', 'crypto', 'url', 'stream', 'events', 'util', 'tls', 'dns'];
const electron = { group: ['electron', 'electron/*'], message: 'Only main/desktop may import electron.' };
const got = { group: ['got', 'got/*'], message: 'HTTP belongs in main/aws.' };
const keytar = { group: ['keytar', '@github/keytar'], message: 'The keychain belongs in main/store.' };
const desktop = { group: ['**/desktop/**'], message: 'Only the desktop entry wires main/desktop.' };
// One block per folder: in a flat config a later block for the same rule replaces, not merges.
const core = (files, patterns) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  core(['main/core/**'], [
    electron,
    got,
    keytar,
    { group: nodeBuiltins, message: 'main/core is pure logic: no Node built-ins; take them through an interface.' },
    { group: ['**/aws/**', '**/store/**', '**/agent/**', '**/cli/**', '**/desktop/**', '**/files/**'], message: 'main/core depends on no adapter (main/net is kept out by the Node built-ins rule: its name is net).' },
  ]),
  core(['main/files/**'], [
    electron,
    got,
    keytar,
    { group: ['**/aws/**', '**/store/**', '**/agent/**', '**/cli/**', '**/desktop/**', '**/net/**'], message: 'main/files is the node layer\'s file safety: it depends on core only.' },
  ]),
  core(['main/net/**'], [
    electron,
    got,
    keytar,
    { group: ['**/aws/**', '**/store/**', '**/agent/**', '**/cli/**', '**/desktop/**', '**/files/**'], message: 'main/net is the node layer\'s connection safety: it depends on core and Node only.' },
  ]),
  core(['main/aws/**'], [electron, keytar, desktop]),
  core(['main/store/**'], [electron, got, desktop]),
  core(['main/agent/**'], [electron, desktop]),
  core(['main/cli/**'], [electron, desktop]),
  core(['test/**', 'scripts/**'], [electron, desktop]),
  // The adapter's unit tests import main/desktop with `vi.mock('electron')`, and the
  // _electron e2e test launches the app; every other test stays off both.
  core(['test/unit/desktop/**', 'test/e2e/electron/**'], [got, keytar]),
  core(['preload/**'], [
    got,
    keytar,
    { group: nodeBuiltins, message: 'The preload runs sandboxed: contextBridge and ipcRenderer only.' },
    { group: ['**/main/aws/**', '**/main/store/**', '**/main/agent/**', '**/main/cli/**', '**/main/desktop/**'], message: 'The preload takes only types from main/core.' },
  ]),
  core(['renderer/**'], [
    electron,
    got,
    keytar,
    { group: nodeBuiltins, message: 'The renderer is a web page: nothing from Node.' },
    { group: ['**/main/aws/**', '**/main/store/**', '**/main/agent/**', '**/main/cli/**', '**/main/desktop/**', '**/preload/**'], message: 'The renderer talks to the app only through window.latchkey.' },
  ]),
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' },
    },
  },
);
