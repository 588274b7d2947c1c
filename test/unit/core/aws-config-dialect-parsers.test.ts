import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDialectWarnings, type DialectConstruct } from '../../../main/core/aws-config-dialect';
import { readAwsConfigSections } from '../../../main/core/aws-config-sections';
import { pythonSdkSkipReason, runPython } from '../../support/python-sdk';

/** Characters next to a key: name, the character, whether Python and JavaScript take it for whitespace. */
const WHITESPACE_AT_KEY: readonly [name: string, char: string, python: boolean, javascript: boolean][] = [
  ['u001c', '\u001c', true, false],
  ['u001d', '\u001d', true, false],
  ['u001e', '\u001e', true, false],
  ['u001f', '\u001f', true, false],
  ['u0085', '\u0085', true, false],
  ['u00a0', '\u00a0', true, true],
  ['ufeff', '\ufeff', false, true],
  ['u2028', '\u2028', true, true],
];

/**
 * Each sample is read by the real parsers, botocore 1.29's raw_config_parse with
 * build_profile_map (what the AWS CLI uses) and the JS SDK's loadSharedConfigFiles, and the
 * detector must warn exactly where they disagree, at the line given. Where botocore reads
 * the file, Latchkey's reading must be botocore's; where botocore refuses it, the JS SDK's.
 */
type Sample = [name: string, text: string, expected: readonly [line: number, construct: DialectConstruct] | undefined];

const SAMPLES: readonly Sample[] = [
  ['byte_order_mark', '\uFEFF[profile dev]\nregion = us-east-1\n', [1, 'byte-order-mark']],
  ['repeated_section', '[profile dev]\nregion = us-east-1\n[profile dev]\noutput = json\n', [3, 'repeated-section']],
  ['repeated_key', '[profile dev]\nregion = us-east-1\nregion = eu-west-1\n', [3, 'repeated-key']],
  ['colon_delimiter', '[profile dev]\nregion: us-east-1\n', [2, 'colon-delimiter']],
  ['colon_before_equals', '[profile dev]\na:b = c\n', [2, 'colon-delimiter']],
  ['colon_inside_value', '[profile dev]\nsso_start_url = https://a.awsapps.com:443/start?x=y\n', undefined],
  ['mixed_case_key', '[profile dev]\nRegion = us-east-1\n', [2, 'key-case']],
  ['inline_hash_comment', '[profile dev]\nregion = us-east-1 # prod\n', [2, 'inline-comment']],
  ['inline_semicolon_comment', '[profile dev]\nregion = us-east-1 ; prod\n', [2, 'inline-comment']],
  ['hash_without_space_before_it', '[profile dev]\nsso_start_url = https://d-1.awsapps.com/start/#/\n', undefined],
  ['whole_line_comments', '# top\n; top\n[profile dev]\n  # indented\nregion = us-east-1\n', undefined],
  ['default_after_profile_default', '[profile default]\nregion = us-east-1\n[default]\nregion = eu-west-1\n', [3, 'same-section-twice']],
  ['profile_default_after_default', '[default]\nregion = eu-west-1\n[profile default]\nregion = us-east-1\n', undefined],
  ['same_profile_quoted_and_not', '[profile dev]\nregion = us-east-1\n[profile "dev"]\noutput = json\n', [3, 'same-section-twice']],
  ['two_spaces_in_header', '[profile  dev]\nregion = us-east-1\n', [1, 'section-name']],
  ['tab_in_header', '[profile\tdev]\nregion = us-east-1\n', undefined],
  ['spaces_inside_brackets', '[ profile dev ]\nregion = us-east-1\n', undefined],
  ['space_before_closing_bracket', '[profile dev ]\nregion = us-east-1\n', [1, 'section-name']],
  ['sso_session_with_two_spaces', '[sso-session  corp]\nsso_region = us-east-1\n', [1, 'section-name']],
  ['quoted_name', '[profile "dev"]\nregion = us-east-1\n', undefined],
  ['quoted_name_with_space', '[profile "my dev"]\nregion = us-east-1\n', [1, 'section-name']],
  ['name_with_other_characters', '[profile dev!]\nregion = us-east-1\n', [1, 'section-name']],
  ['dot_instead_of_space', '[profile.dev]\nregion = us-east-1\n', [1, 'section-name']],
  ['dotted_name', '[profile a.b]\nregion = us-east-1\n', undefined],
  ['capitalised_prefix', '[Profile dev]\nregion = us-east-1\n', undefined],
  ['defaults_section', '[DEFAULT]\nregion = us-east-1\n[profile dev]\noutput = json\n', [1, 'defaults-section']],
  ['continuation_line', '[profile dev]\nregion = us-east-1\n  output = json\n', [3, 'continuation-line']],
  ['continuation_after_blank_line', '[profile dev]\nregion = us-east-1\n\n  output = json\n', [4, 'continuation-line']],
  ['evenly_indented_keys', '[profile dev]\n  region = us-east-1\n  output = json\n', undefined],
  ['nested_block', '[profile dev]\ns3 =\n  addressing_style = path\nregion = us-east-1\n', undefined],
  ['nested_block_not_indented_deeper', '[profile dev]\n  s3 =\n  addressing_style = path\n', [3, 'nested-block']],
  ['nested_block_with_colon', '[profile dev]\ns3 =\n  addressing_style: path\n', [3, 'nested-block']],
  ['trailing_whitespace', '[profile dev]\nregion = us-east-1   \t\n', undefined],
  ['crlf_line_endings', '[profile dev]\r\nregion = us-east-1\r\n', undefined],
  ['lone_carriage_returns', '[profile dev]\rregion = us-east-1\r', [1, 'lone-carriage-return']],
  ['key_before_any_section', 'region = us-east-1\n[profile dev]\noutput = json\n', [1, 'key-before-section']],
  ['line_without_delimiter', '[profile dev]\nregion\noutput = json\n', [2, 'line-without-delimiter']],
  ['empty_key', '[profile dev]\n= x\noutput = json\n', [2, 'line-without-delimiter']],
  ['comment_after_header', '[profile dev] # note\nregion = us-east-1\n', undefined],
  ['proto_profile', '[profile __proto__]\nregion = us-east-1\n', [1, 'reserved-section-name']],
  // Python's whitespace (str.strip, configparser's \s) and JavaScript's (trim, \s) differ in
  // U+001C..U+001F and U+0085 (Python's only) and U+FEFF (JavaScript's only).
  ...WHITESPACE_AT_KEY.flatMap(([name, char, python, javascript]): Sample[] => {
    const expected = python === javascript ? undefined : ([2, 'whitespace-character'] as const);
    return [
      [`${name}_before_equals`, `[profile dev]\nregion${char}= us-east-1\n`, expected],
      [`${name}_before_key`, `[profile dev]\n${char}region = us-east-1\n`, expected],
      [`${name}_after_value`, `[profile dev]\nregion = us-east-1${char}\n`, expected],
    ];
  }),
];

