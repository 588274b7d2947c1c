import { describe, expect, it } from 'vitest';
import { parseAwsConfig, requireProfile } from '../../../main/core/aws-config';
import { AwsConfigError } from '../../../main/core/aws-config-error';

const FILE = '/home/u/.aws/config';

const CORP = `
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
`;

function parse(text: string) {
  return parseAwsConfig(text, FILE);
}

function messages(text: string): string[] {
  return parse(text).problems.map((p) => p.message);
}

describe('parseAwsConfig: sso-sessions', () => {
  it('reads a session with defaults for scopes and cache sync', () => {
    expect(parse(CORP).ssoSessions.get('corp')).toEqual({
      name: 'corp',
      startUrl: 'https://corp.awsapps.com/start',
      region: 'eu-west-1',
      registrationScopes: ['sso:account:access'],
      syncAwsCache: false,
    });
  });

  it.each([
    ['scopes_are_split_on_commas_and_trimmed', 'sso:account:access, codewhisperer:completions', ['sso:account:access', 'codewhisperer:completions']],
    ['empty_scope_entries_are_dropped', 'sso:account:access,,', ['sso:account:access']],
    ['a_scope_list_with_no_scopes_falls_back_to_the_default', ' , ', ['sso:account:access']],
  ])('%s', (_name, raw, expected) => {
    const config = parse(`${CORP}sso_registration_scopes = ${raw}\n`);
    expect(config.ssoSessions.get('corp')?.registrationScopes).toEqual(expected);
  });

  it.each([
    ['sync_true_turns_on_cache_export', 'true', true],
    ['sync_false_leaves_it_off', 'false', false],
    ['sync_is_case_insensitive', 'TRUE', true],
  ])('%s', (_name, raw, expected) => {
    const config = parse(`${CORP}latchkey_sync_aws_cache = ${raw}\n`);
    expect(config.problems).toEqual([]);
    expect(config.ssoSessions.get('corp')?.syncAwsCache).toBe(expected);
  });

  it.each([
    ['missing_sso_region_is_reported_with_file_and_section', '[sso-session a]\nsso_start_url = https://a.awsapps.com/start', /^\/home\/u\/\.aws\/config: \[sso-session a\] has no sso_region; add .*sso_region = us-east-1/],
    ['missing_sso_start_url_is_reported', '[sso-session a]\nsso_region = us-east-1', /\[sso-session a\] has no sso_start_url; add/],
    ['empty_value_counts_as_missing', '[sso-session a]\nsso_region = us-east-1\nsso_start_url =', /has no sso_start_url/],
    ['http_start_url_is_rejected', '[sso-session a]\nsso_region = us-east-1\nsso_start_url = http://a.awsapps.com/start', /sso_start_url "http:\/\/a\.awsapps\.com\/start", which is not an https URL/],
    ['start_url_that_is_not_a_url_is_rejected', '[sso-session a]\nsso_region = us-east-1\nsso_start_url = corp', /which is not an https URL/],
    ['region_that_is_not_a_region_is_rejected', '[sso-session a]\nsso_region = Ireland\nsso_start_url = https://a.awsapps.com/start', /sso_region "Ireland", which is not an AWS region code/],
    ['region_without_number_is_rejected', '[sso-session a]\nsso_region = us-east\nsso_start_url = https://a.awsapps.com/start', /not an AWS region code/],
    ['sync_flag_that_is_not_boolean_is_rejected', `${CORP}latchkey_sync_aws_cache = yes`, /latchkey_sync_aws_cache to "yes"; write true or false/],
  ])('%s', (_name, text, pattern) => {
    const config = parse(text);
    expect(config.ssoSessions.size).toBe(0);
    expect(config.problems).toHaveLength(1);
    expect(config.problems[0]?.message).toMatch(pattern);
    expect(config.problems[0]?.kind).toBe('sso-session');
  });

  it('reports every problem of a session, one sentence each', () => {
    const found = messages('[sso-session a]\nsso_start_url = ftp://x\n');
    expect(found).toHaveLength(2);
    for (const message of found) expect(message.trim().endsWith('.')).toBe(true);
  });

  it.each(['us-east-1', 'eu-central-2', 'us-gov-west-1', 'cn-north-1', 'ap-southeast-4', 'us-isob-east-1', 'il-central-1'])(
    'accepts_region_%s',
    (region) => {
      const config = parse(`[sso-session a]\nsso_start_url = https://a.awsapps.com/start\nsso_region = ${region}\n`);
      expect(config.problems).toEqual([]);
    },
  );
});

