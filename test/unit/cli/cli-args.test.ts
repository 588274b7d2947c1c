import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../../main/cli/cli-args';
import { isLatchkeyError } from '../../../main/core/errors';

describe('parseCliArgs', () => {
  it.each([
    ['no_args_prints_help', [], { name: 'help' }],
    ['version', ['--version'], { name: 'version' }],
    ['agent', ['agent'], { name: 'agent' }],
    ['login_defaults_flow_and_browser', ['login', '--session', 'corp'], { name: 'login', session: 'corp', openBrowser: true }],
    ['login_device_code_no_browser', ['login', '--session=corp', '--device-code', '--no-browser'], { name: 'login', session: 'corp', flow: 'device-code', openBrowser: false }],
    ['login_pkce', ['login', '--session', 'corp', '--pkce'], { name: 'login', session: 'corp', flow: 'pkce', openBrowser: true }],
    ['logout_session', ['logout', '--session', 'corp'], { name: 'logout', session: 'corp' }],
    ['logout_all', ['logout', '--all'], { name: 'logout' }],
    ['status', ['status'], { name: 'status', json: false }],
    ['status_json', ['status', '--json'], { name: 'status', json: true }],
    ['accounts_json', ['accounts', '--session', 'corp', '--json'], { name: 'accounts', session: 'corp', json: true, refresh: false }],
    ['accounts_refresh', ['accounts', '--session', 'corp', '--refresh'], { name: 'accounts', session: 'corp', json: false, refresh: true }],
    ['credential_process_profile_waits', ['credential-process', '--profile', 'dev'], { name: 'credential-process', target: { profile: 'dev' }, wait: true }],
    ['credential_process_no_wait', ['credential-process', '--profile', 'dev', '--no-wait'], { name: 'credential-process', target: { profile: 'dev' }, wait: false }],
    [
      'credential_process_explicit_role',
      ['credential-process', '--session', 'corp', '--account', '111111111111', '--role', 'Admin'],
      { name: 'credential-process', target: { session: 'corp', accountId: '111111111111', roleName: 'Admin' }, wait: true },
    ],
    ['export_defaults_to_env', ['export', '--profile', 'dev'], { name: 'export', target: { profile: 'dev' }, format: 'env' }],
    ['export_json', ['export', '--profile', 'dev', '--format', 'json'], { name: 'export', target: { profile: 'dev' }, format: 'json' }],
    [
      'exec_keeps_the_commands_own_flags',
      ['exec', '--profile', 'dev', '--', 'aws', '--profile', 'x', 's3', 'ls', '--'],
      { name: 'exec', target: { profile: 'dev' }, command: 'aws', args: ['--profile', 'x', 's3', 'ls', '--'] },
    ],
    ['setup_profiles', ['setup-profiles', '--session', 'corp'], { name: 'setup-profiles', session: 'corp', refresh: false }],
    ['setup_profiles_refresh', ['setup-profiles', '--session', 'corp', '--refresh'], { name: 'setup-profiles', session: 'corp', refresh: true }],
  ])('%s', (_name, argv, expected) => {
    expect(parseCliArgs(argv)).toMatchObject(expected);
  });

  it.each([
    ['unknown_command', ['frobnicate'], /^There is no command "frobnicate"; run "latchkey --help"/],
    ['mistyped_command_suggests_the_command', ['lgin', '--session', 'corp'], /^There is no command "lgin" \(did you mean "login"\?\); run "latchkey --help"/],
    ['mistyped_help_topic_suggests_the_command', ['help', 'statsu'], /no command "statsu" \(did you mean "status"\?\)/],
    ['unknown_option', ['status', '--verbose'], /^status has no option "--verbose"; run "latchkey status --help"/],
    ['mistyped_option_suggests_the_option', ['status', '--jsno'], /has no option "--jsno" \(did you mean "--json"\?\)/],
    ['mistyped_option_with_value', ['login', '--sesion', 'corp'], /has no option "--sesion" \(did you mean "--session"\?\)/],
    ['missing_value', ['login', '--session'], /^login --session needs a value \(--session NAME\);/],
    ['missing_profile_value', ['export', '--profile'], /^export --profile needs a value \(--profile P\);/],
    ['value_for_a_switch', ['status', '--json=yes'], /^status --json takes no value \(write --json alone\);/],
    ['login_with_a_bare_session_name', ['login', 'corp'], /^login takes no argument "corp" \(did you mean "--session corp"\?\);/],
    ['export_with_a_bare_profile_name', ['export', 'dev'], /takes no argument "dev" \(did you mean "--profile dev"\?\);/],
    ['exec_without_the_separator', ['exec', '--profile', 'dev', 'aws', 's3', 'ls'], /takes no argument "aws" \(did you mean "-- aws"\?\);/],
    ['login_needs_session', ['login'], /needs --session NAME/],
    ['login_both_flows', ['login', '--session', 'a', '--pkce', '--device-code'], /not both/],
    ['logout_needs_one', ['logout'], /--session NAME or --all/],
    ['logout_not_both', ['logout', '--session', 'a', '--all'], /--session NAME or --all/],
    ['target_missing', ['credential-process'], /needs --profile P/],
    ['target_mixed', ['credential-process', '--profile', 'p', '--role', 'r'], /needs --profile P/],
    ['target_incomplete', ['export', '--session', 's', '--account', '111111111111'], /needs --profile P/],
    // credential-process takes ids only: export, exec and console also take an account's name.
    ['account_not_12_digits', ['credential-process', '--session', 's', '--account', '12', '--role', 'r'], /12-digit/],
    ['bad_format', ['export', '--profile', 'p', '--format', 'yaml'], /no format "yaml"/],
    ['exec_without_command', ['exec', '--profile', 'p'], /needs the command to run after "--"/],
    ['exec_empty_command', ['exec', '--profile', 'p', '--'], /needs the command/],
    ['positional', ['status', 'extra'], /takes no argument "extra"/],
    ['dashdash_elsewhere', ['status', '--', 'x'], /no arguments after "--"/],
  ])('%s is a usage error', (_name, argv, message) => {
    let caught: unknown;
    try {
      parseCliArgs(argv);
    } catch (error) {
      caught = error;
    }
    expect(isLatchkeyError(caught, 'usage_error')).toBe(true);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).toMatch(/--help/);
    // The CLI prints "latchkey: " before the message; "latchkey: latchkey login ..." stutters.
    expect((caught as Error).message).not.toMatch(/^latchkey /);
  });

  it.each([
    ['credential-process', ['credential-process'], { name: 'credential-process', target: { profile: 'dev' }, wait: true }],
    ['export', ['export'], { name: 'export', target: { profile: 'dev' }, format: 'env' }],
    ['exec', ['exec', '--', 'env'], { name: 'exec', target: { profile: 'dev' }, command: 'env', args: [] }],
  ])('%s without a target acts as the profile AWS_PROFILE names, as the AWS CLI v2 and the JS SDK do', (_name, argv, expected) => {
    expect(parseCliArgs(argv, { AWS_PROFILE: 'dev' })).toEqual(expected);
  });

  it('lets --profile and --session win over AWS_PROFILE, and asks for a target when AWS_PROFILE is empty', () => {
    expect(parseCliArgs(['export', '--profile', 'prod'], { AWS_PROFILE: 'dev' })).toMatchObject({ target: { profile: 'prod' } });
    const explicit = ['export', '--session', 'corp', '--account', '111111111111', '--role', 'Admin'];
    expect(parseCliArgs(explicit, { AWS_PROFILE: 'dev' })).toMatchObject({ target: { session: 'corp', accountId: '111111111111', roleName: 'Admin' } });
    expect(() => parseCliArgs(['export'], { AWS_PROFILE: ' ' })).toThrow(/needs --profile P, or --session S --account ID\|NAME --role R \(or AWS_PROFILE set\)/);
  });

  it('suggests nothing for a bare word when the option it could be is given already', () => {
    expect(() => parseCliArgs(['login', '--session', 'corp', 'extra'])).toThrow(/^login takes no argument "extra"; run/);
  });

  it.each(['login', 'logout', 'status', 'accounts', 'credential-process', 'export', 'exec', 'setup-profiles', 'agent'])(
    '%s --help returns its usage, even with other required options missing',
    (name) => {
      const parsed = parseCliArgs([name, '--help']);
      expect(parsed.name).toBe('help');
      expect(parsed.name === 'help' ? parsed.text : '').toContain(`Usage: latchkey ${name}`);
    },
  );
});
