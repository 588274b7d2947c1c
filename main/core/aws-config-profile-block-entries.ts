import { isAccountId, isRegionCode, isRoleName } from './aws-identifiers';
import { isManagedProfileName, type ManagedProfile, type PreviousProfiles } from './profile-names';

/**
 * What a block that `latchkey setup-profiles` wrote says about names: each profile's name
 * with its latchkey_ keys, and one comment line per name kept for a role that is no longer
 * assigned. Read back on every run, so a name keeps naming its account and role.
 * Anything a hand edit left that does not read as ours is passed over: that role is then
 * named afresh, never given a name that might belong to another.
 * Regions are read back too: each profile's `region` line, and the region the block was
 * written with (its header names it), so that a region edited by hand can be told from
 * the block's own and survives the next run.
 */

/** What the block held before: names, and the regions that go with them. */
export interface PreviousBlock extends PreviousProfiles {
  /** The `region` of each profile in the block, by account and role (`regionKey`). */
  regions: ReadonlyMap<string, string>;
  /** The region the block was written with (the header's `--region`); absent in a block from before regions. */
  defaultRegion?: string;
}

export function regionKey(profile: { accountId: string; roleName: string }): string {
  return `${profile.accountId}/${profile.roleName}`;
}

/** The line before the retired names, saying why they are there. */
export const RETIRED_HEADING = '# Names kept for roles no longer assigned, so that they never name another role:';

export function retiredLine(profile: ManagedProfile): string {
  return `# retired profile ${profile.name}: account ${profile.accountId}, role ${profile.roleName}`;
}

const RETIRED_LINE = /^[ \t]*# retired profile (\S+): account (\S+), role (\S+)[ \t]*$/;
const PROFILE_HEADER = /^[ \t]*\[[ \t]*profile[ \t]+([^\s\]]+)[ \t]*\][ \t]*$/;
const SECTION_HEADER = /^[ \t]*\[/;
const LATCHKEY_VALUE = /^[ \t]*(latchkey_session|latchkey_account_id|latchkey_role_name)[ \t]*=[ \t]*(.*?)[ \t]*$/;
/** `region`, in any case: the AWS CLI reads `Region = …` as the region too. */
const REGION_VALUE = /^[ \t]*(region)[ \t]*=[ \t]*(.*?)[ \t]*$/i;
/** The header line renderBlock writes; the region is the last option of the command it names. */
const HEADER_REGION = /^# Written by "latchkey setup-profiles .* --region ([^\s"]+)"; /;

/** The profiles, their regions and the retired names in the text of `session`'s block. */
export function readBlockEntries(blockText: string, session: string): PreviousBlock {
  const profiles: ManagedProfile[] = [];
  const retired: ManagedProfile[] = [];
  const regions = new Map<string, string>();
  let defaultRegion: string | undefined;
  let section: { name: string; values: Map<string, string> } | undefined;
  const finish = (): void => {
    if (section === undefined) return;
    const { name, values } = section;
    if (values.get('latchkey_session') !== session) return;
    const entry = entryOf(name, values.get('latchkey_account_id'), values.get('latchkey_role_name'));
    if (entry === undefined) return;
    profiles.push(entry);
    // Only a region code is ever written back: the value goes into a line of the config.
    const region = values.get('region');
    if (isRegionCode(region) && !regions.has(regionKey(entry))) regions.set(regionKey(entry), region);
  };
  for (const line of blockText.split(/\r?\n/)) {
    const written = HEADER_REGION.exec(line)?.[1];
    if (section === undefined && defaultRegion === undefined && isRegionCode(written)) defaultRegion = written;
    const retiredMatch = RETIRED_LINE.exec(line);
    if (retiredMatch !== null) {
      const entry = entryOf(retiredMatch[1], retiredMatch[2], retiredMatch[3]);
      if (entry !== undefined) retired.push(entry);
      continue;
    }
    if (SECTION_HEADER.test(line)) {
      finish();
      const header = PROFILE_HEADER.exec(line);
      section = header === null ? undefined : { name: header[1] ?? '', values: new Map() };
      continue;
    }
    const value = LATCHKEY_VALUE.exec(line) ?? REGION_VALUE.exec(line);
    if (value !== null && section !== undefined) section.values.set((value[1] ?? '').toLowerCase(), value[2] ?? '');
  }
  finish();
  return { profiles, retired, regions, ...(defaultRegion === undefined ? {} : { defaultRegion }) };
}

/** Names that retired lines anywhere in `text` keep (another session's block): not for the taking. */
export function retiredNamesIn(text: string): string[] {
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = RETIRED_LINE.exec(line);
    if (match?.[1] !== undefined) names.push(match[1]);
  }
  return names;
}

function entryOf(name: string | undefined, accountId: string | undefined, roleName: string | undefined): ManagedProfile | undefined {
  if (name === undefined || !isManagedProfileName(name) || !isAccountId(accountId) || !isRoleName(roleName)) return undefined;
  return { name, accountId, roleName };
}
