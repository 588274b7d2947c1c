import { describe, expect, it } from 'vitest';
import { SseParser } from '../../../main/cli/sse-parser';

describe('SseParser', () => {
  it('yields the data of each event, across chunk boundaries and line endings', () => {
    const parser = new SseParser();
    expect(parser.push(': keep-alive\n\ndata: {"a"')).toEqual([]);
    expect(parser.push(':1}\n\r\ndata:{"b":2}\r\n\r\n')).toEqual(['{"a":1}', '{"b":2}']);
    expect(parser.push('event: x\ndata: one\ndata: two\n\n')).toEqual(['one\ntwo']);
  });

  it('reads a CR LF split between two chunks as one line ending, not as the blank line that ends the event', () => {
    const parser = new SseParser();
    expect(parser.push('data: one\r')).toEqual([]);
    expect(parser.push('\ndata: two\r\n\r\n')).toEqual(['one\ntwo']);
  });

  it('refuses an event over 1 MiB with malformed_response instead of holding it', () => {
    const parser = new SseParser();
    expect(() => parser.push(`data: ${'x'.repeat(1024 * 1024)}`)).toThrow(expect.objectContaining({ code: 'malformed_response' }));
  });

  it('ignores comments and events without data', () => {
    expect(new SseParser().push(': hi\n\nid: 3\n\n')).toEqual([]);
  });
});
