/**
 * Which name each profile of `latchkey setup-profiles` gets. A name, once written, keeps
 * naming the same account and role: scripts, `AWS_PROFILE` and other tools' settings
 * name profiles, and a name that came to mean another account would send them there
 * without a word. So the block setup-profiles wrote before decides first, and only a role
 * with no name yet is named from the portal's account name.
 */
export interface BlockAccount {
  accountId: string;
  accountName: string;
  roles: readonly string[];
}

export interface ManagedProfile {
  name: string;
  accountId: string;
  roleName: string;
}

/** What the block held before: its profiles, and the names kept for roles no longer assigned. */
export interface PreviousProfiles {
  profiles: readonly ManagedProfile[];
  retired: readonly ManagedProfile[];
}

/**
 * - kept: the name the block gave it before.
 * - restored: a role assigned again gets back the name it had.
 * - added: a role seen for the first time.
 * - renamed: its name is now defined outside the block, by the user, so it needed another.
 */
export type ProfileStatus = 'kept' | 'restored' | 'added' | 'renamed';

export interface PlannedProfile extends ManagedProfile {
  status: ProfileStatus;
  /** For `renamed`: the name it had. */
  formerName?: string;
}

export interface ProfilePlan {
  /** One per account and role, sorted by name. */
  profiles: PlannedProfile[];
  /** Names kept for roles no longer assigned (old ones and `removed`), sorted by name. */
  retired: ManagedProfile[];
  /** The block's profiles whose role is no longer assigned. */
  removed: ManagedProfile[];
}

export const NO_PREVIOUS_PROFILES: PreviousProfiles = { profiles: [], retired: [] };

/**
 * One profile per account and role. `taken` holds the names defined outside the block,
 * which are the user's: never reused, even by a profile that had the name first.
 * The result depends only on what is assigned, `taken` and `previous`, never on the
 * order in which the portal lists accounts and roles.
 */
export function planProfiles(accounts: readonly BlockAccount[], taken: ReadonlySet<string>, previous = NO_PREVIOUS_PROFILES): ProfilePlan {
  const remembered = rememberedNames(previous);
  const wanted = assignedRoles(accounts);
  const used = new Set(taken);
  const planned: PlannedProfile[] = [];
  const newcomers: AssignedRole[] = [];
  for (const role of wanted.values()) {
    const before = remembered.get(role.key);
    if (before !== undefined && !taken.has(before.name)) {
      planned.push({ name: before.name, accountId: role.accountId, roleName: role.roleName, status: before.retired ? 'restored' : 'kept' });
      used.add(before.name);
    } else {
      newcomers.push(role);
    }
  }
  // Every name the block ever gave stays with its role, assigned now or not.
  for (const before of remembered.values()) used.add(before.name);
  // By account id, which never changes, so that of two new accounts whose names clean
  // to the same profile name, the same one gets it on every machine.
  newcomers.sort((a, b) => compare(a.accountId, b.accountId) || compare(a.roleName, b.roleName));
  for (const role of newcomers) {
    const name = freeName(profileName(role, role.roleName), role.accountId, used);
    used.add(name);
    const before = remembered.get(role.key);
    planned.push({
      name,
      accountId: role.accountId,
      roleName: role.roleName,
      ...(before === undefined ? { status: 'added' as const } : { status: 'renamed' as const, formerName: before.name }),
    });
  }
  const retired = [...remembered.entries()].filter(([key]) => !wanted.has(key)).map(([, before]) => before);
  return {
    profiles: planned.sort(byName),
    retired: retired.map(({ name, accountId, roleName }) => ({ name, accountId, roleName })).sort(byName),
    removed: retired.filter((before) => !before.retired).map(({ name, accountId, roleName }) => ({ name, accountId, roleName })).sort(byName),
  };
}

/**
 * `Development-Developer`: letters, digits, `.`, `_` and `-` only, so the name needs no
 * quoting in a section header, in credential_process, or in `--profile` on a shell.
 */
export function profileName(account: { accountId: string; accountName: string }, roleName: string): string {
  const clean = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/-{2,}/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  const accountPart = clean(account.accountName) || account.accountId;
  const rolePart = clean(roleName) || 'role';
  return `${accountPart}-${rolePart}`;
}

/**
 * Whether a name read back from the block is one `profileName` could have made: it needs
 * no quoting, cannot pass for an option, and is not the default profile.
 */
export function isManagedProfileName(name: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(name) && name !== 'default';
}

/** `Dev-R`, else `Dev-R-111111111111`, else `Dev-R-111111111111-2`, …: the first not in use. */
function freeName(base: string, accountId: string, used: ReadonlySet<string>): string {
  if (!used.has(base)) return base;
  const withId = `${base}-${accountId}`;
  let name = withId;
  for (let n = 2; used.has(name); n += 1) name = `${withId}-${n}`;
  return name;
}

interface AssignedRole {
  key: string;
  accountId: string;
  accountName: string;
  roleName: string;
}

interface RememberedName extends ManagedProfile {
  retired: boolean;
}

function roleKey(accountId: string, roleName: string): string {
  return `${accountId}/${roleName}`;
}

/** Each account and role once, whatever the portal repeats. */
function assignedRoles(accounts: readonly BlockAccount[]): Map<string, AssignedRole> {
  const roles = new Map<string, AssignedRole>();
  for (const account of accounts) {
    for (const roleName of account.roles) {
      const key = roleKey(account.accountId, roleName);
      if (!roles.has(key)) roles.set(key, { key, accountId: account.accountId, accountName: account.accountName, roleName });
    }
  }
  return roles;
}

/**
 * One name per role and one role per name, the block's profiles before its retired names.
 * Only a hand edit inside the block can break that; the first entry in the block wins.
 */
function rememberedNames(previous: PreviousProfiles): Map<string, RememberedName> {
  const byRole = new Map<string, RememberedName>();
  const names = new Set<string>();
  const remember = (profile: ManagedProfile, retired: boolean): void => {
    const key = roleKey(profile.accountId, profile.roleName);
    if (byRole.has(key) || names.has(profile.name)) return;
    byRole.set(key, { name: profile.name, accountId: profile.accountId, roleName: profile.roleName, retired });
    names.add(profile.name);
  };
  for (const profile of previous.profiles) remember(profile, false);
  for (const profile of previous.retired) remember(profile, true);
  return byRole;
}

function byName(a: ManagedProfile, b: ManagedProfile): number {
  return compare(a.name, b.name);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
