import { rootCertificates } from 'node:tls';
import { LatchkeyError } from '../core/errors';
import { readRegularFileSync } from '../files/read-regular-file';
import type { Environment } from './environment';

/** A PEM bundle of a few hundred certificates is well under 1 MiB; the system one is about 200 KiB. */
const CA_BUNDLE_MAX_BYTES = 10 * 1024 * 1024;

/**
 * The certificate authorities to trust: undefined (Node's defaults) unless
 * `AWS_CA_BUNDLE` names a PEM file, and then the system roots plus that file.
 * Node's `ca` option replaces the roots rather than adding to them, so the
 * roots are passed explicitly; a corporate CA must not cut off the public ones.
 * The file is a trust anchor: read only if it is a regular file of this user or root
 * (another user's would let them vouch for any server), bounded, without blocking.
 */
export function loadCertificateAuthorities(env: Environment): string[] | undefined {
  const path = env.AWS_CA_BUNDLE?.trim();
  if (path === undefined || path === '') return undefined;
  const bundle = readRegularFileSync(path, { description: 'the AWS_CA_BUNDLE file', maxBytes: CA_BUNDLE_MAX_BYTES, followSymlinks: true });
  if (bundle === undefined) throw new LatchkeyError('config_error', `AWS_CA_BUNDLE names ${path}, which does not exist.`);
  if (!bundle.includes('-----BEGIN CERTIFICATE-----')) {
    throw new LatchkeyError('config_error', `AWS_CA_BUNDLE names ${path}, which holds no PEM certificate`);
  }
  return [...rootCertificates, bundle];
}
