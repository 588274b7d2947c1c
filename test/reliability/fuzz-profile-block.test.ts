import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAwsConfig } from '../../main/core/aws-config';
import { beginMarker, endMarker, updateProfileBlock, type ProfileBlockInput, type ProfileBlockUpdate } from '../../main/core/aws-config-profile-block';
import { RESERVED_SECTION_NAME, readAwsConfigSections } from '../../main/core/aws-config-sections';
import { credentialProcessCommand, type CommandDialect } from '../../main/core/credential-process-command';
import { isLatchkeyError } from '../../main/core/errors';
import type { BlockAccount } from '../../main/core/profile-names';
import { CaseCounter, FUZZ_RUNS, expectOneSentence, fuzzTimeout, hostileText, iniLine, iniText } from './fuzz-arbitraries';

const counter = new CaseCounter('fuzz-profile-block');
afterAll(() => counter.record());

/** A command of each dialect with a word that needs quoting, so credential_process is never a bare join. */
const COMMANDS: Record<CommandDialect, string[]> = {
  posix: ['/usr/bin/node', "/opt/it's $HOME/latchkey.mjs"],
  windows: ['C:\\Users\\Ana Lopez\\AppData\\Local\\Programs\\latchkey\\latchkey.exe'],
};

/** Few account names and roles, so that planned names collide with each other and with the user's own sections. */
const ACCOUNT_IDS = ['111111111111', '222222222222'];
const ACCOUNT_NAMES = ['Dev', 'Prod', 'Dev Team'];
const ROLES = ['ReadOnly', 'Admin'];
const TAKEN = ['Dev-ReadOnly', 'Dev-Admin', 'Prod-ReadOnly', 'Dev-ReadOnly-111111111111'];

/** The user's own headers for names the block would choose, in the spellings botocore and the JS SDK accept or reject. */
const TAKEN_HEADERS = TAKEN.flatMap((name) => [
  `[profile ${name}]`,
  `[profile "${name}"]`,
  `[profile '${name}']`,
  `[profile\t${name}]`,
  `[ profile ${name} ]`,
  `[profile ${name}] # mine`,
  // Quoted or escaped in part: to botocore still one shell word, and the same name.
  `[profile "${name.replace('-', '"-')}]`,
  `[profile ${name.replace('-', '\\-')}]`,
]);
const userLine = fc.oneof({ weight: 4, arbitrary: iniLine }, { weight: 1, arbitrary: fc.constantFrom(...TAKEN_HEADERS) });

const region = fc.option(fc.constantFrom('us-east-1', 'eu-west-1', 'us-gov-west-1'), { nil: undefined });
const roleName = fc.oneof(fc.constantFrom(...ROLES), fc.stringMatching(/^[A-Za-z0-9_+=,.@-]{1,64}$/));
const validAccount: fc.Arbitrary<BlockAccount> = fc.record({
  accountId: fc.oneof(fc.constantFrom(...ACCOUNT_IDS), fc.stringMatching(/^\d{12}$/)),
  accountName: fc.oneof(fc.constantFrom(...ACCOUNT_NAMES), hostileText(10)),
  roles: fc.array(roleName, { maxLength: 3 }),
});
/**
 * A session name as `[sso-session NAME]` can carry it, so the reader can be asked to serve the
 * block's profiles. Not `__proto__`: the reader leaves that section out (the JS SDK refuses a
 * file with one), so no such session exists to run setup-profiles for.
 */
const plainSession = fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/).filter((name) => name !== RESERVED_SECTION_NAME);

function blockInput(session: fc.Arbitrary<string>, account: fc.Arbitrary<BlockAccount>, regionCode: fc.Arbitrary<string | undefined>): fc.Arbitrary<ProfileBlockInput> {
  return fc
    .record({ session, accounts: fc.array(account, { maxLength: 4 }), dialect: fc.constantFrom<CommandDialect>('posix', 'windows'), region: regionCode, ssoRegion: regionCode })
    .map((input) => ({ ...input, latchkeyCommand: COMMANDS[input.dialect] }));
}

/** A block written before for other roles, hand-edited with random lines, and the user's text that follows it. */
interface OldBlock {
  accounts: BlockAccount[];
  region: string | undefined;
  edits: [number, string][];
  crlf: boolean;
  after: string;
}

interface Scenario {
  before: string;
  previous: OldBlock | undefined;
  input: ProfileBlockInput;
}

function scenario(input: fc.Arbitrary<ProfileBlockInput>): fc.Arbitrary<Scenario> {
  const previous = fc.record({
    accounts: fc.array(validAccount, { maxLength: 3 }),
    region,
    edits: fc.array(fc.tuple(fc.nat(), userLine), { maxLength: 6 }),
    crlf: fc.boolean(),
    after: iniText(userLine, 10),
  });
  return fc.record({ before: iniText(userLine, 20), previous: fc.option(previous, { nil: undefined }), input });
}

