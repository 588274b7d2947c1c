import { describe, expect, it } from 'vitest';
import { stripProfileCredentials } from '../../../main/core/strip-profile-credentials';

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

  it('keeps keys inside a sub-section, which are no credentials to any client', () => {
    const text = lines('[default]', 's3 =', '  role_arn = not-a-credential-here', 'region = eu-west-1');
    expect(stripProfileCredentials(text, 'config', 'default')).toMatchObject({ text, changed: false });
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
