/** The wire operations the emulator serves, named as the service models name them. */
export const OIDC_OPERATIONS = ['RegisterClient', 'StartDeviceAuthorization', 'CreateToken'] as const;
export const PORTAL_OPERATIONS = ['ListAccounts', 'ListAccountRoles', 'GetRoleCredentials', 'Logout'] as const;
/** The sign-in federation endpoint's two actions; ConsoleLogin is `Action=login`, a browser's redirect. */
export const FEDERATION_OPERATIONS = ['GetSigninToken', 'ConsoleLogin'] as const;
export const OPERATIONS = [...OIDC_OPERATIONS, ...PORTAL_OPERATIONS, ...FEDERATION_OPERATIONS] as const;

export type OidcOperation = (typeof OIDC_OPERATIONS)[number];
export type PortalOperation = (typeof PORTAL_OPERATIONS)[number];
export type FederationOperation = (typeof FEDERATION_OPERATIONS)[number];
export type OperationName = (typeof OPERATIONS)[number];

export function isOperationName(value: unknown): value is OperationName {
  return typeof value === 'string' && (OPERATIONS as readonly string[]).includes(value);
}

export function isOidcOperation(operation: OperationName): operation is OidcOperation {
  return (OIDC_OPERATIONS as readonly string[]).includes(operation);
}

export function isFederationOperation(operation: OperationName): operation is FederationOperation {
  return (FEDERATION_OPERATIONS as readonly string[]).includes(operation);
}

/** Counts every call that reached an operation's route, whatever its outcome. */
export class CallCounter {
  private readonly counts = new Map<OperationName, number>();

  record(operation: OperationName): void {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
  }

  snapshot(): Record<OperationName, number> {
    const result = {} as Record<OperationName, number>;
    for (const operation of OPERATIONS) result[operation] = this.counts.get(operation) ?? 0;
    return result;
  }

  reset(): void {
    this.counts.clear();
  }
}
