// The Electron security gate of `npm test`: runs @doyensec/electronegativity over the code
// that runs in Electron (main/desktop, preload, renderer), writes its SARIF report, and
// fails on any finding of high or medium severity, and on any low or informational one
// that docs/security.md does not accept with a reason. Electronegativity itself exits 0
// whatever it finds, so the gate reads the results instead.
//
//   node scripts/electronegativity-gate.mjs [--sarif PATH]
//
// Why TypeScript sources rather than dist/: electronegativity reads .ts and .html, but it
// skips .mjs and .cjs, which is all the bundled main process and preload are.
import run from '@doyensec/electronegativity';
import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

const SCANNED = ['main/desktop', 'preload', 'renderer'];
const ACCEPTED_DOC = 'docs/security.md';
const TABLE_START = '<!-- electronegativity-accepted:start -->';
const TABLE_END = '<!-- electronegativity-accepted:end -->';
/**
 * AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK downloads Electron's release list on every run:
 * offline it only costs seconds, and its answer changes with the calendar, not the code.
 * Keeping Electron current is the job of dependency updates, not of this gate.
 */
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];
/** How long to wait for the SARIF file: electronegativity writes it without awaiting. */
const SARIF_WRITE_TIMEOUT_MS = 5_000;
const BLOCKING = new Set(['HIGH', 'MEDIUM']);

const { values: options } = parseArgs({ options: { sarif: { type: 'string', default: 'out/security/electronegativity.sarif' } } });
const sarifPath = resolve(options.sarif);

const { version: electronVersion } = JSON.parse(await readFile('node_modules/electron/package.json', 'utf8'));
const accepted = parseAcceptedTable(await readFile(ACCEPTED_DOC, 'utf8'));

// A staging copy holds exactly the scanned folders, so the report's relative paths are the
// repository's own and nothing else (tests, the emulator's pages) is scanned.
const stage = await mkdtemp(join(tmpdir(), 'latchkey-electronegativity-'));
try {
  for (const folder of SCANNED) await cp(folder, join(stage, folder), { recursive: true });
  await mkdir(dirname(sarifPath), { recursive: true });
  await rm(sarifPath, { force: true });

  const { issues, errors } = await quietly(() =>
    run({
      input: stage,
      output: sarifPath,
      isSarif: true,
      isRelative: true,
      excludeFromScan: EXCLUDED_CHECKS,
      // 1.10.3 reads this name (its README says `electronVersion`). Without it the checks
      // assume Electron 0.1 and its old defaults.
      electronVersionOverride: electronVersion,
    }),
  );
  const findings = pairWithSeverity(await readSarif(sarifPath), issues);
  const suppressions = await inlineSuppressions(stage);
  process.exitCode = report({ findings, suppressions, errors }) ? 0 : 1;
} finally {
  await rm(stage, { recursive: true, force: true });
}

/**
 * Electronegativity's SARIF carries no severity (its `level` is `note` for "review
 * required" and `warning` otherwise), so each SARIF result is paired with the issue the
 * same run returned: the SARIF writer walks that very list in order.
 */
function pairWithSeverity(sarif, issues) {
  const results = sarif.runs?.[0]?.results ?? [];
  if (results.length !== issues.length || results.some((result, i) => result.ruleId !== issues[i].id)) {
    throw new Error(`the SARIF report (${results.length} results) does not match the scan (${issues.length} issues)`);
  }
  return results.map((result, i) => {
    const location = result.locations?.[0]?.physicalLocation;
    const uri = location?.artifactLocation?.uri ?? 'N/A';
    return {
      check: result.ruleId,
      file: uri === 'file:///' ? 'N/A' : uri,
      line: location?.region?.startLine ?? 1,
      message: result.message?.text ?? '',
      severity: issues[i].severity.name,
      confidence: issues[i].confidence.name,
    };
  });
}

async function readSarif(path) {
  const deadline = Date.now() + SARIF_WRITE_TIMEOUT_MS;
  for (;;) {
    try {
      return JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`no readable SARIF report at ${path}: ${error.message}`);
      await sleep(50);
    }
  }
}

