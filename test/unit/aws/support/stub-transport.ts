import { HttpTransport, type HttpTransportOptions } from '../../../../main/aws/http-transport';
import { FakeClock } from '../../../support/fake-clock';
import { fixedRandom } from '../../../support/fixed-random';
import { startStubServer, type StubHandler, type StubServer } from './stub-server';

const open: { transport: HttpTransport; stub: StubServer }[] = [];

/**
 * A transport on a fresh stub server, with a fake clock and a fixed random source so
 * backoff is instant and exact. Test files close them with `closeStubTransports` in afterEach.
 */
export async function stubTransport(handler: StubHandler, timing?: HttpTransportOptions['timing']): Promise<{ transport: HttpTransport; stub: StubServer }> {
  const stub = await startStubServer(handler);
  const transport = new HttpTransport({ baseUrl: stub.baseUrl, env: {}, clock: new FakeClock({ autoAdvance: true }), random: fixedRandom(0), ...(timing ? { timing } : {}) });
  open.push({ transport, stub });
  return { transport, stub };
}

export async function closeStubTransports(): Promise<void> {
  for (const { transport, stub } of open.splice(0)) {
    transport.close();
    await stub.close();
  }
}
