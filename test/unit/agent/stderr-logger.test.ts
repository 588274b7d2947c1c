import { describe, expect, it } from 'vitest';
import { createStderrLogger } from '../../../main/agent/stderr-logger';

describe('the agent logger', () => {
  it('writes JSON lines, redacts secret-looking fields and skips debug unless asked', () => {
    const lines: string[] = [];
    const logger = createStderrLogger({ debug: false, write: (line) => lines.push(line), now: () => new Date(0) });
    logger.debug('hidden');
    logger.warn('Request failed', { code: 'x', accessToken: 'abc', clientSecret: 'def', Authorization: 'ghi' });
    expect(lines).toEqual([
      '{"time":"1970-01-01T00:00:00.000Z","level":"warn","message":"Request failed","code":"x","accessToken":"[redacted]","clientSecret":"[redacted]","Authorization":"[redacted]"}\n',
    ]);
  });

  it('writes debug lines with LATCHKEY_DEBUG', () => {
    const lines: string[] = [];
    createStderrLogger({ debug: true, write: (line) => lines.push(line) }).debug('shown');
    expect(lines).toHaveLength(1);
  });
});
