import { LATCHKEY_VERSION } from '../core/version';

/** `latchkey/0.1.0 (node/20.19.0; darwin)`: lets AWS and proxies tell Latchkey's calls apart. */
export function latchkeyUserAgent(): string {
  return `latchkey/${LATCHKEY_VERSION} (node/${process.versions.node}; ${process.platform})`;
}
