import type { SignInFlow } from '../core/client-registrar';
import type { Clock } from '../core/clock';
import type { Emitter } from '../core/emitter';
import type { Logger } from '../core/logger';
import type { RecentRoles } from '../core/recent-roles';
import type { SignInEngine } from '../core/sign-in-engine';
import type { StoreChoice } from '../core/store-choice';
import type { AgentConfig } from './agent-config';
import type { AgentEvent } from './agent-event';
import type { AgentRoles } from './agent-roles';
import type { ContainerCredentialsServer } from './container-credentials-server';
import type { NeedsSignInNotice } from './needs-sign-in-notice';
import type { SignInCoordinator } from './sign-in-coordinator';

/** What the route modules use; built once by the composition root (agent.ts). */
export interface AgentServices {
  engine: SignInEngine;
  config: AgentConfig;
  signIns: SignInCoordinator;
  /** Every session event of the engine, plus `needs-sign-in`. */
  events: Emitter<AgentEvent>;
  needsSignIn: NeedsSignInNotice;
  /** The roles used lately; every credential served and console opened is recorded. */
  recentRoles: RecentRoles;
  /** Console sign-in and the per-role actions of the window and tray. */
  roles: AgentRoles;
  execEndpoints: ContainerCredentialsServer;
  /** True inside the desktop app, which can show a sign-in prompt. */
  interactive: boolean;
  /** The flow `latchkey login` would choose here when the caller names none. */
  defaultFlow: (requested?: SignInFlow) => SignInFlow;
  /** Which store holds the secrets and why, for `status`; absent when the caller passed its own store. */
  storeChoice?: StoreChoice;
  /** Lists the store's entries once: undefined when that works, else the error's sentence (latchkey doctor). */
  probeStore: () => Promise<string | undefined>;
  clock: Clock;
  logger: Logger;
  /** Asks the process that runs this agent to stop it (the desktop app taking over). */
  requestShutdown: () => void;
}
