import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { awsSsoCacheFilePath } from '../../main/aws/aws-sso-cache-file';
import { parseAwsConfig } from '../../main/core/aws-config';
import { parseAwsSsoCacheEntry, type AwsSsoCacheEntry } from '../../main/core/aws-sso-cache-entry';
import { beginMarker, endMarker } from '../../main/core/aws-config-profile-block';
import { decodeSecretRecord } from '../../main/core/secret-records';
import { parseSecretRecordKey } from '../../main/core/secret-records-keys';
import type { StoredRegistration, StoredTokens } from '../../main/core/session-vault';
import { isChunkAccount, parseChunkAccount, parseStoredBlob } from '../../main/store/keychain-blob-format';
import { loadKeytarModule } from '../../main/store/keytar-api';
import { SESSION, USER_PREAMBLE, USER_TRAILER, type DurabilityWorld } from './durability-world';

/**
 * What must hold after every kill and restart, read the way the product reads it. Each
 * check throws an Error naming what broke; none of them looks at secret values beyond
 * comparing them.
 */

export interface KeychainReading {
  /** Logical records that read back whole and decoded as the vault decodes them. */
  records: number;
  /** Of those, stored as chunks joined under a head. */
  chunked: number;
  /** Chunk records no head names (a write or delete cut short): unreachable, removed by the next write of the key. */
  orphanChunks: number;
  tokens?: StoredTokens;
  registration?: StoredRegistration;
}

/** Every record of the service reads back whole, decodes, and the records agree with each other. */
export async function checkKeychain(world: DurabilityWorld): Promise<KeychainReading> {
  const keytar = await loadKeytarModule();
  const raw = await keytar.findCredentials(world.service);
  const heads = new Map<string, string>();
  for (const { account, password } of raw) if (!isChunkAccount(account)) heads.set(account, password);
  const reading: KeychainReading = { records: 0, chunked: 0, orphanChunks: 0 };
  for (const { account } of raw) {
    if (!isChunkAccount(account)) continue;
    const chunk = parseChunkAccount(account);
    if (chunk === undefined) throw new Error(`the keychain holds ${account}, which is neither a record nor a chunk of one`);
    const head = heads.get(chunk.key);
    const blob = head === undefined ? undefined : parseStoredBlob(head);
    if (blob?.kind !== 'head' || blob.head.generation !== chunk.generation) reading.orphanChunks += 1;
  }
  for (const [key, stored] of heads) {
    const ref = parseSecretRecordKey(key);
    if (ref === undefined) throw new Error(`the keychain holds a record under ${key}, which is no key Latchkey writes`);
    const blob = parseStoredBlob(stored);
    if (blob.kind === 'foreign') throw new Error(`the ${key} record is neither inline nor a chunk head: torn`);
    // The store's own read: the head's chunks joined and their hash checked.
    const text = await world.store.get(key);
    if (text === undefined) throw new Error(`the ${key} record has a head whose chunks do not join: torn`);
    const decoded = decodeSecretRecord(ref.kind, text);
    if (!decoded.ok) throw new Error(`the ${key} record does not decode (${decoded.reason}: ${decoded.detail})`);
    reading.records += 1;
    if (blob.kind === 'head') reading.chunked += 1;
    if (ref.session !== SESSION) throw new Error(`a record of an unknown session ${ref.session}`);
    if (ref.kind === 'token') reading.tokens = decoded.record as StoredTokens;
    if (ref.kind === 'registration') reading.registration = decoded.record as StoredRegistration;
  }
  const { tokens, registration } = reading;
  if (tokens !== undefined && tokens.refreshToken !== undefined && registration?.clientId !== tokens.clientId) {
    throw new Error('the token record names a client registration the keychain does not hold: it could never be refreshed');
  }
  return reading;
}

export interface ConfigReading {
  /** Whether Latchkey's block is in the file. */
  hasBlock: boolean;
  /** Profiles the file defines (the user's and the block's). */
  profiles: number;
  /** `.config.*.tmp` files a write cut short left beside the config; no AWS tool reads them. */
  strayTempFiles: number;
}

