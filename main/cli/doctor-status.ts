import { LatchkeyError } from '../core/errors';
import { isJsonObject } from '../core/json-object';
import { readStatus, type AgentStatus } from './agent-responses';

/** The store the agent says it uses (docs/agent-api.md, status), and what is wrong with it, if anything. */
export interface AgentStore {
  name: string;
  reason: string;
  /** The agent's sentence when the store cannot be used now (locked, not there). */
  error?: string;
}

export interface DoctorStatus {
  status: AgentStatus;
  /** Absent from an agent older than the `store` field. */
  store?: AgentStore;
}

/** `GET /v1/status` as doctor reads it: the status, plus its `store` field checked like the rest. */
export function readDoctorStatus(body: unknown): DoctorStatus {
  const status = readStatus(body);
  const raw = isJsonObject(body) ? body['store'] : undefined;
  if (raw === undefined || raw === null) return { status };
  if (!isJsonObject(raw) || typeof raw['name'] !== 'string' || typeof raw['reason'] !== 'string') return malformed();
  const store: AgentStore = { name: raw['name'], reason: raw['reason'] };
  const error = raw['error'];
  if (error !== undefined && error !== null && typeof error !== 'string') return malformed();
  if (typeof error === 'string' && error !== '') store.error = error;
  return { status, store };
}

function malformed(): never {
  throw new LatchkeyError('malformed_response', 'The Latchkey agent sent an answer without a valid "store".');
}
