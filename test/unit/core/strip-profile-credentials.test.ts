import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripProfileCredentials, type SharedFileKind } from '../../../main/core/strip-profile-credentials';
import { pythonSdkSkipReason, runPython } from '../../support/python-sdk';

const lines = (...text: string[]): string => text.map((line) => `${line}\n`).join('');

describe('stripProfileCredentials in the config file', () => {
  it('keeps every setting of the profile but its credentials, and every other section byte for byte', () => {
    const other = lines('[profile prod]', 'aws_access_key_id = AKIAPROD', 'aws_secret_access_key = s', 'region = us-west-2', '');
    const text =
      lines(
        '# top comment',
        '[profile dev]',
        'region = eu-west-1',
        'credential_process = latchkey credential-process --profile dev',
        'latchkey_session = corp',
        'latchkey_account_id = 111111111111',
        'latchkey_role_name = Developer',
        'output = json',
        'max_attempts = 7',
        'retry_mode = adaptive',
        'endpoint_url = https://example.test',
        's3 =',
        '  addressing_style = path',
        'ca_bundle = /etc/ssl/corp.pem',
        '',
      ) + other;
    const result = stripProfileCredentials(text, 'config', 'dev');
    expect(result).toEqual({
      changed: true,
      hasProfile: true,
      text:
        lines(
          '# top comment',
          '[profile dev]',
          'region = eu-west-1',
          'output = json',
          'max_attempts = 7',
          'retry_mode = adaptive',
          'endpoint_url = https://example.test',
          's3 =',
          '  addressing_style = path',
          'ca_bundle = /etc/ssl/corp.pem',
          '',
        ) + other,
    });
  });

  it.each([
    ['static keys', ['aws_access_key_id = AKIA', 'aws_secret_access_key = s', 'aws_session_token = t', 'aws_security_token = t', 'aws_account_id = 1']],
    ['a process', ['credential_process = /bin/creds --role other']],
    ['a role to assume', ['role_arn = arn:aws:iam::2:role/R', 'source_profile = base', 'role_session_name = me', 'external_id = x', 'mfa_serial = m', 'duration_seconds = 900']],
    ['a credential source', ['role_arn = arn:aws:iam::2:role/R', 'credential_source = Ec2InstanceMetadata']],
    ['web identity', ['role_arn = arn:aws:iam::2:role/R', 'web_identity_token_file = /var/token']],
    ['SSO', ['sso_session = corp', 'sso_account_id = 222222222222', 'sso_role_name = ReadOnly', 'sso_start_url = https://x', 'sso_region = us-east-1']],
    ['a console sign-in', ['login_session = arn:aws:sts::2:assumed-role/R/me']],
  ])('removes %s from [default] and keeps its region', (_what, credentialLines) => {
    const result = stripProfileCredentials(lines('[default]', ...credentialLines, 'region = eu-west-1'), 'config', 'default');
    expect(result).toEqual({ text: lines('[default]', 'region = eu-west-1'), changed: true, hasProfile: true });
  });

  it.each([
    ['[profile default] as the JS SDK prefers it', '[profile default]'],
    ['a quoted name', '[profile "dev"]'],
    ['two spaces (botocore splits with shlex)', '[profile  dev]'],
    ['a header with a trailing comment', '[profile dev] # mine'],
    ['a space before the closing bracket (botocore only)', '[profile dev ]'],
  ])('recognises the profile under %s', (_what, header) => {
    const profile = header.includes('default') ? 'default' : 'dev';
    const result = stripProfileCredentials(lines(header, 'aws_access_key_id = AKIA', 'region = eu-west-1'), 'config', profile);
    expect(result.text).toBe(lines(header, 'region = eu-west-1'));
  });

  it.each([
    ['mixed-case keys, which botocore lower-cases', 'AWS_Access_Key_ID = AKIA'],
    ['a colon, which botocore takes as = too', 'aws_access_key_id: AKIA'],
    ['spaces and tabs around the key', '\taws_access_key_id\t=  AKIA'],
    ['an indented key the JS SDK reads as top-level', '   credential_process = /bin/creds'],
  ])('removes a credential written with %s', (_what, line) => {
    const result = stripProfileCredentials(lines('[default]', line, 'region = eu-west-1'), 'config', 'default');
    expect(result.text).toBe(lines('[default]', 'region = eu-west-1'));
  });

  it('removes the continuation lines of a removed key, blank and comment lines between them kept', () => {
    const text = lines('[default]', 'credential_process =', '  /bin/creds', '', '# note', '    --role other', 'region = eu-west-1');
    expect(stripProfileCredentials(text, 'config', 'default').text).toBe(lines('[default]', '', '# note', 'region = eu-west-1'));
  });

  it('removes credential keys inside a sub-section too, which the JS SDK v2 (no nested blocks) reads as the profile\'s own, and keeps the other nested settings', () => {
    const text = lines('[default]', 's3 =', '  addressing_style = path', '  role_arn = arn:aws:iam::222222222222:role/Other', '  aws_access_key_id = AKIANESTED', 'region = eu-west-1');
    expect(stripProfileCredentials(text, 'config', 'default').text).toBe(lines('[default]', 's3 =', '  addressing_style = path', 'region = eu-west-1'));
  });

  it('removes credentials from [DEFAULT], whose keys botocore lends to every section', () => {
    const text = lines('[DEFAULT]', 'aws_access_key_id = AKIA', 'region = eu-west-1', '[profile dev]', 'output = json');
    expect(stripProfileCredentials(text, 'config', 'dev').text).toBe(lines('[DEFAULT]', 'region = eu-west-1', '[profile dev]', 'output = json'));
  });

  it('leaves other profiles, sso-sessions, services and a [dev] section of the config alone', () => {
    const text = lines(
      '[profile development]',
      'aws_access_key_id = AKIA',
      '[sso-session dev]',
      'sso_start_url = https://x',
      '[services dev]',
      's3 =',
      '  endpoint_url = https://s3.test',
      '[dev]',
      'aws_access_key_id = AKIA',
      '[profile dev]',
      'region = eu-west-1',
    );
    expect(stripProfileCredentials(text, 'config', 'dev')).toEqual({ text, changed: false, hasProfile: true });
  });

  it('keeps CRLF endings, a missing final newline and a byte-order mark', () => {
    const text = '\uFEFF[default]\r\naws_access_key_id = AKIA\r\nregion = eu-west-1';
    expect(stripProfileCredentials(text, 'config', 'default').text).toBe('\uFEFF[default]\r\nregion = eu-west-1');
  });

  it('says when the profile is absent, so AWS_PROFILE must not name it', () => {
    expect(stripProfileCredentials(lines('[default]', 'region = eu-west-1'), 'config', 'dev')).toMatchObject({ changed: false, hasProfile: false });
    expect(stripProfileCredentials('', 'config', 'default')).toEqual({ text: '', changed: false, hasProfile: false });
  });
});

