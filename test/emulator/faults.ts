import { FieldError, optionalInteger, rejectUnknownFields, requiredInteger, type Fields } from './body-fields';
import { defaultAlteredField, isFieldPath, type AlteredField, type FieldAlteration } from './altered-answer';
import { isOperationName, type OperationName } from './operations';

const MAX_FAULT_COUNT = 10_000;
/** Long enough to trip any client timeout, short enough that a forgotten fault cannot wedge a run. */
const MAX_FAULT_DELAY_MS = 120_000;

/** Bodies sent instead of the real answer, which is then not computed at all. */
export type BrokenBody = 'malformed' | 'truncated';

const BODY_KINDS = ['malformed', 'truncated', 'reset', 'missing-field', 'wrong-type'] as const;
type BodyKind = (typeof BODY_KINDS)[number];

/**
 * What happens to one faulted call: an optional delay, then one of an error status, a
 * broken body, a connection reset with no answer at all, or the real answer with one
 * field removed or retyped (or, with only a delay, the real answer).
 */
export interface Fault {
  delayMs?: number;
  status?: number;
  body?: BrokenBody;
  /** The connection is reset (TCP RST) before a byte of answer, and the operation is not performed. */
  reset?: true;
  alter?: FieldAlteration;
}

/** The CreateToken grants a fault can be limited to, as the wire names them. */
export const FAULT_GRANT_TYPES = ['urn:ietf:params:oauth:grant-type:device_code', 'authorization_code', 'refresh_token'] as const;
export type FaultGrantType = (typeof FAULT_GRANT_TYPES)[number];

export interface FaultRequest {
  operation: OperationName;
  count: number;
  fault: Fault;
  /** CreateToken only: the fault applies to calls of this grant alone; other grants pass it by. */
  grantType?: FaultGrantType;
}

interface QueuedFault {
  remaining: number;
  fault: Fault;
  grantType?: FaultGrantType;
}

/** Faults queued per operation, each for its next `count` calls, in the order they were added. */
export class FaultQueue {
  private readonly queues = new Map<OperationName, QueuedFault[]>();

  add(request: FaultRequest): void {
    const queue = this.queues.get(request.operation) ?? [];
    queue.push({ remaining: request.count, fault: request.fault, ...(request.grantType === undefined ? {} : { grantType: request.grantType }) });
    this.queues.set(request.operation, queue);
  }

  /** Whether a queued fault of the operation waits for one grant: the caller must then say the call's. */
  limitsGrant(operation: OperationName): boolean {
    return this.queues.get(operation)?.some((queued) => queued.grantType !== undefined) ?? false;
  }

  /** The first queued fault that applies to this call, used up by one. */
  take(operation: OperationName, grantType?: string): Fault | undefined {
    const queue = this.queues.get(operation) ?? [];
    const index = queue.findIndex((queued) => queued.grantType === undefined || queued.grantType === grantType);
    const queued = queue[index];
    if (queued === undefined) return undefined;
    queued.remaining -= 1;
    if (queued.remaining === 0) queue.splice(index, 1);
    return queued.fault;
  }

  clear(): void {
    this.queues.clear();
  }
}

function isBodyKind(value: unknown): value is BodyKind {
  return typeof value === 'string' && (BODY_KINDS as readonly string[]).includes(value);
}

export function readFaultBody(body: Fields): FaultRequest {
  rejectUnknownFields(body, ['operation', 'count', 'status', 'delayMs', 'body', 'field', 'grantType']);
  const operation = body['operation'];
  if (!isOperationName(operation)) throw new FieldError('operation must name a wire operation, e.g. "CreateToken".');
  const count = requiredInteger(body, 'count', 1, MAX_FAULT_COUNT);
  const status = optionalInteger(body, 'status', 400, 599);
  const delayMs = optionalInteger(body, 'delayMs', 0, MAX_FAULT_DELAY_MS);
  const bodyKind = body['body'];
  if (bodyKind !== undefined && !isBodyKind(bodyKind)) throw new FieldError(`body must be one of ${BODY_KINDS.map((kind) => `"${kind}"`).join(', ')}.`);
  if (status !== undefined && bodyKind !== undefined) throw new FieldError('Give status or body, not both.');
  if (status === undefined && delayMs === undefined && bodyKind === undefined) {
    throw new FieldError('Give at least one of status, delayMs, body.');
  }
  const fault: Fault = {};
  if (status !== undefined) fault.status = status;
  if (delayMs !== undefined) fault.delayMs = delayMs;
  if (bodyKind === 'malformed' || bodyKind === 'truncated') fault.body = bodyKind;
  if (bodyKind === 'reset') fault.reset = true;
  if (bodyKind === 'missing-field' || bodyKind === 'wrong-type') fault.alter = readAlteration(operation, bodyKind, body['field']);
  else if (body['field'] !== undefined) throw new FieldError('field goes only with body "missing-field" or "wrong-type".');
  const grantType = readGrantType(operation, body['grantType']);
  return { operation, count, fault, ...(grantType === undefined ? {} : { grantType }) };
}

function readGrantType(operation: OperationName, grantType: unknown): FaultGrantType | undefined {
  if (grantType === undefined) return undefined;
  if (operation !== 'CreateToken') throw new FieldError('grantType goes only with operation "CreateToken".');
  if (!isFaultGrantType(grantType)) throw new FieldError(`grantType must be one of ${FAULT_GRANT_TYPES.map((type) => `"${type}"`).join(', ')}.`);
  return grantType;
}

function isFaultGrantType(value: unknown): value is FaultGrantType {
  return typeof value === 'string' && (FAULT_GRANT_TYPES as readonly string[]).includes(value);
}

function readAlteration(operation: OperationName, kind: AlteredField, field: unknown): FieldAlteration {
  if (field === undefined) {
    const fallback = defaultAlteredField(operation);
    if (fallback === undefined) throw new FieldError(`${operation} answers without a JSON body, so it has no field to alter.`);
    return { kind, field: fallback };
  }
  if (!isFieldPath(field)) throw new FieldError('field must be a dotted path of JSON member names, e.g. "roleCredentials.secretAccessKey".');
  if (defaultAlteredField(operation) === undefined) throw new FieldError(`${operation} answers without a JSON body, so it has no field to alter.`);
  return { kind, field };
}
