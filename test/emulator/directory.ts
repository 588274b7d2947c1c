import { FieldError, optionalObject, optionalString, requiredInteger, rejectUnknownFields, type Fields } from './body-fields';

/** AWS account ids are exactly 12 digits. */
const ACCOUNT_ID_PATTERN = /^\d{12}$/;
/** Permission set names: 1 to 32 of these characters, as IAM Identity Center allows. */
const ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,32}$/;
const MAX_GENERATED_ACCOUNTS = 10_000;
const MAX_ROLES_PER_ACCOUNT = 100;
const GENERATED_ROLE_NAMES = ['Developer', 'ReadOnly', 'Administrator', 'Billing', 'Auditor'];

export interface Account {
  readonly accountId: string;
  readonly accountName: string;
  readonly emailAddress: string;
  readonly roles: readonly string[];
}

export const DEFAULT_ACCOUNTS: readonly Account[] = [
  { accountId: '111111111111', accountName: 'Development', emailAddress: 'development@example.com', roles: ['Developer', 'ReadOnly'] },
  { accountId: '222222222222', accountName: 'Production', emailAddress: 'production@example.com', roles: ['ReadOnly'] },
];

/** The accounts and roles assigned to the signed-in user; every session sees the same directory. */
export class Directory {
  private accountList: readonly Account[] = DEFAULT_ACCOUNTS;
  private byId = indexAccounts(DEFAULT_ACCOUNTS);

  accounts(): readonly Account[] {
    return this.accountList;
  }

  find(accountId: string): Account | undefined {
    return this.byId.get(accountId);
  }

  replace(accounts: readonly Account[]): void {
    this.accountList = accounts;
    this.byId = indexAccounts(accounts);
  }
}

function indexAccounts(accounts: readonly Account[]): Map<string, Account> {
  return new Map(accounts.map((account) => [account.accountId, account]));
}

/** Reads `POST /_emulator/directory`: an explicit account list or a generated one. */
export function readDirectoryBody(body: Fields): Account[] {
  rejectUnknownFields(body, ['accounts', 'generate']);
  const generate = optionalObject(body, 'generate');
  if (generate !== undefined && body['accounts'] !== undefined) throw new FieldError('Give either accounts or generate, not both.');
  if (generate !== undefined) {
    rejectUnknownFields(generate, ['accounts', 'rolesPerAccount']);
    return generateAccounts(
      requiredInteger(generate, 'accounts', 1, MAX_GENERATED_ACCOUNTS),
      requiredInteger(generate, 'rolesPerAccount', 1, MAX_ROLES_PER_ACCOUNT),
    );
  }
  const list = body['accounts'];
  if (!Array.isArray(list)) throw new FieldError('Give accounts (a list) or generate ({accounts, rolesPerAccount}).');
  const accounts = list.map((item: unknown, index) => readAccount(item, index));
  const seen = new Set<string>();
  for (const account of accounts) {
    if (seen.has(account.accountId)) throw new FieldError(`Duplicate accountId ${account.accountId}.`);
    seen.add(account.accountId);
  }
  return accounts;
}

function readAccount(item: unknown, index: number): Account {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new FieldError(`accounts[${index}] must be an object.`);
  const fields = item as Fields;
  rejectUnknownFields(fields, ['accountId', 'accountName', 'emailAddress', 'roles']);
  const accountId = fields['accountId'];
  if (typeof accountId !== 'string' || !ACCOUNT_ID_PATTERN.test(accountId)) {
    throw new FieldError(`accounts[${index}].accountId must be a string of 12 digits.`);
  }
  const accountName = optionalString(fields, 'accountName');
  if (accountName === undefined || accountName === '') throw new FieldError(`accounts[${index}].accountName is required.`);
  const emailAddress = optionalString(fields, 'emailAddress') ?? `${accountId}@example.com`;
  const roles = fields['roles'];
  if (!Array.isArray(roles) || !roles.every((role): role is string => typeof role === 'string' && ROLE_NAME_PATTERN.test(role))) {
    throw new FieldError(`accounts[${index}].roles must be a list of role names (1-32 of [A-Za-z0-9_+=,.@-]).`);
  }
  if (new Set(roles).size !== roles.length) throw new FieldError(`accounts[${index}].roles has duplicates.`);
  return { accountId, accountName, emailAddress, roles };
}

function generateAccounts(count: number, rolesPerAccount: number): Account[] {
  const roles = Array.from({ length: rolesPerAccount }, (_, i) => GENERATED_ROLE_NAMES[i] ?? `Role${String(i + 1).padStart(3, '0')}`);
  return Array.from({ length: count }, (_, i) => {
    const number = String(i + 1).padStart(5, '0');
    return {
      accountId: String(100_000_000_000 + i + 1),
      accountName: `Account ${number}`,
      emailAddress: `account-${number}@example.com`,
      roles,
    };
  });
}