type Sections = Record<string, Record<string, string>>;
/** Both parsers' answers in one shape: `profile NAME` / `sso-session NAME` to flat values, or why the file was refused. */
type Reading = { refused: true } | { refused: false; sections: Sections };

const BOTOCORE_READER = `
import json, os, botocore.configloader as c
out = {}
for path in json.loads(os.environ["SAMPLE_PATHS"]):
    try:
        m = c.build_profile_map(c.raw_config_parse(path))
        out[path] = {"refused": False, "sections": {**{"profile " + k: v for k, v in m["profiles"].items()}, **{"sso-session " + k: v for k, v in m["sso_sessions"].items()}}}
    except Exception:
        out[path] = {"refused": True}
print(json.dumps(out))
`;

/** Empty values and empty sections do not count: the JS SDK keeps neither (a key without a value opens a nested block). */
function normalised(sections: Record<string, Record<string, unknown>>): Sections {
  const out: Sections = {};
  for (const [name, values] of Object.entries(sections)) {
    const flat: Record<string, string> = {};
    for (const [key, value] of Object.entries(values)) {
      if (typeof value === 'string' && value !== '') flat[key] = value;
      if (typeof value === 'object' && value !== null) for (const [sub, v] of Object.entries(value)) flat[`${key}.${sub}`] = String(v);
    }
    if (Object.keys(flat).length > 0) out[name] = flat;
  }
  return out;
}

function jsSdkSections(configFile: Record<string, Record<string, string | undefined>>): Sections {
  const sections: Record<string, Record<string, unknown>> = {};
  for (const [key, values] of Object.entries(configFile)) {
    if (key.startsWith('sso-session.')) sections[`sso-session ${key.slice('sso-session.'.length)}`] = values;
    else if (!key.startsWith('services.')) sections[`profile ${key}`] = values;
  }
  return normalised(sections);
}

const reason = pythonSdkSkipReason();
if (reason !== undefined) console.warn(`Skipping the botocore/JS SDK comparison: ${reason}.`);

describe.skipIf(reason !== undefined)('the AWS config dialect, against botocore and the JS SDK', () => {
  let dir: string;
  const botocore = new Map<string, Reading>();
  const jsSdk = new Map<string, Reading>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'latchkey-dialect-'));
    const paths = SAMPLES.map(([name]) => join(dir, `${name}.ini`));
    await Promise.all(SAMPLES.map(([, text], i) => writeFile(paths[i] ?? '', text)));
    const run = await runPython(BOTOCORE_READER.replace(/^\n/, ''), { SAMPLE_PATHS: JSON.stringify(paths) }, 30_000);
    expect(run.stderr).toBe('');
    const parsed = JSON.parse(run.stdout) as Record<string, { refused: boolean; sections?: Record<string, Record<string, unknown>> }>;
    for (const [i, [name]] of SAMPLES.entries()) {
      const answer = parsed[paths[i] ?? ''];
      botocore.set(name, answer?.refused === false ? { refused: false, sections: normalised(answer.sections ?? {}) } : { refused: true });
      // The JS SDK swallows a parse error into an empty config; __proto__ is such an error.
      const text = SAMPLES[i]?.[1] ?? '';
      const files = await loadSharedConfigFiles({ configFilepath: paths[i], filepath: join(dir, 'no-credentials'), ignoreCache: true });
      const refused = /\[(profile )?__proto__\]/.test(text);
      jsSdk.set(name, refused ? { refused: true } : { refused: false, sections: jsSdkSections(files.configFile as Record<string, Record<string, string | undefined>>) });
    }
  }, 60_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(SAMPLES)('%s', (name, text, expected) => {
    const b = botocore.get(name);
    const j = jsSdk.get(name);
    const disagree = JSON.stringify(b) !== JSON.stringify(j);
    const warnings = findDialectWarnings(text, '~/.aws/config');
    expect({ disagree, warnings: warnings.map((w) => [w.line, w.construct]) }).toEqual({
      disagree: expected !== undefined,
      warnings: expected === undefined ? [] : [expected],
    });
    const latchkey = normalised(
      Object.fromEntries(readAwsConfigSections(text).map((s) => [`${s.kind} ${s.name}`, s.values])),
    );
    const followed = b?.refused === false ? b : j;
    // Latchkey leaves a __proto__ profile out rather than read it (the JS SDK refuses the file).
    if (name !== 'proto_profile' && followed?.refused === false) expect(latchkey).toEqual(followed.sections);
  });
});
