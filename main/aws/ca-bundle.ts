import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { LatchkeyError } from '../core/errors';
import type { Environment } from './environment';

/**
 * The certificate authorities to trust: undefined (Node's defaults) unless
 * `AWS_CA_BUNDLE` names a PEM file, and then the system roots plus that file.
 * Node's `ca` option replaces the roots rather than adding to them, so the
 * roots are passed explicitly; a corporate CA must not cut off the public ones.
 */
export function loadCertificateAuthorities(
  env: Environment,
  readFile: (path: string) => string = readUtf8,
): string[] | undefined {
  const path = env.AWS_CA_BUNDLE?.trim();
  if (path === undefined || path === '') return undefined;
  let bundle: string;
  try {
    bundle = readFile(path);
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new LatchkeyError('config_error', `AWS_CA_BUNDLE names ${path}, which cannot be read (${reason})`);
  }
  if (!bundle.includes('-----BEGIN CERTIFICATE-----')) {
    throw new LatchkeyError('config_error', `AWS_CA_BUNDLE names ${path}, which holds no PEM certificate`);
  }
  return [...rootCertificates, bundle];
}

function readUtf8(path: string): string {
  return readFileSync(path, 'utf8');
}
