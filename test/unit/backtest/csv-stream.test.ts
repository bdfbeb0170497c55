import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BacktestInputError } from '../../../src/backtest/backtest-errors.js';
import { readCsvStream } from '../../../src/backtest/csv-stream.js';

async function csv(text: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'ct-bt-csv-')), 'stream.csv');
  await writeFile(file, text);
  return file;
}

describe('CSV backtest stream', () => {
  it('replays rows in time order, cut into windows, with numeric and categorical features inferred', async () => {
    const rows = Array.from({ length: 9 }, (_, i) => `${8 - i},${i},${i % 2 ? 'a' : 'b'},${i % 2},row${i}`);
    const file = await csv(`t,x,seg,y,id\n${rows.join('\n')}\n`);
    const stream = await readCsvStream({ file, timeColumn: 't', labelColumn: 'y', exclude: ['id'], windowRows: 3 });
    expect(stream.features).toEqual([
      { name: 'x', type: 'numeric', required: true },
      { name: 'seg', type: 'categorical', required: true },
    ]);
    expect(stream.windowCount).toBe(3);
    // t runs 8 … 0, so the first window holds the last three rows of the file.
    expect([...(stream.window(0).columns.x!.values as Float64Array)]).toEqual([8, 7, 6]);
  });

  it('refuses a missing column or a non-0/1 label naming the option', async () => {
    const file = await csv('t,x,y\n1,1,0\n2,2,2\n3,3,1\n');
    const missing = await readCsvStream({ file, timeColumn: 'when', labelColumn: 'y' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(BacktestInputError);
    expect(missing).toMatchObject({ option: '--time-column', message: expect.stringContaining('no column "when"') });
    const label = await readCsvStream({ file, timeColumn: 't', labelColumn: 'y', windowRows: 1 }).catch(
      (e: unknown) => e,
    );
    expect(label).toMatchObject({ option: '--label-column', message: expect.stringContaining('expected 0 or 1') });
  });
});