/**
 * The config parses with no problems, the user's lines outside Latchkey's block are byte
 * for byte what they wrote, the block is whole (BEGIN and END), and the backup, when there
 * is one, is a whole earlier version of the file.
 */
export async function checkConfig(world: DurabilityWorld): Promise<ConfigReading> {
  const path = world.configFile;
  const text = await readFile(path, 'utf8');
  const original = userText(world);
  const outside = withoutBlock(text, path);
  if (outside.text !== original && outside.text !== `${original}\n`) {
    throw new Error(`the user's lines in ${path} changed:\n${text}`);
  }
  const config = parseAwsConfig(text, path);
  if (config.problems.length > 0) throw new Error(`the config has problems: ${config.problems.map((p) => p.message).join('; ')}`);
  if (!config.ssoSessions.has(SESSION)) throw new Error('the config lost the sso-session');
  const backupPath = `${path}.latchkey-backup`;
  const backup = await readFile(backupPath, 'utf8').catch(() => undefined);
  if (backup !== undefined) {
    const backupOutside = withoutBlock(backup, backupPath).text;
    if (backupOutside !== original && backupOutside !== `${original}\n`) throw new Error(`the backup ${backupPath} is not a whole earlier version`);
    if (parseAwsConfig(backup, backupPath).problems.length > 0) throw new Error(`the backup ${backupPath} does not parse cleanly`);
  }
  const strays = (await readdir(dirname(path))).filter((name) => name.startsWith(`.${basename(path)}.`) && name.endsWith('.tmp'));
  return { hasBlock: outside.hadBlock, profiles: config.profiles.size, strayTempFiles: strays.length };
}

function userText(world: DurabilityWorld): string {
  return world.syncAwsCache ? `${USER_PREAMBLE}latchkey_sync_aws_cache = true\n${USER_TRAILER}` : `${USER_PREAMBLE}${USER_TRAILER}`;
}

function withoutBlock(text: string, path: string): { text: string; hadBlock: boolean } {
  const begin = text.indexOf(beginMarker(SESSION));
  const endLine = `${endMarker(SESSION)}\n`;
  const end = text.indexOf(endLine);
  if (begin === -1 && end === -1) return { text, hadBlock: false };
  if (begin === -1 || end === -1 || end < begin) throw new Error(`${path} holds half of Latchkey's block:\n${text}`);
  if (text.indexOf(beginMarker(SESSION), begin + 1) !== -1) throw new Error(`${path} holds Latchkey's block twice`);
  return { text: text.slice(0, begin) + text.slice(end + endLine.length), hadBlock: true };
}

export interface CacheReading {
  entry?: AwsSsoCacheEntry;
  strayTempFiles: number;
}

/** The AWS CLI's cache file, when there is one, parses as botocore would read it. */
export async function checkAwsSsoCache(world: DurabilityWorld): Promise<CacheReading> {
  const path = awsSsoCacheFilePath(world.dir, SESSION);
  const directory = dirname(path);
  const names = await readdir(directory).catch(() => [] as string[]);
  const strays = names.filter((name) => name.endsWith('.tmp')).length;
  const others = names.filter((name) => !name.endsWith('.tmp') && name !== basename(path));
  if (others.length > 0) throw new Error(`the AWS CLI cache holds files nobody wrote: ${others.join(', ')}`);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return { strayTempFiles: strays };
  const entry = parseAwsSsoCacheEntry(text);
  if (entry === undefined) throw new Error(`the AWS CLI cache file ${path} is half-written:\n${text}`);
  const json = JSON.parse(text) as Record<string, unknown>;
  for (const field of ['startUrl', 'region', 'accessToken', 'expiresAt']) {
    if (typeof json[field] !== 'string') throw new Error(`the AWS CLI cache file lacks ${field}`);
  }
  return { entry, strayTempFiles: strays };
}
