import type { AgentResponse } from '../integration/agent/agent-harness';
import { FaultWorld, PAST_TIMEOUT_DELAY_MS, type BystanderCheck, type FaultGrant, type FaultedOperation } from './fault-matrix-world';

export const FAULT_KINDS = ['500', '503', '429', 'delay', 'reset', 'malformed', 'truncated', 'missing-field', 'wrong-type'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What the emulator is told for each kind (docs/emulator.md, `POST /_emulator/faults`). */
export const KIND_FAULTS: Record<FaultKind, object> = {
  '500': { status: 500 },
  '503': { status: 503 },
  '429': { status: 429 },
  delay: { delayMs: PAST_TIMEOUT_DELAY_MS },
  reset: { body: 'reset' },
  malformed: { body: 'malformed' },
  truncated: { body: 'truncated' },
  'missing-field': { body: 'missing-field' },
  'wrong-type': { body: 'wrong-type' },
};

/** How a row's operation is reached through the agent, and how it is tried again once AWS is well. */
export interface RowAction {
  corp: 'signed-in' | 'signed-out';
  /** Runs while the fault is on: the answer the person's tool gets. */
  run(world: FaultWorld): Promise<AgentResponse>;
  /** Runs after the faults are cleared: what the person gets next, and whether it cost a new sign-in. */
  recover(world: FaultWorld, faulted: AgentResponse): Promise<AgentResponse>;
}

/**
 * What the person has once AWS is well again: the same request `works`; the sign-in in
 * flight `completes` with the code already shown; the sign-in had ended and a `new sign-in`
 * succeeds; the session is `signed out` (asked for, or its refresh token lost); or the
 * next answer `fails` as shown.
 */
export type After = 'works' | 'completes' | 'new sign-in' | 'signed out' | `fails: ${string}`;

export interface CellObservation {
  /** `<status> <error code>` or `<status> <state>` as the agent answered. */
  answer: string;
  message: string | undefined;
  /** Calls of the operation the emulator saw while the fault was on. */
  attempts: number;
  bystander: BystanderCheck;
  /** Keychain records added (+), removed (-) or rewritten (~) by the faulted call. */
  keychain: string[];
  after: After;
}

/**
 * One cell: a fresh world, the fault on every call of the operation (of one grant for
 * CreateToken), the row's request, the bystander asked while that call is in flight,
 * then the faults cleared and the row's request tried again.
 */
export async function observeCell(operation: FaultedOperation, grantType: FaultGrant | undefined, kind: FaultKind, action: RowAction): Promise<CellObservation> {
  const world = await FaultWorld.start(action.corp);
  try {
    const before = await world.keychain();
    await world.inject(operation, KIND_FAULTS[kind], grantType);
    const faulted = action.run(world);
    await Promise.race([world.reached(operation, 5_000), faulted]);
    const bystander = await world.bystander();
    const answer = await faulted;
    // A delayed call is still carried out once its delay ends, after the client gave up
    // on it: what it spent (a device code, a refresh token) is gone before the retry.
    if (kind === 'delay') await new Promise((resolve) => setTimeout(resolve, PAST_TIMEOUT_DELAY_MS));
    const attempts = await world.calls(operation);
    const keychain = keychainChanges(before, await world.keychain());
    await world.clearFaults();
    const next = await action.recover(world, answer);
    return { answer: describe(answer), message: errorOf(answer)?.message, attempts, bystander, keychain, after: afterOf(action, answer, next) };
  } finally {
    await world.close();
  }
}

function afterOf(action: RowAction, faulted: AgentResponse, next: AgentResponse): After {
  if (next.status === 401 && errorOf(next)?.code === 'signed_out') return 'signed out';
  if (next.status >= 200 && next.status < 300) {
    if (action.corp === 'signed-in') return 'works';
    return faulted.status === 202 ? 'completes' : 'new sign-in';
  }
  return `fails: ${describe(next)}`;
}

function keychainChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  const changes: string[] = [];
  for (const [key, value] of after) {
    if (!before.has(key)) changes.push(`+${key}`);
    else if (before.get(key) !== value) changes.push(`~${key}`);
  }
  for (const key of before.keys()) if (!after.has(key)) changes.push(`-${key}`);
  return changes.sort();
}

function errorOf(answer: AgentResponse): { code: string; message: string } | undefined {
  const body = answer.json as { error?: { code?: unknown; message?: unknown } } | undefined;
  const error = body?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string' ? { code: error.code, message: error.message } : undefined;
}

function describe(answer: AgentResponse): string {
  const error = errorOf(answer);
  if (error !== undefined) return `${answer.status} ${error.code}`;
  const state = (answer.json as { state?: unknown } | undefined)?.state;
  return typeof state === 'string' ? `${answer.status} ${state}` : String(answer.status);
}
