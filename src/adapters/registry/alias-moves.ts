import { z } from 'zod';
import { aliasSchema, isoTimeSchema, type Alias } from '../../domain/records/index.js';
import type { AliasEffect } from '../../domain/records/version-lifecycle.js';
import type { AliasChange, AliasState, ChangeNote } from './model-registry.js';

/** One alias move as every registry stores it (the local alias file, MLflow's `ct.alias_history` tag). */
export const aliasChangeSchema = z.object({
  alias: aliasSchema,
  version: z.number().int().nullable(),
  previous: z.number().int().nullable(),
  at: isoTimeSchema,
  by: z.string().optional(),
  reason: z.string().optional(),
});

export const aliasStateSchema = z.object({
  aliases: z.object({ champion: z.number().int().optional(), challenger: z.number().int().optional() }),
  history: z.array(aliasChangeSchema),
});

/**
 * What a lifecycle transition's alias effects do to the current aliases when applied to
 * `version`: `take` points the alias at it, `release` clears the alias only if it points
 * at it (a late retry never takes an alias from another version). Returns the new aliases
 * and the moves, none when nothing changes.
 */
export function planAliasMoves(
  current: AliasState['aliases'],
  version: number,
  effects: Partial<Record<Alias, AliasEffect>>,
  note: ChangeNote & { at: string },
): { aliases: Partial<Record<Alias, number>>; changes: AliasChange[] } {
  const aliases = { ...current };
  const changes: AliasChange[] = [];
  for (const [alias, effect] of Object.entries(effects) as [Alias, AliasEffect][]) {
    const previous = aliases[alias] ?? null;
    const target = effect === 'take' ? version : previous === version ? null : previous;
    if (target === previous) continue;
    if (target === null) delete aliases[alias];
    else aliases[alias] = target;
    changes.push({ alias, version: target, previous, ...note });
  }
  return { aliases, changes };
}
