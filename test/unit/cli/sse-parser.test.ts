import { describe, expect, it } from 'vitest';
import { SseParser } from '../../../main/cli/sse-parser';

describe('SseParser', () => {
  it('yields the data of each event, across chunk boundaries and line endings', () => {
    const parser = new SseParser();
    expect(parser.push(': keep-alive\n\ndata: {"a"')).toEqual([]);
    expect(parser.push(':1}\n\r\ndata:{"b":2}\r\n\r\n')).toEqual(['{"a":1}', '{"b":2}']);
    expect(parser.push('event: x\ndata: one\ndata: two\n\n')).toEqual(['one\ntwo']);
  });

  it('ignores comments and events without data', () => {
    expect(new SseParser().push(': hi\n\nid: 3\n\n')).toEqual([]);
  });
});
