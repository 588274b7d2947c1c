// The renderer's pure parts, in plain Node: the prompt's state machine, the countdown's
// announcement points and the time formats. The browser tests drive the same code end to end.
import { describe, expect, it } from 'vitest';
import type { SessionEvent, SignInProgress } from '../../../main/core/session-events';
import { crossedAnnouncement } from '../../../renderer/countdown';
import { errorText } from '../../../renderer/error-text';
import { formatCountdown, formatSeconds } from '../../../renderer/format-time';
import { failureSentence, nextPromptState, startingPrompt, type PromptState } from '../../../renderer/prompt-state';

const progress = (p: SignInProgress): SessionEvent => ({ type: 'sign-in-progress', session: 'corp', progress: p });
const codeIssued = progress({ type: 'code-issued', userCode: 'BCDF-GHJK', verificationUri: 'https://v', verificationUriComplete: 'https://v?c', expiresAtMs: 600_000 });

function run(...events: SessionEvent[]): PromptState {
  return events.reduce(nextPromptState, startingPrompt('corp'));
}

describe('the prompt state machine', () => {
  it.each<[string, SessionEvent[], string]>([
    ['code_issued_is_waiting', [codeIssued], 'waiting'],
    ['network_trouble_lasts_until_a_poll_is_answered', [codeIssued, progress({ type: 'network-trouble', retryAtMs: 5000, message: 'x' })], 'network-trouble'],
    ['an_answered_poll_ends_network_trouble_even_before_the_announced_retry', [codeIssued, progress({ type: 'network-trouble', retryAtMs: 5000, message: 'x' }), progress({ type: 'waiting', nextPollAtMs: 4000, intervalMs: 1000 })], 'waiting'],
    ['denied_waits_for_the_final_event', [codeIssued, progress({ type: 'denied' })], 'waiting'],
    ['denied_then_failed_is_denied', [codeIssued, progress({ type: 'denied' }), { type: 'sign-in-failed', session: 'corp', code: 'access_denied' }], 'denied'],
    ['expired_token_is_expired', [codeIssued, { type: 'sign-in-failed', session: 'corp', code: 'expired_token' }], 'expired'],
    ['cancelled_is_cancelled', [codeIssued, { type: 'sign-in-failed', session: 'corp', code: 'cancelled' }], 'cancelled'],
    ['approved_then_signed_in', [codeIssued, progress({ type: 'approved' }), { type: 'signed-in', session: 'corp', accessTokenExpiresAtMs: 9, refreshable: true }], 'approved'],
    ['a_new_code_after_an_outcome_is_a_new_flow', [codeIssued, { type: 'sign-in-failed', session: 'corp', code: 'access_denied' }, codeIssued], 'waiting'],
    ['stale_progress_after_an_outcome_is_ignored', [codeIssued, { type: 'sign-in-failed', session: 'corp', code: 'expired_token' }, progress({ type: 'waiting', nextPollAtMs: 1, intervalMs: 1 })], 'expired'],
    ['events_of_other_sessions_are_ignored', [{ ...codeIssued, session: 'lab' } as SessionEvent], 'starting'],
  ])('%s', (_name, events, phase) => {
    expect(run(...events).phase).toBe(phase);
  });

  it.each([true, false])('keeps for the approved screen whether the sign-in renews by itself: %s', (refreshable) => {
    const state = run(codeIssued, { type: 'signed-in', session: 'corp', accessTokenExpiresAtMs: 9, refreshable });
    expect(state).toMatchObject({ phase: 'approved', signedInUntilMs: 9, renews: refreshable });
  });

  it('keeps the failure message of the flow for the final event', () => {
    const state = run(codeIssued, progress({ type: 'failed', code: 'invalid_request', message: 'The start URL is wrong.' }), { type: 'sign-in-failed', session: 'corp', code: 'invalid_request' });
    expect(state.phase).toBe('failed');
    expect(failureSentence(state.failure)).toBe('The start URL is wrong.');
    expect(failureSentence({ code: 'network_error' })).toMatch(/^Couldn’t reach AWS/);
  });

  it.each(['invalid_request', 'invalid_client', 'unauthorized_client', 'invalid_grant', 'invalid_scope', 'unsupported_grant_type', 'unknown_error', 'some_future_code'])(
    'never shows the raw code %s in the window, even when the message names it',
    (code) => {
      const sentence = failureSentence(code === 'some_future_code' ? { code } : { code, message: `The sign-in failed with error "${code}".` });
      expect(sentence).not.toContain(code);
      expect(sentence).toMatch(/Try again|Check it/);
    },
  );

  it('keeps a sentence Latchkey wrote for a code it has no words of its own for', () => {
    expect(failureSentence({ code: 'config_error', message: 'The start URL is wrong.' })).toBe('The start URL is wrong.');
  });
});

describe('the countdown', () => {
  it.each([
    [301_000, 300_000, 300_000],
    [300_000, 299_000, undefined],
    [61_000, 60_000, 60_000],
    [1000, 0, 0],
    [1000, -500, 0],
    [10_000, 9000, undefined],
  ])('from %d ms to %d ms announces %s', (previous, now, expected) => {
    expect(crossedAnnouncement(previous, now)).toBe(expected);
  });

  it.each([
    [581_000, '9:41'],
    [580_001, '9:41'],
    [59_000, '0:59'],
    [0, '0:00'],
    [-5, '0:00'],
    [3_723_000, '1:02:03'],
  ])('shows %d ms as %s', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text);
  });

  it('words retry waits in whole seconds', () => {
    expect(formatSeconds(7_200)).toBe('8 s');
  });
});

describe('errorText', () => {
  it.each([
    ['the_main_process_json_after_electrons_prefix', new Error('Error invoking remote method \'latchkey:signOut\': Error: {"code":"forbidden","message":"This page may not use Latchkey."}'), 'This page may not use Latchkey.'],
    ['a_plain_latchkey_error', new Error('LatchkeyError: Session "x" is not signed in.'), 'Session "x" is not signed in.'],
    ['a_plain_message', new Error('Something broke.'), 'Something broke.'],
    ['not_an_error', 'just text', 'just text'],
  ])('%s', (_name, error, expected) => {
    expect(errorText(error)).toBe(expected);
  });
});
