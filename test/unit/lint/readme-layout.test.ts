import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error eslint.config.js is plain JavaScript without types.
import { compositionRoots, layerImports } from '../../../eslint.config.js';

// The README's layout table says what each folder may import; the lint zones enforce it.
// This keeps the two from drifting apart: a change to one without the other fails here.
const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const layout = readme.slice(readme.indexOf('## Repository layout'), readme.indexOf('## Tests and benchmarks'));

function mayImportColumn(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of layout.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const folder = /^`src\/([a-z-]+)\/`$/.exec(cells[1] ?? '')?.[1];
    if (folder) rows.set(folder, cells[3] ?? '');
  }
  return rows;
}

const list = (cell: string): string[] =>
  cell === '—'
    ? []
    : cell
        .split(',')
        .map((s) => s.trim())
        .sort();

describe('README layout table', () => {
  const rows = mayImportColumn();
  const layers = layerImports as Record<string, string[]>;
  const roots = compositionRoots as Record<string, string[]>;

  it('names every linted folder of src/ and no other', () => {
    expect([...rows.keys()].sort()).toEqual([...Object.keys(layers), ...Object.keys(roots)].sort());
  });

  it.each(Object.keys(layerImports as object))('src/%s/ may import what the lint zone allows', (folder) => {
    expect(list(rows.get(folder) ?? '?')).toEqual([...(layers[folder] ?? [])].sort());
  });

  it.each(Object.keys(compositionRoots as object))('src/%s/ composes all layers but its barred ones', (folder) => {
    expect(rows.get(folder)).toBe(`all but ${(roots[folder] ?? []).join(', ')}`);
  });
});
