import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../../../main/aws/environment';
import { HttpTransport } from '../../../main/aws/http-transport';
import { startConnectProxy, type ConnectProxy } from './support/connect-proxy';
import { closeServer, listen, sendJson, startStubServer, type StubServer } from './support/stub-server';

const CREDENTIALS_BODY = { roleCredentials: { accessKeyId: 'AKIA', secretAccessKey: 's', sessionToken: 't', expiration: 1 } };

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

function transportFor(baseUrl: string, env: Environment): HttpTransport {
  const transport = new HttpTransport({ baseUrl, env, timing: { maxAttempts: 1 } });
  open.push(transport);
  return transport;
}

function getCredentials(transport: HttpTransport) {
  return transport.call({ operation: 'GetRoleCredentials', method: 'GET', path: 'federation/credentials', query: { role_name: 'R', account_id: '1' }, safety: 'repeatable' });
}

async function stubAndProxy(): Promise<{ stub: StubServer; proxy: ConnectProxy }> {
  const stub = await startStubServer((_r, res) => sendJson(res, 200, CREDENTIALS_BODY));
  const proxy = await startConnectProxy();
  open.push(stub, proxy);
  return { stub, proxy };
}

describe('proxy', () => {
  it('sends an http endpoint through HTTP_PROXY', async () => {
    const { stub, proxy } = await stubAndProxy();
    await expect(getCredentials(transportFor(stub.baseUrl, { HTTP_PROXY: proxy.url }))).resolves.toEqual(CREDENTIALS_BODY);
    expect(proxy.tunnels).toEqual([new URL(stub.baseUrl).host]);
    expect(stub.requests).toHaveLength(1);
  });

  it('honours lowercase http_proxy', async () => {
    const { stub, proxy } = await stubAndProxy();
    await getCredentials(transportFor(stub.baseUrl, { http_proxy: proxy.url }));
    expect(proxy.tunnels).toHaveLength(1);
  });

  it('goes direct when NO_PROXY names the host', async () => {
    const { stub, proxy } = await stubAndProxy();
    await getCredentials(transportFor(stub.baseUrl, { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' }));
    expect(proxy.tunnels).toEqual([]);
    expect(stub.requests).toHaveLength(1);
  });

  it('does not use HTTPS_PROXY for an http endpoint', async () => {
    const { stub, proxy } = await stubAndProxy();
    await getCredentials(transportFor(stub.baseUrl, { HTTPS_PROXY: proxy.url }));
    expect(proxy.tunnels).toEqual([]);
  });

  it('reports an unreachable proxy as network_error', async () => {
    const { stub, proxy } = await stubAndProxy();
    await proxy.close();
    await expect(getCredentials(transportFor(stub.baseUrl, { HTTP_PROXY: proxy.url }))).rejects.toMatchObject({ code: 'network_error' });
  });

  it('rejects a proxy URL with an unsupported scheme as config_error', () => {
    expect(() => transportFor('http://127.0.0.1:1', { HTTP_PROXY: 'socks5://127.0.0.1:1080' })).toThrow(expect.objectContaining({ code: 'config_error' }));
  });
});

describe('AWS_CA_BUNDLE', () => {
  let certDir = '';
  let tls: { key: string; cert: string } | undefined;
  let skipReason = '';

  beforeAll(() => {
    certDir = mkdtempSync(join(tmpdir(), 'latchkey-ca-'));
    try {
      execFileSync('openssl', [
        'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1',
        '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem'),
      ], { stdio: 'pipe' });
      tls = {
        key: readFileSync(join(certDir, 'key.pem'), 'utf8'),
        cert: readFileSync(join(certDir, 'cert.pem'), 'utf8'),
      };
    } catch (error) {
      skipReason = `openssl could not make a test certificate: ${String(error)}`;
      console.warn(`AWS_CA_BUNDLE tests skipped: ${skipReason}`);
    }
  });

  afterAll(() => rmSync(certDir, { recursive: true, force: true }));

  async function startTlsStub(): Promise<string> {
    const server: HttpsServer = createHttpsServer({ key: tls?.key, cert: tls?.cert }, (_req, res) => sendJson(res, 200, CREDENTIALS_BODY));
    const port = await listen(server);
    open.push({ close: () => closeServer(server) });
    return `https://127.0.0.1:${port}`;
  }

  it('fails on a self-signed server without the bundle, with a hint and no retry', async (context) => {
    if (tls === undefined) context.skip(skipReason);
    const baseUrl = await startTlsStub();
    await expect(getCredentials(transportFor(baseUrl, {}))).rejects.toMatchObject({
      code: 'network_error',
      retryable: false,
      message: expect.stringContaining('AWS_CA_BUNDLE'),
    });
  });

  it('trusts the server once AWS_CA_BUNDLE names its certificate', async (context) => {
    if (tls === undefined) context.skip(skipReason);
    const baseUrl = await startTlsStub();
    const env = { AWS_CA_BUNDLE: join(certDir, 'cert.pem') };
    await expect(getCredentials(transportFor(baseUrl, env))).resolves.toEqual(CREDENTIALS_BODY);
  });

  it('trusts the bundle through an HTTPS_PROXY tunnel too', async (context) => {
    if (tls === undefined) context.skip(skipReason);
    const baseUrl = await startTlsStub();
    const proxy = await startConnectProxy();
    open.push(proxy);
    const env = { AWS_CA_BUNDLE: join(certDir, 'cert.pem'), HTTPS_PROXY: proxy.url };
    await expect(getCredentials(transportFor(baseUrl, env))).resolves.toEqual(CREDENTIALS_BODY);
    expect(proxy.tunnels).toEqual([new URL(baseUrl).host]);
  });

  it('rejects an unreadable bundle as config_error naming the path', () => {
    const missing = join(certDir, 'missing.pem');
    expect(() => transportFor('https://127.0.0.1:1', { AWS_CA_BUNDLE: missing })).toThrow(
      expect.objectContaining({ code: 'config_error', message: expect.stringContaining(missing) }),
    );
  });

  it('refuses a FIFO named as the bundle at once, instead of freezing on it', () => {
    const fifo = join(certDir, 'bundle.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(() => transportFor('https://127.0.0.1:1', { AWS_CA_BUNDLE: fifo })).toThrow(
      expect.objectContaining({ code: 'config_error', message: expect.stringContaining('named pipe') }),
    );
  });

  it.skipIf(process.getuid?.() !== 0)('refuses a bundle that belongs to another user, who could vouch for any server with it', () => {
    const theirs = join(certDir, 'theirs.pem');
    writeFileSync(theirs, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    chownSync(theirs, 4242, 4242);
    expect(() => transportFor('https://127.0.0.1:1', { AWS_CA_BUNDLE: theirs })).toThrow(
      expect.objectContaining({ code: 'config_error', message: expect.stringContaining('belongs to another user') }),
    );
  });

  it('rejects a bundle with no PEM certificate as config_error', () => {
    const junk = join(certDir, 'junk.pem');
    writeFileSync(junk, 'not a certificate');
    expect(() => transportFor('https://127.0.0.1:1', { AWS_CA_BUNDLE: junk })).toThrow(expect.objectContaining({ code: 'config_error' }));
  });
});
