import { AuthorizationCodes } from './authorization-codes';
import { ClientRegistry } from './clients';
import { ConsoleSignIns } from './console-sign-ins';
import { DeviceAuthorizations } from './device-authorizations';
import { Directory } from './directory';
import { EmulatorClock } from './emulator-clock';
import { FaultQueue } from './faults';
import { IdSource } from './id-source';
import { defaultLifetimes, type Lifetimes } from './lifetimes';
import { CallCounter } from './operations';
import { PageTokens } from './pagination';
import { RoleCredentialIssuer } from './role-credentials';
import { Throttle } from './throttle';
import { TokenStore } from './tokens';

/** Everything one emulator instance remembers; handlers receive it, nothing is global. */
export interface EmulatorState {
  readonly clock: EmulatorClock;
  readonly ids: IdSource;
  readonly lifetimes: Lifetimes;
  readonly clients: ClientRegistry;
  readonly devices: DeviceAuthorizations;
  readonly authorizations: AuthorizationCodes;
  readonly tokens: TokenStore;
  readonly directory: Directory;
  readonly pageTokens: PageTokens;
  readonly credentials: RoleCredentialIssuer;
  readonly consoleSignIns: ConsoleSignIns;
  readonly calls: CallCounter;
  readonly throttle: Throttle;
  readonly faults: FaultQueue;
}

export interface StateOptions {
  autoApprove: boolean;
  seed: string | undefined;
  lifetimes: Partial<Lifetimes>;
}

export function createEmulatorState(options: StateOptions): EmulatorState {
  const clock = new EmulatorClock();
  const ids = new IdSource(options.seed);
  const lifetimes: Lifetimes = { ...defaultLifetimes(), ...definedOnly(options.lifetimes) };
  const clients = new ClientRegistry(ids, clock, lifetimes);
  return {
    clock,
    ids,
    lifetimes,
    clients,
    devices: new DeviceAuthorizations(ids, clock, lifetimes, options.autoApprove),
    authorizations: new AuthorizationCodes(ids, clock, clients, options.autoApprove),
    tokens: new TokenStore(ids, clock, lifetimes),
    directory: new Directory(),
    pageTokens: new PageTokens(ids.bytes('page-token-key', 32)),
    credentials: new RoleCredentialIssuer(ids, clock, lifetimes),
    consoleSignIns: new ConsoleSignIns(ids, clock),
    calls: new CallCounter(),
    throttle: new Throttle(),
    faults: new FaultQueue(),
  };
}

function definedOnly(values: Partial<Lifetimes>): Partial<Lifetimes> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}
