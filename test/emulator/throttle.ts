import { FieldError, rejectUnknownFields, type Fields } from './body-fields';
import { isOperationName, type OperationName } from './operations';

/** The window AWS rate limits are stated over. */
const WINDOW_MS = 1000;

export interface ThrottleChange {
  operation: OperationName;
  /** Calls admitted per rolling second; null lifts the limit. */
  perSecond: number | null;
}

/** Per-operation limits over a rolling second of the emulator clock. */
export class Throttle {
  private readonly limits = new Map<OperationName, { perSecond: number; admittedAtMs: number[] }>();

  set(change: ThrottleChange): void {
    if (change.perSecond === null) this.limits.delete(change.operation);
    else this.limits.set(change.operation, { perSecond: change.perSecond, admittedAtMs: [] });
  }

  /** Whether a call is admitted now; only admitted calls use up the allowance. */
  admit(operation: OperationName, nowMs: number): boolean {
    const limit = this.limits.get(operation);
    if (limit === undefined) return true;
    while (limit.admittedAtMs.length > 0 && (limit.admittedAtMs[0] ?? 0) <= nowMs - WINDOW_MS) limit.admittedAtMs.shift();
    if (limit.admittedAtMs.length >= limit.perSecond) return false;
    limit.admittedAtMs.push(nowMs);
    return true;
  }

  clear(): void {
    this.limits.clear();
  }
}

export function readThrottleBody(body: Fields): ThrottleChange {
  rejectUnknownFields(body, ['operation', 'perSecond']);
  const operation = body['operation'];
  if (!isOperationName(operation)) throw new FieldError('operation must name a wire operation, e.g. "ListAccountRoles".');
  const perSecond = body['perSecond'];
  if (perSecond === null) return { operation, perSecond: null };
  if (typeof perSecond !== 'number' || !Number.isInteger(perSecond) || perSecond < 0) {
    throw new FieldError('perSecond must be a non-negative integer, or null to remove the limit.');
  }
  return { operation, perSecond };
}