/**
 * `eng-disable` comments silence a check inside the tool. Each one must be listed in the
 * same table as the accepted findings, so that no suppression goes unexplained.
 */
async function inlineSuppressions(root) {
  const found = [];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(ts|tsx|js|html)$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const file = path.slice(root.length + 1).split('\\').join('/');
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines.forEach((text, index) => {
      const match = /eng-disable\s+([A-Za-z_ ]+)/.exec(text);
      if (match === null) return;
      for (const name of match[1].trim().split(/\s+/)) found.push({ check: toCheckId(name), file, line: index + 1 });
    });
  }
  return found;
}

/** `preloadJSCheck` and `PRELOAD_JS_CHECK` name the same check. */
function toCheckId(name) {
  if (/^[A-Z0-9_]+$/.test(name)) return name;
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').toUpperCase();
}

/** Rows `| \`CHECK_ID\` | \`file\` | ... | reason |` between the two markers in docs/security.md. */
function parseAcceptedTable(markdown) {
  const start = markdown.indexOf(TABLE_START);
  const end = markdown.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`${ACCEPTED_DOC} has no ${TABLE_START} ... ${TABLE_END} table`);
  const rows = [];
  for (const line of markdown.slice(start, end).split('\n')) {
    const cells = line.split('|').slice(1, -1).map((cell) => cell.trim());
    if (cells.length < 3 || !cells[0].startsWith('`')) continue;
    const [check, file] = cells.map((cell) => cell.replace(/^`|`$/g, ''));
    const reason = cells[cells.length - 1];
    if (reason.length < 20) throw new Error(`${ACCEPTED_DOC}: ${check} in ${file} needs a real justification`);
    rows.push({ check, file });
  }
  return rows;
}

function isAccepted(item) {
  return accepted.some((row) => row.check === item.check && row.file === item.file);
}

function report({ findings, suppressions, errors }) {
  const failures = [];
  for (const error of errors) {
    if (!error.tolerable) failures.push(`could not scan ${error.file}: ${error.message}`);
  }
  for (const finding of findings) {
    const where = finding.file === 'N/A' ? 'the app as a whole' : `${finding.file}:${finding.line}`;
    const line = `${finding.severity} ${finding.check} (${finding.confidence}) in ${where}: ${finding.message}`;
    if (BLOCKING.has(finding.severity)) failures.push(line);
    else if (!isAccepted(finding)) failures.push(`${line} [not accepted in ${ACCEPTED_DOC}]`);
  }
  for (const suppression of suppressions) {
    if (!isAccepted(suppression)) {
      failures.push(`eng-disable ${suppression.check} in ${suppression.file}:${suppression.line} is not justified in ${ACCEPTED_DOC}`);
    }
  }
  const stale = accepted.filter(
    (row) => !findings.some((finding) => finding.check === row.check && finding.file === row.file) &&
      !suppressions.some((suppression) => suppression.check === row.check && suppression.file === row.file),
  );
  for (const row of stale) console.log(`electronegativity: note: ${row.check} in ${row.file} is accepted in ${ACCEPTED_DOC} but no longer found; remove the row`);

  if (failures.length > 0) {
    console.error(`electronegativity: ${failures.length} problem${failures.length === 1 ? '' : 's'} (report: ${sarifPath})`);
    for (const failure of failures) console.error(`  ${failure}`);
    return false;
  }
  console.log(`electronegativity: ${findings.length} finding${findings.length === 1 ? '' : 's'}, none high or medium, every one accepted in ${ACCEPTED_DOC}`);
  return true;
}

/**
 * Electronegativity logs to the console as it goes (its translation download failing
 * offline, version warnings); that is noise in `npm test`. Shown with LATCHKEY_DEBUG=1.
 */
async function quietly(action) {
  if (process.env.LATCHKEY_DEBUG === '1') return action();
  const original = { log: console.log, warn: console.warn, info: console.info };
  console.log = console.warn = console.info = () => undefined;
  try {
    return await action();
  } finally {
    Object.assign(console, original);
  }
}
