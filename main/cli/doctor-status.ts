import { LatchkeyError } from '../core/errors';
import { isJsonObject } from '../core/json-object';
import { readStatus, type AgentStatus } from './agent-responses';

export interface DoctorStatus {
  status: AgentStatus;
  /**
   * The agent's sentence when its store cannot be used now (a locked or missing keychain),
   * from `store.error` of the status (docs/cli.md, "doctor"); absent when it can, or from
   * an agent that does not say.
   */
  storeError?: string;
}

/** `GET /v1/status` as doctor reads it: the status as every command reads it, plus `store.error`. */
export function readDoctorStatus(body: unknown): DoctorStatus {
  const status = readStatus(body);
  const store = isJsonObject(body) ? body['store'] : undefined;
  const error = isJsonObject(store) ? store['error'] : undefined;
  if (error === undefined || error === null || error === '') return { status };
  if (typeof error !== 'string') throw new LatchkeyError('malformed_response', 'The Latchkey agent sent an answer without a valid "store.error".');
  return { status, storeError: error };
}