describe('parseAwsConfig: profiles', () => {
  it.each([
    ['standard_sso_keys_name_the_target', 'sso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Developer'],
    ['latchkey_keys_name_the_target', 'latchkey_session = corp\nlatchkey_account_id = 111111111111\nlatchkey_role_name = Developer\ncredential_process = latchkey credential-process --profile dev'],
    ['both_forms_may_be_set_to_the_same_values', 'sso_session = corp\nlatchkey_session = corp\nlatchkey_account_id = 111111111111\nsso_account_id = 111111111111\nlatchkey_role_name = Developer'],
  ])('%s', (_name, body) => {
    const config = parse(`${CORP}[profile dev]\n${body}\nregion = eu-west-1\n`);
    expect(config.problems).toEqual([]);
    expect(config.profiles.get('dev')).toMatchObject({
      name: 'dev',
      session: 'corp',
      accountId: '111111111111',
      roleName: 'Developer',
      region: 'eu-west-1',
    });
  });

  it('notes whether a profile uses credential_process', () => {
    const config = parse(
      `${CORP}[profile a]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = R\n` +
        `[profile b]\nlatchkey_session = corp\nlatchkey_account_id = 111111111111\nlatchkey_role_name = R\ncredential_process = latchkey credential-process --profile b\n`,
    );
    expect(config.profiles.get('a')?.usesCredentialProcess).toBe(false);
    expect(config.profiles.get('b')?.usesCredentialProcess).toBe(true);
  });

  it.each([
    ['profile_without_target_keys_is_ignored', '[profile plain]\nregion = us-east-1\noutput = json'],
    ['token_only_profile_with_just_sso_session_is_ignored', '[profile tok]\nsso_session = corp'],
    ['static_keys_profile_is_ignored', '[profile keys]\naws_access_key_id = AKIA\naws_secret_access_key = x'],
    ['sections_that_are_not_profiles_are_ignored', '[services s3]\nsso_account_id = 1\n[preview]\nsso_role_name = x'],
  ])('%s', (_name, text) => {
    const config = parse(`${CORP}${text}\n`);
    expect(config.profiles.size).toBe(0);
    expect(config.problems).toEqual([]);
  });

  it.each([
    ['profile_naming_unknown_session_is_reported_with_section', 'sso_session = nope\nsso_account_id = 111111111111\nsso_role_name = R', /: \[profile dev\] names sso-session "nope", but there is no \[sso-session nope\] section/],
    ['conflicting_account_ids_are_reported', 'sso_session = corp\nlatchkey_account_id = 111111111111\nsso_account_id = 222222222222\nsso_role_name = R', /sets latchkey_account_id = 111111111111 and sso_account_id = 222222222222; keep one/],
    ['conflicting_role_names_are_reported', 'sso_session = corp\nsso_account_id = 111111111111\nlatchkey_role_name = A\nsso_role_name = B', /sets latchkey_role_name = A and sso_role_name = B/],
    ['conflicting_sessions_are_reported', 'sso_session = corp\nlatchkey_session = other\nsso_account_id = 111111111111\nsso_role_name = R', /sets latchkey_session = other and sso_session = corp/],
    ['account_id_of_eleven_digits_is_rejected', 'sso_session = corp\nsso_account_id = 11111111111\nsso_role_name = R', /account id "11111111111", which is not 12 digits/],
    ['account_id_with_letters_is_rejected', 'sso_session = corp\nsso_account_id = 11111111111a\nsso_role_name = R', /not 12 digits/],
    ['missing_role_is_reported', 'sso_session = corp\nsso_account_id = 111111111111', /names no role; add "latchkey_role_name = ROLE"/],
    ['missing_account_is_reported', 'sso_session = corp\nsso_role_name = R', /names no account; add "latchkey_account_id/],
    ['missing_session_is_reported', 'latchkey_account_id = 111111111111\nlatchkey_role_name = R', /names no session; add "sso_session = NAME"/],
    ['credential_process_with_sso_account_id_is_reported_with_the_fix', 'latchkey_session = corp\nsso_account_id = 111111111111\nsso_role_name = R\ncredential_process = latchkey credential-process --profile dev', /sets credential_process together with sso_account_id and sso_role_name, so the AWS CLI would use its own SSO sign-in instead of Latchkey; rename them to latchkey_account_id and latchkey_role_name/],
    ['legacy_profile_with_inline_start_url_is_reported_with_conversion', 'sso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 111111111111\nsso_role_name = R', /uses the legacy form with sso_start_url in the profile; move sso_start_url and sso_region into an \[sso-session NAME\] section/],
    ['inline_start_url_next_to_a_session_is_reported', 'sso_session = corp\nsso_start_url = https://corp.awsapps.com/start\nsso_account_id = 111111111111\nsso_role_name = R', /sets sso_start_url as well as a session, which the AWS CLI rejects/],
    ['profile_region_that_is_not_a_region_is_reported', 'sso_session = corp\nsso_account_id = 111111111111\nsso_role_name = R\nregion = europe', /has region "europe", which is not an AWS region code/],
  ])('%s', (_name, body, pattern) => {
    const config = parse(`${CORP}[profile dev]\n${body}\n`);
    expect(config.profiles.has('dev')).toBe(false);
    expect(config.problems).toHaveLength(1);
    expect(config.problems[0]).toMatchObject({ kind: 'profile', name: 'dev', section: '[profile dev]', filePath: FILE });
    expect(config.problems[0]?.message).toMatch(pattern);
  });

  it('a profile on a broken session says the session is the problem', () => {
    const found = messages('[sso-session bad]\nsso_region = us-east-1\n[profile dev]\nsso_session = bad\nsso_account_id = 111111111111\nsso_role_name = R\n');
    expect(found).toHaveLength(2);
    expect(found[1]).toMatch(/\[profile dev\] uses \[sso-session bad\], which cannot be used until its own problems are fixed/);
  });

  it('one broken profile leaves the others usable', () => {
    const config = parse(
      `${CORP}[profile bad]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = R\n` +
        `[profile good]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = R\n`,
    );
    expect([...config.profiles.keys()]).toEqual(['good']);
    expect(config.problems.every((p) => p.name === 'bad')).toBe(true);
  });
});

describe('parseAwsConfig: file syntax as the AWS tools read it', () => {
  it.each([
    ['default_section_is_the_default_profile', '[default]', 'default'],
    ['profile_default_section_is_the_default_profile', '[profile default]', 'default'],
    ['dotted_profile_names_stay_whole', '[profile acme.dev.admin]', 'acme.dev.admin'],
    ['quoted_profile_names_are_unquoted', '[profile "dev"]', 'dev'],
    ['extra_spaces_after_profile_are_allowed', '[profile    dev]', 'dev'],
    ['unprefixed_section_is_not_a_profile', '[dev]', undefined],
  ])('%s', (_name, header, profileName) => {
    const config = parse(`${CORP}${header}\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = R\n`);
    expect([...config.profiles.keys()]).toEqual(profileName === undefined ? [] : [profileName]);
  });

  it('prefers a [profile default] written after [default], as botocore and the JS SDK do', () => {
    const config = parse(
      `${CORP}[default]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Old\n` +
        `[profile default]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = New\n`,
    );
    expect(config.profiles.get('default')?.roleName).toBe('New');
  });

  it('reads dotted sso-session names', () => {
    const config = parse('[sso-session corp.eu]\nsso_start_url = https://c.awsapps.com/start\nsso_region = eu-west-1\n');
    expect([...config.ssoSessions.keys()]).toEqual(['corp.eu']);
  });

  it.each([
    ['hash_inside_a_value_is_kept', 'sso_start_url = https://corp.awsapps.com/start/#/', 'https://corp.awsapps.com/start/#/'],
    ['semicolon_inside_a_value_is_kept', 'sso_start_url = https://corp.awsapps.com/start;x', 'https://corp.awsapps.com/start;x'],
    ['whitespace_around_key_and_value_is_trimmed', 'sso_start_url   =   https://corp.awsapps.com/start   ', 'https://corp.awsapps.com/start'],
    ['colon_separates_key_and_value_as_in_botocore', 'sso_start_url: https://corp.awsapps.com/start', 'https://corp.awsapps.com/start'],
    ['capitalised_key_is_read_in_lower_case_as_in_botocore', 'SSO_Start_URL = https://corp.awsapps.com/start', 'https://corp.awsapps.com/start'],
    ['backslashes_are_kept', 'sso_start_url = https://corp.awsapps.com/a\\b', 'https://corp.awsapps.com/a\\b'],
  ])('%s', (_name, line, expected) => {
    const config = parse(`[sso-session corp]\nsso_region = eu-west-1\n${line}\n`);
    expect(config.ssoSessions.get('corp')?.startUrl).toBe(expected);
  });

  it.each([
    ['hash_comment_after_a_value_stays_in_it_as_in_botocore', 'sso_start_url = https://corp.awsapps.com/start # portal'],
    ['semicolon_comment_after_a_value_stays_in_it_as_in_botocore', 'sso_start_url = https://corp.awsapps.com/start ; portal'],
  ])('%s, so the start URL is refused with a warning', (_name, line) => {
    const config = parse(`[sso-session corp]\nsso_region = eu-west-1\n${line}\n`);
    expect(config.ssoSessions.size).toBe(0);
    expect(config.problems.map((p) => p.message)).toEqual([expect.stringMatching(/which is not an https URL/)]);
    expect(config.dialectWarnings.map((w) => [w.line, w.construct])).toEqual([[3, 'inline-comment']]);
  });

  it('reads an indented line after a key as more of its value, as botocore does', () => {
    const config = parse('[sso-session corp]\nsso_region = eu-west-1\n  sso_start_url = https://c.awsapps.com/start\n');
    expect(config.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/has no sso_start_url/),
      // The value holds the line break; the message, one line, shows it replaced.
      expect.stringMatching(/has sso_region "eu-west-1\uFFFDsso_start_url = https:\/\/c\.awsapps\.com\/start", which is not an AWS region code/),
    ]);
    expect(config.dialectWarnings.map((w) => w.construct)).toEqual(['continuation-line']);
  });

  it('gives every section the keys of [DEFAULT], as botocore does', () => {
    const config = parse('[DEFAULT]\nsso_region = eu-west-1\n[sso-session corp]\nsso_start_url = https://c.awsapps.com/start\n');
    expect(config.ssoSessions.get('corp')?.region).toBe('eu-west-1');
  });

  it('takes a [default] written after [profile default], as botocore does', () => {
    const config = parse(
      `${CORP}[profile default]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Old\n` +
        `[default]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = New\n`,
    );
    expect(config.profiles.get('default')?.roleName).toBe('New');
  });

  it('merges a section written twice, as the JS SDK does where botocore refuses the file', () => {
    const config = parse(`${CORP}[profile dev]\nsso_session = corp\nsso_account_id = 111111111111\n[profile dev]\nsso_role_name = R\n`);
    expect(config.profiles.get('dev')).toMatchObject({ accountId: '111111111111', roleName: 'R' });
    expect(config.dialectWarnings.map((w) => w.construct)).toEqual(['repeated-section']);
  });

  it('does not take [ profile dev ] for a profile, as neither botocore nor the JS SDK does', () => {
    const config = parse(`${CORP}[ profile dev ]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = R\n`);
    expect(config.profiles.size).toBe(0);
  });

  it('ignores comment lines, blank lines, CRLF endings and keys before any section', () => {
    const text = 'stray = 1\r\n# comment\r\n; another\r\n\r\n[sso-session corp]\r\n  # indented comment\r\nsso_start_url = https://c.awsapps.com/start\r\nsso_region = eu-west-1\r\n';
    const config = parse(text);
    expect(config.problems).toEqual([]);
    expect(config.ssoSessions.get('corp')?.startUrl).toBe('https://c.awsapps.com/start');
  });

  it('keeps keys of a nested block from posing as top-level keys', () => {
    const config = parse('[sso-session corp]\nsso_start_url = https://c.awsapps.com/start\ns3 =\n  sso_region = eu-west-1\n');
    expect(config.problems.map((p) => p.message)).toEqual([expect.stringMatching(/has no sso_region/)]);
  });

  it('reads a key after a nested block ends as top-level again', () => {
    const config = parse('[sso-session corp]\ns3 =\n  addressing_style = path\nsso_start_url = https://c.awsapps.com/start\nsso_region = eu-west-1\n');
    expect(config.problems).toEqual([]);
  });

  it('reads true and false as text, and the last of repeated keys', () => {
    const config = parse(`${CORP}[profile dev]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = First\nsso_role_name = true\n`);
    expect(config.profiles.get('dev')?.roleName).toBe('true');
  });

  it('an empty file is an empty config', () => {
    expect(parse('')).toMatchObject({ problems: [], filePath: FILE });
    expect(parse('').profiles.size).toBe(0);
  });

  it('a __proto__ section pollutes nothing', () => {
    const config = parse('[profile __proto__]\nsso_session = x\nsso_account_id = 111111111111\nsso_role_name = R\n');
    expect(({} as Record<string, unknown>)['sso_session']).toBeUndefined();
    expect(config.profiles.get('__proto__')).toBeUndefined();
  });
});