/** The config text as the user has it: theirs, then (when there is one) the old block at `start` and more of theirs. */
interface Composed {
  text: string;
  start: number;
  after: string;
  inPlace: boolean;
}

function composed({ before, previous, input }: Scenario): Composed {
  const alone = { text: before, start: before.length, after: '', inPlace: false };
  if (previous === undefined) return alone;
  const old = { session: input.session, accounts: previous.accounts, latchkeyCommand: input.latchkeyCommand, dialect: input.dialect, region: previous.region };
  // No block was ever written for a session the update refuses.
  const written = updated('', old)?.text.split('\n');
  if (written === undefined) return alone;
  // Edits go between the BEGIN line and the END line, where a person editing the block puts them.
  for (const [at, line] of previous.edits) written.splice(1 + (at % (written.length - 2)), 0, line);
  const block = written.join(previous.crlf ? '\r\n' : '\n');
  // The BEGIN line must start a line to be the block's; a user's last line without an end gets one.
  const glued = before === '' || /[\r\n]$/.test(before) ? before : `${before}\n`;
  return { text: glued + block + previous.after, start: glued.length, after: previous.after, inPlace: true };
}

/** The update, or undefined when it refused as a clear config_error; any other throw fails the case. */
function updated(text: string, input: ProfileBlockInput): ProfileBlockUpdate | undefined {
  try {
    return updateProfileBlock(text, input);
  } catch (error) {
    expect(isLatchkeyError(error, 'config_error'), `refused with ${String(error)}`).toBe(true);
    expectOneSentence((error as Error).message, 'refusal');
    return undefined;
  }
}

/**
 * The written block on its own, and where it starts: in place of the old block, or after the
 * user's text, whose last line the update ends and follows with one blank line, and nothing else.
 */
function writtenBlock({ text, start, after, inPlace }: Composed, session: string, result: string): { start: number; block: string } {
  expect(result.slice(0, start)).toBe(text.slice(0, start));
  expect(result.endsWith(after)).toBe(true);
  const rest = result.slice(start, result.length - after.length);
  if (inPlace) return { start, block: rest };
  const glue = rest.slice(0, Math.max(0, rest.indexOf(beginMarker(session))));
  expect(glue).toMatch(/^(\r?\n){0,2}$/);
  const lines = (text + glue).split(/\r\n|\r|\n/);
  expect(text === '' || (lines.at(-1) === '' && lines.at(-2) === ''), `ends the user's text with a blank line: ${JSON.stringify(text.slice(-4) + glue)}`).toBe(true);
  return { start: start + glue.length, block: rest.slice(glue.length) };
}

/** The file's own line end: CRLF when it has any (so a Windows file stays one), or when a lone CR ends it and a LF would make one. */
function eolOf(text: string): string {
  return /\r\n|\r$/.test(text) ? '\r\n' : '\n';
}

/** Section identities as the reader sees them: `profile NAME`, `sso-session NAME`. */
function sectionsOf(text: string): string[] {
  return readAwsConfigSections(text).map((s) => `${s.kind} ${s.name}`);
}

/**
 * The block read on its own holds exactly the planned profiles, each with exactly the values
 * written, whatever the session name: nothing in a value opened a section or a key of its own.
 */
function expectReadBack(block: string, input: ProfileBlockInput, update: ProfileBlockUpdate, eol: string): void {
  expect(block.startsWith(beginMarker(input.session) + eol)).toBe(true);
  expect(block.endsWith(endMarker(input.session) + eol)).toBe(true);
  const assigned = new Set(input.accounts.flatMap((a) => a.roles.map((r) => `${a.accountId}/${r}`)));
  expect(new Set(update.profiles.map((p) => `${p.accountId}/${p.roleName}`))).toEqual(assigned);
  for (const p of update.profiles) expect(p.name).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/);
  const sections = readAwsConfigSections(block);
  expect(sections.map((s) => `${s.kind} ${s.name}`).sort()).toEqual(update.profiles.map((p) => `profile ${p.name}`).sort());
  for (const p of update.profiles) {
    const argv = [...input.latchkeyCommand, 'credential-process', '--profile', p.name];
    expect({ ...sections.find((s) => s.name === p.name)?.values }).toEqual({
      ...(p.region === undefined ? {} : { region: p.region }),
      credential_process: credentialProcessCommand(argv, input.dialect),
      latchkey_session: input.session,
      latchkey_account_id: p.accountId,
      latchkey_role_name: p.roleName,
    });
  }
}

