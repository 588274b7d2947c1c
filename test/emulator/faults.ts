import { FieldError, optionalInteger, rejectUnknownFields, requiredInteger, type Fields } from './body-fields';
import { isOperationName, type OperationName } from './operations';

const MAX_FAULT_COUNT = 10_000;
/** Long enough to trip any client timeout, short enough that a forgotten fault cannot wedge a run. */
const MAX_FAULT_DELAY_MS = 120_000;

export type BrokenBody = 'malformed' | 'truncated';

/** What happens to one faulted call: an optional delay, then an error status or a broken body (or the real answer). */
export interface Fault {
  delayMs?: number;
  status?: number;
  body?: BrokenBody;
}

export interface FaultRequest {
  operation: OperationName;
  count: number;
  fault: Fault;
}

/** Faults queued per operation, each for its next `count` calls, in the order they were added. */
export class FaultQueue {
  private readonly queues = new Map<OperationName, { remaining: number; fault: Fault }[]>();

  add(request: FaultRequest): void {
    const queue = this.queues.get(request.operation) ?? [];
    queue.push({ remaining: request.count, fault: request.fault });
    this.queues.set(request.operation, queue);
  }

  take(operation: OperationName): Fault | undefined {
    const queue = this.queues.get(operation);
    const head = queue?.[0];
    if (queue === undefined || head === undefined) return undefined;
    head.remaining -= 1;
    if (head.remaining === 0) queue.shift();
    return head.fault;
  }

  clear(): void {
    this.queues.clear();
  }
}

export function readFaultBody(body: Fields): FaultRequest {
  rejectUnknownFields(body, ['operation', 'count', 'status', 'delayMs', 'body']);
  const operation = body['operation'];
  if (!isOperationName(operation)) throw new FieldError('operation must name a wire operation, e.g. "CreateToken".');
  const count = requiredInteger(body, 'count', 1, MAX_FAULT_COUNT);
  const status = optionalInteger(body, 'status', 400, 599);
  const delayMs = optionalInteger(body, 'delayMs', 0, MAX_FAULT_DELAY_MS);
  const brokenBody = body['body'];
  if (brokenBody !== undefined && brokenBody !== 'malformed' && brokenBody !== 'truncated') {
    throw new FieldError('body must be "malformed" or "truncated".');
  }
  if (status !== undefined && brokenBody !== undefined) throw new FieldError('Give status or body, not both.');
  if (status === undefined && delayMs === undefined && brokenBody === undefined) {
    throw new FieldError('Give at least one of status, delayMs, body.');
  }
  const fault: Fault = {};
  if (status !== undefined) fault.status = status;
  if (delayMs !== undefined) fault.delayMs = delayMs;
  if (brokenBody !== undefined) fault.body = brokenBody;
  return { operation, count, fault };
}
