import { describe, expect, it } from 'vitest';
import { clockCheck, doctorExitCode, failed, orderedChecks, passed, skipped } from '../../../main/core/doctor-checks';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const MINUTE = 60_000;

describe('clockCheck', () => {
  it.each([
    ['in_step', 0, 'ok', 'in step with oidc.test'],
    ['four_minutes_behind_passes', -4 * MINUTE, 'ok', '4 minutes behind oidc.test, within 5 minutes'],
    ['six_minutes_ahead_fails', 6 * MINUTE, 'fail', "this machine's clock is 6 minutes ahead of oidc.test"],
    ['hours_behind_fails', -(3 * 60 + 5) * MINUTE, 'fail', "this machine's clock is 3 hours 5 minutes behind oidc.test"],
  ])('%s', (_name, skewMs, state, summary) => {
    const check = clockCheck(NOW + skewMs, new Date(NOW).toUTCString(), 'oidc.test');
    expect(check).toMatchObject({ id: 'clock', state, summary });
    expect(check.fixes.length > 0).toBe(state === 'fail');
  });

  it('cannot tell without a Date header, and does not fail', () => {
    expect(clockCheck(NOW, undefined, 'oidc.test')).toMatchObject({ state: 'unknown' });
    expect(clockCheck(NOW, 'yesterday', 'oidc.test')).toMatchObject({ state: 'unknown' });
  });
});

describe('doctor verdict', () => {
  it('exits 1 for any failure, and 0 when the rest only skipped or could not tell', () => {
    expect(doctorExitCode([passed('config', ''), skipped('store', ''), { id: 'clock', state: 'unknown', summary: '', fixes: [] }])).toBe(0);
    expect(doctorExitCode([passed('config', ''), failed('agent', '', ['start one'])])).toBe(1);
  });

  it('orders the checks as a headless user needs them', () => {
    const ids = orderedChecks([passed('clock', ''), passed('socket', ''), passed('config', ''), passed('store', ''), passed('endpoints', ''), passed('agent', '')]).map((c) => c.id);
    expect(ids).toEqual(['config', 'agent', 'socket', 'store', 'endpoints', 'clock']);
  });
});
