/** The wire operations the emulator serves, named as the service models name them. */
export const OIDC_OPERATIONS = ['RegisterClient', 'StartDeviceAuthorization', 'CreateToken'] as const;
export const PORTAL_OPERATIONS = ['ListAccounts', 'ListAccountRoles', 'GetRoleCredentials', 'Logout'] as const;
export const OPERATIONS = [...OIDC_OPERATIONS, ...PORTAL_OPERATIONS] as const;

export type OidcOperation = (typeof OIDC_OPERATIONS)[number];
export type PortalOperation = (typeof PORTAL_OPERATIONS)[number];
export type OperationName = (typeof OPERATIONS)[number];

export function isOperationName(value: unknown): value is OperationName {
  return typeof value === 'string' && (OPERATIONS as readonly string[]).includes(value);
}

export function isOidcOperation(operation: OperationName): operation is OidcOperation {
  return (OIDC_OPERATIONS as readonly string[]).includes(operation);
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