/** With its session defined, the reader serves every profile of the block as it was planned, with no problem. */
function expectServed(block: string, input: ProfileBlockInput, update: ProfileBlockUpdate): void {
  const config = parseAwsConfig(`[sso-session ${input.session}]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n${block}`, '/c');
  expect(config.problems).toEqual([]);
  expect([...config.profiles.values()].sort((a, b) => a.name.localeCompare(b.name))).toEqual(
    update.profiles
      .map((p) => ({ name: p.name, session: input.session, accountId: p.accountId, roleName: p.roleName, ...(p.region === undefined ? {} : { region: p.region }), usesCredentialProcess: true }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  );
}

/** (a) to (d) of issue 14 for one config the update accepted; returns the block it wrote. */
function expectRoundTrip(config: Composed, input: ProfileBlockInput, update: ProfileBlockUpdate): string {
  const eol = eolOf(config.text);
  // (a) Every byte outside the block is the user's, where it was.
  const { start, block } = writtenBlock(config, input.session, update.text);
  expect(update.changed).toBe(update.text !== config.text);
  // (b) The same update again changes nothing.
  const again = updateProfileBlock(update.text, input);
  expect(again.text).toBe(update.text);
  expect(again.changed).toBe(false);
  // (c) The reader reads back the block's profiles and values, and none shares a name with a section of the user's.
  expectReadBack(block, input, update, eol);
  const outside = sectionsOf(update.text.slice(0, start) + update.text.slice(start + block.length));
  for (const p of update.profiles) expect(outside).not.toContain(`profile ${p.name}`);
  // (d) An empty profile list leaves a block of comment lines only (the markers, the header,
  // the names kept for retired roles): the user's text comes back exactly around it.
  const emptied = updateProfileBlock(update.text, { ...input, accounts: [] }).text;
  const rest = emptied.slice(start, emptied.length - (update.text.length - start - block.length));
  expect(emptied.slice(0, start) + emptied.slice(start + rest.length)).toBe(update.text.slice(0, start) + update.text.slice(start + block.length));
  expect(rest.split(eol).slice(0, -1).every((line) => line.startsWith('#')), JSON.stringify(rest)).toBe(true);
  expect(sectionsOf(rest)).toEqual([]);
  return block;
}

describe('the owned-block rewriter under random configs and inputs', () => {
  it("rewrites only its block, idempotently, into profiles the reader reads back, keeping every byte of the user's", () => {
    const arbitrary = scenario(blockInput(plainSession, validAccount, region));
    fc.assert(fc.property(arbitrary, counter.count('valid input, random config', (s) => {
      const config = composed(s);
      const update = updated(config.text, s.input);
      expect(update, 'a valid input is written').toBeDefined();
      if (update !== undefined) expectServed(expectRoundTrip(config, s.input, update), s.input, update);
    })), { numRuns: FUZZ_RUNS });
  }, fuzzTimeout(20));

  it('refuses hostile session names, account ids, role names and regions in one sentence, or writes them so that they add no section or key', () => {
    const hostileAccount: fc.Arbitrary<BlockAccount> = fc.record({
      accountId: fc.oneof(fc.constantFrom(...ACCOUNT_IDS), hostileText(14)),
      accountName: hostileText(14),
      roles: fc.array(fc.oneof(roleName, hostileText(10)), { maxLength: 3 }),
    });
    const hostileSession = fc.oneof(plainSession, hostileText(12), fc.constantFrom('corp]', '[profile evil]', 'a # b', 'a ; b', 'x = y', ' corp', 'corp\u00a0'));
    const hostileRegion = fc.oneof(region, hostileText(10));
    const arbitrary = scenario(blockInput(hostileSession, hostileAccount, hostileRegion));
    fc.assert(fc.property(arbitrary, counter.count('hostile input', (s) => {
      const config = composed(s);
      const update = updated(config.text, s.input);
      if (update !== undefined) expectRoundTrip(config, s.input, update);
    })), { numRuns: FUZZ_RUNS });
  }, fuzzTimeout(20));

  it('refuses a config with stray markers of the block in one sentence, or rewrites it idempotently into profiles the reader reads back', () => {
    const sessionAndText = plainSession.chain((session) =>
      fc.tuple(fc.constant(session), iniText(fc.oneof(userLine, fc.constantFrom(beginMarker(session), endMarker(session), `${beginMarker(session)} \t`, `  ${endMarker(session)}`, beginMarker('other'))), 30)),
    );
    const arbitrary = fc.tuple(sessionAndText, fc.array(validAccount, { maxLength: 3 }));
    fc.assert(fc.property(arbitrary, counter.count('stray markers', ([[session, text], accounts]) => {
      const input: ProfileBlockInput = { session, accounts, latchkeyCommand: COMMANDS.posix, dialect: 'posix' };
      const update = updated(text, input);
      if (update === undefined) return;
      expect(updateProfileBlock(update.text, input).text).toBe(update.text);
      const eol = eolOf(text);
      const start = update.text.indexOf(`${beginMarker(session)}${eol}# Written by "latchkey setup-profiles --session ${session}`);
      const end = update.text.indexOf(eol + endMarker(session) + eol, start) + eol.length + endMarker(session).length + eol.length;
      expect(start).toBeGreaterThanOrEqual(0);
      expectReadBack(update.text.slice(start, end), input, update, eol);
    })), { numRuns: FUZZ_RUNS });
  }, fuzzTimeout(20));
});
