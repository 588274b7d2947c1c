import { describe, expect, it } from 'vitest';
import { frame, FRAME, readExitCode, readRelayRequest, runChildPayload } from '../../../main/relay/relay-wire';

const valid = {
  version: 1,
  args: ['status', '--json'],
  env: { HOME: '/home/ana', AWS_PROFILE: 'dev' },
  cwd: '/home/ana/project',
  home: '/home/ana',
  exe: '/opt/latchkey/bin/latchkey',
  pid: 4242,
  terminal: { stdin: true, stdout: false, stderr: true, columns: 120 },
};

describe('a relay request', () => {
  it('is read field by field when whole', () => {
    expect(readRelayRequest(valid)).toEqual(valid);
  });

  it.each([
    ['not an object', [], /must be a JSON object/],
    ['no version', { ...valid, version: undefined }, /no protocol version/],
    ['an argument that is not a string', { ...valid, args: ['status', 1] }, /args must be strings/],
    ['a variable that is not a string', { ...valid, env: { A: 1 } }, /env must map names to strings/],
    ['a relative working directory', { ...valid, cwd: 'project' }, /cwd must be an absolute path/],
    ['a NUL in a path', { ...valid, exe: '/opt/lat\0chkey' }, /exe holds a NUL character/],
    ['a terminal flag that is not a boolean', { ...valid, terminal: { ...valid.terminal, stdout: 'yes' } }, /terminal flags must be true or false/],
    ['a negative width', { ...valid, terminal: { ...valid.terminal, columns: -1 } }, /terminal width must be a whole number/],
    ['a pid of 0', { ...valid, pid: 0 }, /pid must be a positive whole number/],
  ])('is refused with a sentence naming the field: %s', (_what, body, message) => {
    expect(() => readRelayRequest(body)).toThrow(message);
  });

  it('from a client of another protocol version says which versions meet and what to do', () => {
    expect(() => readRelayRequest({ ...valid, version: 2 })).toThrow(
      'This latchkey command speaks relay protocol 2 and the running agent speaks 1; quit the agent (or the Latchkey app) so that the installed one starts, and run the command again.',
    );
  });

  it('takes Windows paths as absolute', () => {
    expect(readRelayRequest({ ...valid, cwd: 'C:\\Users\\ana', home: 'C:\\Users\\ana', exe: 'C:\\Program Files\\Latchkey\\resources\\bin\\latchkey.exe' }).cwd).toBe('C:\\Users\\ana');
  });
});

describe('relay frames', () => {
  it('are a type byte, a big-endian length and the payload', () => {
    expect([...frame(FRAME.stdout, Buffer.from('hi'))]).toEqual([0x4f, 0, 0, 0, 2, 0x68, 0x69]);
  });

  it("carry exec's child as NUL-terminated file, argument count, arguments and KEY=VALUE pairs, without unset variables", () => {
    expect(runChildPayload('aws', ['s3', 'ls'], { A: '1', B: undefined, C: 'x=y' }).toString()).toBe('aws\x002\x00s3\x00ls\x00A=1\x00C=x=y\x00');
  });
});

describe("the child's exit code", () => {
  it.each(['0', '42', '255'])('is taken when a shell could report it: %s', (text) => {
    expect(readExitCode(text)).toBe(Number(text));
  });

  it.each([null, '', '-1', '256', '1.5', '1e2', ' 1'])('is refused otherwise: %s', (text) => {
    expect(() => readExitCode(text)).toThrow(/exit code must be a whole number from 0 to 255/);
  });
});
