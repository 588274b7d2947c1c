import { describe, expect, it } from 'vitest';
import { missingProfileMessage, missingSessionMessage, type AwsConfigNames } from '../../../main/core/aws-config-advice';
import { awsConfigNames, parseAwsConfig, requireProfile } from '../../../main/core/aws-config';

const FILE = '/home/u/.aws/config';

const CORP = '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n';
const LAB = '[sso-session lab]\nsso_start_url = https://lab.awsapps.com/start\nsso_region = us-east-1\n';
const DEV = '[profile dev]\ncredential_process = latchkey credential-process --profile dev\nlatchkey_session = corp\nlatchkey_account_id = 111111111111\nlatchkey_role_name = Developer\n';

function names(text: string, fileMissing = false): AwsConfigNames {
  return awsConfigNames({ ...parseAwsConfig(text, FILE), fileMissing });
}

/** The section the message advises, as a person would type it from the message's quoted lines. */
function advisedSection(message: string): string {
  const quoted = [...message.matchAll(/"([^"]+)"/g)].map((match) => match[1] ?? '');
  const header = quoted.find((line) => line.startsWith('[profile '));
  const keys = quoted.filter((line) => /^[a-z_]+ = /.test(line));
  return `${header ?? ''}\n${keys.join('\n')}\n`;
}

describe('missingProfileMessage', () => {
  it('advises a section that Latchkey then serves, credential_process included, with no problem reported', () => {
    const text = `${CORP}${DEV}`;
    const message = missingProfileMessage(names(text), 'ops');
    const section = advisedSection(message);
    expect(section).toBe(
      '[profile ops]\ncredential_process = latchkey credential-process --profile ops\nlatchkey_session = corp\nlatchkey_account_id = 123456789012\nlatchkey_role_name = ROLE\n',
    );
    const fixed = parseAwsConfig(`${text}${section}`, FILE);
    expect(fixed.problems).toEqual([]);
    expect(requireProfile(fixed, 'ops').profile).toMatchObject({ session: 'corp', accountId: '123456789012', roleName: 'ROLE', usesCredentialProcess: true });
  });

  it('never advises sso_account_id or sso_role_name, which Latchkey refuses beside credential_process', () => {
    const message = missingProfileMessage(names(CORP), 'ops');
    expect(message).not.toMatch(/sso_account_id|sso_role_name/);
  });

  it('names setup-profiles for the one session there is, and the closest profile name', () => {
    expect(missingProfileMessage(names(`${CORP}${DEV}`), 'dve')).toMatch(
      /^\/home\/u\/\.aws\/config has no profile "dve" that Latchkey serves \(did you mean "dev"\?\); run "latchkey setup-profiles --session corp" to write one profile per role, or add /,
    );
  });

  it('lists the sessions to choose from when there are several', () => {
    expect(missingProfileMessage(names(`${CORP}${LAB}`), 'ops')).toMatch(/"latchkey_session = NAME"[^]*, NAME being one of corp, lab\.$/);
  });

  it('says to add a session first when the file has none', () => {
    expect(missingProfileMessage(names('[default]\nregion = eu-west-1\n'), 'ops')).toMatch(/add an \[sso-session NAME\] section with sso_start_url and sso_region first/);
  });

  it('says the file does not exist, with its path and how to create it, instead of "has no profile"', () => {
    const message = missingProfileMessage(names('', true), 'dev');
    expect(message).toBe(
      '/home/u/.aws/config does not exist; create it with an [sso-session NAME] section holding sso_start_url (your AWS access portal URL) and sso_region, then run "latchkey login --session NAME" and "latchkey setup-profiles --session NAME" (or set AWS_CONFIG_FILE to the config you use).',
    );
  });
});

describe('missingSessionMessage', () => {
  it('suggests the closest session and lists those there are', () => {
    expect(missingSessionMessage(names(`${CORP}${LAB}`), 'crop')).toBe(
      '/home/u/.aws/config has no [sso-session crop] section (did you mean "corp"?); the ones it has are corp, lab, or add an [sso-session crop] section with sso_start_url and sso_region.',
    );
  });

  it('lists a session with problems too, since fixing it is the likelier cure', () => {
    expect(missingSessionMessage(names(`${CORP}[sso-session lab]\nsso_region = us-east-1\n`), 'x')).toContain('the ones it has are corp, lab');
  });

  it('says when the file has no session at all', () => {
    expect(missingSessionMessage(names('[default]\nregion = eu-west-1\n'), 'corp')).toBe(
      '/home/u/.aws/config has no [sso-session] section at all; add an [sso-session corp] section with sso_start_url and sso_region.',
    );
  });

  it('says the file does not exist', () => {
    expect(missingSessionMessage(names('', true), 'corp')).toMatch(/^\/home\/u\/\.aws\/config does not exist; create it/);
  });

  it('cuts a long list short', () => {
    const many = Array.from({ length: 12 }, (_v, i) => `[sso-session s${i}]\nsso_start_url = https://s.awsapps.com/start\nsso_region = eu-west-1\n`).join('');
    expect(missingSessionMessage(names(many), 'zzzz')).toContain('s0, s1, s2, s3, s4, s5, s6, s7, s8, s9 and 2 more, or add');
  });
});