describe('requireProfile', () => {
  const text = `${CORP}[profile dev]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = R\n[profile bad]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\nregion = nowhere\n`;

  it('returns the profile and its session', () => {
    const { profile, session } = requireProfile(parse(text), 'dev');
    expect(profile.accountId).toBe('111111111111');
    expect(session.startUrl).toBe('https://corp.awsapps.com/start');
  });

  it('throws a config_error carrying every problem of that profile', () => {
    let caught: unknown;
    try {
      requireProfile(parse(text), 'bad');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AwsConfigError);
    const error = caught as AwsConfigError;
    expect(error.code).toBe('config_error');
    expect(error.problems).toHaveLength(2);
    expect(error.message.split('\n')).toHaveLength(2);
  });

  it('adds the dialect warnings of that profile and of the whole file to the config_error, and no others', () => {
    const dialect = `\uFEFF${CORP}[profile bad]\nsso_session = corp\nsso_account_id: 111111111111\n  sso_role_name = R\n[profile other]\nRegion = eu-west-1\n`;
    expect(() => requireProfile(parse(dialect), 'bad')).toThrow(
      new RegExp(
        [
          'names no role',
          'line 1: a UTF-8 byte-order mark',
          'line 7: "sso_account_id:" uses ":"',
          'line 8: an indented line under sso_account_id; the AWS CLI, botocore and Latchkey read it as more of the value of sso_account_id, the JS SDK as a key of its own',
        ].join('[^]*'),
      ),
    );
    expect(() => requireProfile(parse(dialect), 'bad')).not.toThrow(/line 10/);
  });

  it('names the file and the section to add for an unknown profile', () => {
    expect(() => requireProfile(parse(text), 'ghost')).toThrow(
      /\/home\/u\/\.aws\/config has no profile "ghost" that Latchkey serves; run "latchkey setup-profiles --session corp" [^]*or add "\[profile ghost\]" with/,
    );
  });
});
