import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentHarness } from './agent-harness';
import { EventStream } from './event-stream';

let harness: AgentHarness;
const streams: EventStream[] = [];

beforeEach(async () => {
  harness = await AgentHarness.start({ emulator: { autoApprove: false, intervalSeconds: 1 }, agent: { eventHeartbeatMs: 50 } });
});

afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  await harness.close();
});

async function follow(path?: string): Promise<EventStream> {
  const stream = await EventStream.open(harness.socketPath, path);
  streams.push(stream);
  return stream;
}

function codeIssued(event: Record<string, unknown>): boolean {
  return event.type === 'sign-in-progress' && (event.progress as { type: string }).type === 'code-issued';
}

async function startDeviceCode(): Promise<string> {
  const events = await follow();
  const started = await harness.request('POST', '/v1/sessions/corp/sign-in', { body: { flow: 'device-code', openBrowser: false } });
  expect(started).toMatchObject({ status: 202, json: { state: 'signing-in' } });
  const issued = await events.next(codeIssued);
  return (issued.progress as { userCode: string }).userCode;
}

describe('a device-code sign-in through the routes', () => {
  it('shows the user code on the event stream and signs in once approved', async () => {
    const events = await follow();
    await harness.request('POST', '/v1/sessions/corp/sign-in', { body: { flow: 'device-code', openBrowser: false } });
    const issued = await events.next(codeIssued);
    expect(issued).toEqual({
      type: 'sign-in-progress',
      session: 'corp',
      progress: {
        type: 'code-issued',
        userCode: expect.stringMatching(/^[A-Z]{4}-[A-Z]{4}$/),
        verificationUri: expect.any(String),
        verificationUriComplete: expect.any(String),
        expiresAt: expect.stringMatching(/Z$/),
      },
    });
    expect((await harness.request('GET', '/v1/status')).json).toMatchObject({ sessions: [{ state: 'signing-in' }] });
    await harness.emulatorAdmin('POST', 'approve', { userCode: (issued.progress as { userCode: string }).userCode });
    const waited = await harness.request('POST', '/v1/sessions/corp/sign-in/wait?timeoutSeconds=10');
    expect(waited).toMatchObject({ status: 200, json: { state: 'signed-in' } });
    expect(await events.next((e) => e.type === 'signed-in')).toMatchObject({ session: 'corp', accessTokenExpiresAt: expect.any(String) });
    expect(harness.openedUrls).toEqual([]);
  });

  it('replays the prompt of a sign-in in flight to a stream that connects late', async () => {
    const userCode = await startDeviceCode();
    const late = await follow('/v1/events?session=corp');
    const replayed = await late.next(codeIssued);
    expect((replayed.progress as { userCode: string }).userCode).toBe(userCode);
  });

  it('answers the wait with 409 access_denied when the person declines', async () => {
    const userCode = await startDeviceCode();
    await harness.emulatorAdmin('POST', 'deny', { userCode });
    const waited = await harness.request('POST', '/v1/sessions/corp/sign-in/wait?timeoutSeconds=10');
    expect(waited).toMatchObject({ status: 409, json: { error: { code: 'access_denied' } } });
    // A wait that arrives after the failure still learns why.
    const again = await harness.request('POST', '/v1/sessions/corp/sign-in/wait');
    expect(again).toMatchObject({ status: 409, json: { error: { code: 'access_denied' } } });
  });

  it('cancels the sign-in in flight', async () => {
    await startDeviceCode();
    const waiting = harness.request('POST', '/v1/sessions/corp/sign-in/wait?timeoutSeconds=10');
    expect((await harness.request('DELETE', '/v1/sessions/corp/sign-in')).status).toBe(204);
    expect(await waiting).toMatchObject({ status: 409, json: { error: { code: 'cancelled' } } });
  });

  it('answers a wait that runs out with 202 signing-in', async () => {
    await startDeviceCode();
    const waited = await harness.request('POST', '/v1/sessions/corp/sign-in/wait?timeoutSeconds=0');
    expect(waited).toMatchObject({ status: 202, json: { state: 'signing-in' } });
  });

  it('opens the verification page when the caller asks for a browser', async () => {
    const events = await follow();
    await harness.request('POST', '/v1/sessions/corp/sign-in', { body: { flow: 'device-code', openBrowser: true } });
    const issued = await events.next(codeIssued);
    expect(harness.openedUrls).toEqual([(issued.progress as { verificationUriComplete: string }).verificationUriComplete]);
  });

  it('keeps the stream alive with comments and ends it when the agent stops', async () => {
    const events = await follow();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(events.comments).toBeGreaterThanOrEqual(2);
    await harness.agent.close();
    await events.untilEnded();
    expect(events.ended).toBe(true);
  });
});
