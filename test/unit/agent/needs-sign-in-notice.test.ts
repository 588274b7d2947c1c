import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../main/agent/agent-event';
import { NeedsSignInNotice } from '../../../main/agent/needs-sign-in-notice';
import { Emitter } from '../../../main/core/emitter';
import { NEEDS_SIGN_IN_NOTICE_INTERVAL_MS } from '../../../main/core/time-windows';
import { FakeClock } from '../../support/fake-clock';

describe('NeedsSignInNotice', () => {
  it('fires at most once per session per window', async () => {
    const clock = new FakeClock();
    const events = new Emitter<AgentEvent>();
    const fired: AgentEvent[] = [];
    events.on((event) => fired.push(event));
    const notice = new NeedsSignInNotice(clock, events);
    expect(notice.notify('corp', 'dev')).toBe(true);
    expect(notice.notify('corp')).toBe(false);
    expect(notice.notify('other')).toBe(true);
    await clock.advance(NEEDS_SIGN_IN_NOTICE_INTERVAL_MS - 1);
    expect(notice.notify('corp')).toBe(false);
    await clock.advance(1);
    expect(notice.notify('corp')).toBe(true);
    expect(fired).toEqual([
      { type: 'needs-sign-in', session: 'corp', profile: 'dev' },
      { type: 'needs-sign-in', session: 'other' },
      { type: 'needs-sign-in', session: 'corp' },
    ]);
  });

  it('fires again at once after a sign-in', () => {
    const notice = new NeedsSignInNotice(new FakeClock(), new Emitter<AgentEvent>());
    notice.notify('corp');
    notice.forget('corp');
    expect(notice.notify('corp')).toBe(true);
  });
});
