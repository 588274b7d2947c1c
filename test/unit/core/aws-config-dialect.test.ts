import { describe, expect, it } from 'vitest';
import { findDialectWarnings } from '../../../main/core/aws-config-dialect';

const FILE = '/home/u/.aws/config';

describe('findDialectWarnings', () => {
  it('finds nothing in a config as aws configure sso and setup-profiles write it', () => {
    const text =
      '[default]\nregion = eu-west-1\noutput = json\n\n' +
      '[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start/#/\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n\n' +
      '# BEGIN latchkey managed profiles (session corp)\n[profile Dev-Admin]\ncredential_process = /usr/bin/latchkey credential-process --profile Dev-Admin\n' +
      'latchkey_session = corp\nlatchkey_account_id = 111111111111\nlatchkey_role_name = Admin\n# END latchkey managed profiles (session corp)\n\r\n' +
      '[services local]\ns3 =\n  endpoint_url = http://localhost:4566\n';
    expect(findDialectWarnings(text, FILE)).toEqual([]);
  });

  it('names the file, the line, the construct, both clients and the fix in one sentence', () => {
    const [warning] = findDialectWarnings('[profile dev]\nregion = us-east-1\n\n[profile dev]\noutput = json\n', FILE);
    expect(warning).toEqual({
      filePath: FILE,
      line: 4,
      construct: 'repeated-section',
      section: { kind: 'profile', name: 'dev' },
      message:
        '/home/u/.aws/config line 4: a second [profile dev] section; the AWS CLI and botocore refuse the whole file, the JS SDK and Latchkey merge the two: remove one.',
    });
  });

  it.each([
    ['\uFEFF[default]\nregion = us-east-1\n', 1, 'byte-order-mark'],
    ['region = us-east-1\n[default]\n', 1, 'key-before-section'],
    ['[default]\rregion = us-east-1\r', 1, 'lone-carriage-return'],
  ])('ties a warning about the whole file to no section: %j', (text, line, construct) => {
    const warnings = findDialectWarnings(text, FILE);
    expect(warnings.map((w) => [w.line, w.construct, w.section])).toEqual([[line, construct, undefined]]);
  });

  it.each([
    ['[profile dev]\nRegion: eu-west-1 # prod\n', ['colon-delimiter', 'key-case']],
    ['[profile dev]\nregion = a\nREGION = b\n', ['key-case', 'repeated-key']],
    ['[sso-session corp]\nsso_region = eu-west-1 ; dublin\n', ['inline-comment']],
  ])('reports each construct of a line once: %j', (text, constructs) => {
    expect(findDialectWarnings(text, FILE).map((w) => w.construct)).toEqual(constructs);
  });

  it('attributes a line to the profile or session botocore puts it in', () => {
    const warnings = findDialectWarnings('[sso-session corp]\nSSO_Region = eu-west-1\n[profile  dev]\nRegion = x\n', FILE);
    expect(warnings.map((w) => [w.construct, w.section])).toEqual([
      ['key-case', { kind: 'sso-session', name: 'corp' }],
      ['section-name', { kind: 'profile', name: 'dev' }],
      ['key-case', { kind: 'profile', name: 'dev' }],
    ]);
    expect(warnings[1]?.message).toBe(
      '/home/u/.aws/config line 3: [profile  dev]; the AWS CLI, botocore and Latchkey read it as profile "dev", the JS SDK ignores it: ' +
        'write it as [profile NAME] or [sso-session NAME] with one space and a name of letters, digits and -_.@+%:/.',
    );
  });

  it('says which [default] each client takes when [default] follows [profile default]', () => {
    const [warning] = findDialectWarnings('[profile default]\nregion = a\n[default]\nregion = b\n', FILE);
    expect(warning?.message).toMatch(/line 3: \[default\] names profile "default" a second time; the AWS CLI, botocore and Latchkey use only this later section, the JS SDK uses \[profile default\]: keep one\.$/);
  });

  it('warns where botocore reads another account than the JS SDK, the key spelled with U+001C before "="', () => {
    const text = '[profile prod]\ncredential_process = latchkey credential-process --profile prod\nsso_session = corp\nsso_account_id\u001c= 222222222222\n';
    expect(findDialectWarnings(text, FILE).map((w) => w.message)).toEqual([
      '/home/u/.aws/config line 4: sso_account_id has an invisible character at the edge of its key or value that Python takes for whitespace and JavaScript does not, ' +
        'or the reverse (U+001C to U+001F, U+0085, U+FEFF); the AWS CLI, botocore and Latchkey read the key sso_account_id, the JS SDK the key sso_account_id\uFFFD: remove the character.',
    ]);
  });

  it('quotes text from the file with control characters replaced and long names cut', () => {
    const name = `dev\x1b[2J${'x'.repeat(100)}`;
    const [warning] = findDialectWarnings(`[profile  ${name}]\nregion = a\n`, FILE);
    expect(warning?.message).not.toContain('\x1b');
    expect(warning?.message).toContain('dev\uFFFD[2Jxxx');
    expect(warning?.message).toContain('x…');
    expect(warning?.message).not.toContain('x'.repeat(60));
  });
});
