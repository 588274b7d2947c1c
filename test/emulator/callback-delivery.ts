import { request, type ClientRequest } from 'node:http';

/** A loopback listener answers at once or not at all. */
const DELIVERY_TIMEOUT_MS = 5000;

/**
 * Follows an authorization redirect on the browser's behalf. When a pending /authorize
 * request is approved through the admin API there is no browser to carry the code to
 * the client's loopback listener, so the emulator makes that GET itself.
 */
export class CallbackDelivery {
  private readonly inFlight = new Set<ClientRequest>();

  deliver(location: string): void {
    const outgoing = request(location, { method: 'GET', timeout: DELIVERY_TIMEOUT_MS });
    this.inFlight.add(outgoing);
    outgoing.on('response', (response) => response.resume());
    outgoing.on('timeout', () => outgoing.destroy());
    // A client that stopped listening is its own problem; the emulator carries on.
    outgoing.on('error', () => undefined);
    outgoing.on('close', () => this.inFlight.delete(outgoing));
    outgoing.end();
  }

  close(): void {
    for (const outgoing of this.inFlight) outgoing.destroy();
    this.inFlight.clear();
  }
}
