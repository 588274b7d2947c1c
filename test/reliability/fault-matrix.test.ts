import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { isPrintable } from '../../main/core/printable-text';
import { ROW_ACTIONS } from './fault-matrix-actions';
import { FAULT_KINDS, observeCell, type CellObservation } from './fault-matrix-cell';
import { FAULT_MATRIX, matrixCellCount, renderFaultMatrix } from './fault-matrix-table';
import { BYSTANDER_ANSWER_MS } from './fault-matrix-world';
import { recordCounts } from './suite-size';

const observed: { row: string; kind: string; cell: CellObservation }[] = [];
afterAll(() => {
  if (observed.length === 0) return;
  const byOperation: Record<string, number> = {};
  for (const { row } of observed) byOperation[row] = (byOperation[row] ?? 0) + 1;
  recordCounts('fault-matrix', { cells: observed.length, faultsInjected: observed.reduce((sum, { cell }) => sum + cell.attempts, 0), byOperation });
});

/**
 * Every fault kind on every operation the agent calls (docs/reliability.md, "Fault
 * matrix"): each cell a fresh emulator and agent, the fault on every call of the
 * operation, the row's request, a bystander session asked while that call is in flight,
 * the raw keychain compared before and after, then the faults cleared and the request
 * tried again. The table in the docs is rendered from the same rows.
 */
describe.concurrent('fault matrix', () => {
  for (const row of FAULT_MATRIX) {
    for (const kind of FAULT_KINDS) {
      const expected = row.cells[kind];
      if (expected === undefined) continue;
      it(`${row.name}, ${kind}: ${expected.answer}, then ${expected.after}; the bystander is served and nothing else changes`, async () => {
        const cell = await observeCell(row.operation, row.grantType, kind, ROW_ACTIONS[row.name]);
        observed.push({ row: row.name, kind, cell });

        expect({ answer: cell.answer, after: cell.after, keychain: cell.keychain }).toEqual({ answer: expected.answer, after: expected.after, keychain: row.keychain });
        expect(cell.attempts).toBeGreaterThanOrEqual(expected.attempts[0]);
        expect(cell.attempts).toBeLessThanOrEqual(expected.attempts[1]);
        expect(cell.bystander).toMatchObject({ status: 200, sameCredentials: true });
        expect(cell.bystander.elapsedMs).toBeLessThan(BYSTANDER_ANSWER_MS);
        if (cell.message !== undefined) {
          expect(isPrintable(cell.message), cell.message).toBe(true);
          expect(cell.message).not.toMatch(/Injected fault|[\r\n]/);
        }
      }, 40_000);
    }
  }
});

describe('the fault matrix in docs/reliability.md', () => {
  it('is the table this suite runs, cell for cell', () => {
    const docs = readFileSync('docs/reliability.md', 'utf8');
    const table = /<!-- fault-matrix:start -->\n([\s\S]*?)\n<!-- fault-matrix:end -->/.exec(docs)?.[1];

    expect(table).toBe(renderFaultMatrix());
    expect(matrixCellCount()).toBe(FAULT_MATRIX.length * FAULT_KINDS.length - 2);
  });
});
