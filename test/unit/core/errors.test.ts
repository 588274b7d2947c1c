import { describe, expect, it } from 'vitest';
import type * as errorsModule from '../../../main/core/errors';
import { LatchkeyError, isLatchkeyError } from '../../../main/core/errors';

class SubError extends LatchkeyError {}

describe('LatchkeyError', () => {
  it('is recognised when another copy of the module made it, as the two CLI bundles do', async () => {
    // The query string makes Vite load a second, separate instance of the module.
    const secondCopy: string = '../../../main/core/errors?second-copy';
    const copy = (await import(secondCopy)) as typeof errorsModule;
    expect(copy.LatchkeyError).not.toBe(LatchkeyError);
    const foreign = new copy.LatchkeyError('signed_out', 'x');
    expect(foreign instanceof LatchkeyError).toBe(true);
    expect(isLatchkeyError(foreign, 'signed_out')).toBe(true);
  });

  it('keeps the ordinary check for subclasses and for other errors', () => {
    expect(new LatchkeyError('timeout', 'x') instanceof SubError).toBe(false);
    expect(new SubError('timeout', 'x') instanceof SubError).toBe(true);
    expect(new Error('x') instanceof LatchkeyError).toBe(false);
    expect({ code: 'timeout' } instanceof LatchkeyError).toBe(false);
  });
});