describe('stripProfileCredentials in the credentials file', () => {
  it('strips [NAME], not [profile NAME], and keeps the other profiles\' keys', () => {
    const text = lines('[default]', 'aws_access_key_id = AKIADEFAULT', 'aws_secret_access_key = s', '[dev]', 'aws_access_key_id = AKIADEV', '[profile dev]', 'aws_access_key_id = AKIAP');
    expect(stripProfileCredentials(text, 'credentials', 'dev')).toEqual({
      text: lines('[default]', 'aws_access_key_id = AKIADEFAULT', 'aws_secret_access_key = s', '[dev]', '[profile dev]', 'aws_access_key_id = AKIAP'),
      changed: true,
      hasProfile: true,
    });
  });

  it('finds [default] there too', () => {
    const result = stripProfileCredentials(lines('[default]', 'aws_access_key_id = AKIA', 'aws_secret_access_key = s', 'region = us-east-2'), 'credentials', 'default');
    expect(result).toEqual({ text: lines('[default]', 'region = us-east-2'), changed: true, hasProfile: true });
  });
});

describe('stripProfileCredentials reads lines as botocore and the JS SDK do', () => {
  it.each([
    ['U+001C before the key (Python strips it, JavaScript keeps it)', '\u001ccredential_process = /bin/creds'],
    ['U+001F before the delimiter', 'credential_process\u001f= /bin/creds'],
    ['U+0085 before the delimiter', 'aws_access_key_id\u0085= AKIA'],
    ['U+FEFF before the key (JavaScript strips it, Python keeps it)', '\uFEFFcredential_process = /bin/creds'],
    ['U+FEFF before the delimiter', 'credential_process\uFEFF= /bin/creds'],
  ])('removes a credential with %s', (_what, line) => {
    const result = stripProfileCredentials(lines('[profile dev]', line, 'region = eu-west-1'), 'config', 'dev');
    expect(result).toEqual({ text: lines('[profile dev]', 'region = eu-west-1'), changed: true, hasProfile: true });
  });

  it('removes the credentials under [profile.dev], which the JS SDK reads as dev', () => {
    const text = lines('[profile dev]', 'region = eu-west-1', '[profile.dev]', 'aws_access_key_id = AKIA', 'aws_secret_access_key = s', 'output = json');
    expect(stripProfileCredentials(text, 'config', 'dev').text).toBe(lines('[profile dev]', 'region = eu-west-1', '[profile.dev]', 'output = json'));
  });

  it('removes a key the JS SDK reads as dev\'s after a section header that ends a line for botocore only (a lone CR)', () => {
    const text = lines('[profile dev]', 'x = 1\r[profile other]', 'aws_access_key_id = AKIA', 'region = eu-west-1');
    expect(stripProfileCredentials(text, 'config', 'dev').text).toBe(lines('[profile dev]', 'x = 1\r[profile other]', 'region = eu-west-1'));
  });

  it('removes from a line with lone CRs only the part botocore reads as a credential, and keeps a header hidden there', () => {
    const text = lines('[profile dev]', 'region = eu-west-1\raws_access_key_id = AKIA', 'aws_secret_access_key = s\r[profile other]\rregion = us-east-1');
    expect(stripProfileCredentials(text, 'config', 'dev').text).toBe(lines('[profile dev]', 'region = eu-west-1', '[profile other]\rregion = us-east-1'));
  });

  it('reads the copy again when a line only the JS SDK reads as a credential held the value botocore continued', () => {
    // To botocore the colon lines are the value of the key "\uFEFFcredential_process"; with that line gone, keys of dev.
    const text = lines('[profile dev]', '\uFEFFcredential_process = /bin/creds', '  aws_access_key_id: AKIA', '  aws_secret_access_key: s', 'region = eu-west-1');
    expect(stripProfileCredentials(text, 'config', 'dev').text).toBe(lines('[profile dev]', 'region = eu-west-1'));
  });

  it('finds [NAME] in the credentials file by its exact header, as botocore and the JS SDK do', () => {
    const text = lines('[ dev ]', 'aws_access_key_id = AKIA');
    expect(stripProfileCredentials(text, 'credentials', 'dev')).toEqual({ text, changed: false, hasProfile: false });
  });
});

/**
 * Files with credentials for dev written every way the two dialects tell apart, each
 * stripped and then read by the real parsers (botocore 1.29 as the AWS CLI reads the
 * files, and the JS SDK's loadSharedConfigFiles): before, one of them finds a credential
 * key in dev; after, neither does, and dev keeps its region.
 */
const PARSER_SAMPLES: readonly [name: string, kind: SharedFileKind, text: string][] = [
  ['plain', 'config', '[profile dev]\ncredential_process = /bin/creds\nregion = eu-west-1\n'],
  ...['\u001c', '\u001d', '\u001e', '\u001f', '\u0085', '\u00a0', '\uFEFF', '\u2028'].flatMap((char): [string, SharedFileKind, string][] => {
    const name = `u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
    return [
      [`${name}_before_key`, 'config', `[profile dev]\n${char}credential_process = /bin/creds\nregion = eu-west-1\n`],
      [`${name}_before_equals`, 'config', `[profile dev]\ncredential_process${char}= /bin/creds\nregion = eu-west-1\n`],
      [`${name}_before_equals_credentials_file`, 'credentials', `[dev]\naws_access_key_id${char}= AKIA\naws_secret_access_key${char}= s\nregion = eu-west-1\n`],
    ];
  }),
  ['dotted_header', 'config', '[profile dev]\nregion = eu-west-1\n[profile.dev]\naws_access_key_id = AKIA\naws_secret_access_key = s\n'],
  ['lone_cr_hides_a_header_from_the_js_sdk', 'config', '[profile dev]\nregion = eu-west-1\nx = 1\r[profile other]\naws_access_key_id = AKIA\naws_secret_access_key = s\n'],
  ['lone_cr_hides_a_key_from_the_js_sdk', 'config', '[profile dev]\nregion = eu-west-1\rcredential_process = /bin/creds\n'],
  ['lone_cr_hides_a_header_from_botocore_in_a_key', 'config', '[profile dev]\nregion = eu-west-1\naws_access_key_id = AKIA\r[profile other]\rregion = us-east-1\n'],
  ['colon_lines_continuing_a_js_only_credential', 'config', '[profile dev]\n\uFEFFcredential_process = /bin/creds\n  aws_access_key_id: AKIA\n  aws_secret_access_key: s\nregion = eu-west-1\n'],
  ['defaults_section', 'config', '[DEFAULT]\ncredential_process = /bin/creds\n[profile dev]\nregion = eu-west-1\n'],
  ['crlf', 'credentials', '[dev]\r\naws_access_key_id = AKIA\r\naws_secret_access_key = s\r\nregion = eu-west-1\r\n'],
];

/** The keys each parser finds in dev, for each path: {path: [botocore keys, or null when it refuses the file]}. */
const BOTOCORE_DEV_KEYS = `
import json, os, botocore.configloader as c
out = {}
for path, kind in json.loads(os.environ["SAMPLES"]):
    try:
        raw = c.raw_config_parse(path)
        section = c.build_profile_map(raw)["profiles"].get("dev", {}) if kind == "config" else raw.get("dev", {})
        out[path] = sorted(section.keys())
    except Exception:
        out[path] = None
print(json.dumps(out))
`;

const CREDENTIAL_KEY = /^(aws_access_key_id|aws_secret_access_key|aws_session_token|aws_security_token|aws_account_id|credential_process|credential_source|role_arn|source_profile|web_identity_token_file|login_session|sso_.*|latchkey_.*)$/;

const parserSkip = pythonSdkSkipReason();
if (parserSkip !== undefined) console.warn(`Skipping the botocore/JS SDK check of stripProfileCredentials: ${parserSkip}.`);

describe.skipIf(parserSkip !== undefined)('stripProfileCredentials, against botocore and the JS SDK', () => {
  let dir: string;
  const before = new Map<string, { botocore: string[]; js: string[] }>();
  const after = new Map<string, { botocore: string[]; js: string[] }>();

  async function jsDevKeys(path: string, kind: SharedFileKind): Promise<string[]> {
    const files = await loadSharedConfigFiles(kind === 'config' ? { configFilepath: path, filepath: join(dir, 'none'), ignoreCache: true } : { configFilepath: join(dir, 'none'), filepath: path, ignoreCache: true });
    return Object.keys((kind === 'config' ? files.configFile : files.credentialsFile)['dev'] ?? {}).sort();
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'latchkey-strip-'));
    const paths: [string, SharedFileKind][] = [];
    for (const [name, kind, text] of PARSER_SAMPLES) {
      await writeFile(join(dir, `${name}.before`), text);
      await writeFile(join(dir, `${name}.after`), stripProfileCredentials(text, kind, 'dev').text);
      paths.push([join(dir, `${name}.before`), kind], [join(dir, `${name}.after`), kind]);
    }
    const run = await runPython(BOTOCORE_DEV_KEYS.replace(/^\n/, ''), { SAMPLES: JSON.stringify(paths) }, 30_000);
    expect(run.stderr).toBe('');
    const botocore = JSON.parse(run.stdout) as Record<string, string[] | null>;
    for (const [name, kind] of PARSER_SAMPLES) {
      for (const [stage, map] of [['before', before], ['after', after]] as const) {
        const path = join(dir, `${name}.${stage}`);
        map.set(name, { botocore: botocore[path] ?? [], js: await jsDevKeys(path, kind) });
      }
    }
  }, 60_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(PARSER_SAMPLES.map(([name]) => name))('%s', (name) => {
    const credentials = (reading: { botocore: string[]; js: string[] } | undefined): { botocore: string[]; js: string[] } => ({
      botocore: (reading?.botocore ?? []).filter((key) => CREDENTIAL_KEY.test(key)),
      js: (reading?.js ?? []).filter((key) => CREDENTIAL_KEY.test(key)),
    });
    const found = credentials(before.get(name));
    expect(found.botocore.length + found.js.length).toBeGreaterThan(0);
    expect(credentials(after.get(name))).toEqual({ botocore: [], js: [] });
    expect({ botocore: after.get(name)?.botocore, js: after.get(name)?.js }).toEqual({ botocore: expect.arrayContaining(['region']), js: expect.arrayContaining(['region']) });
  });
});
