import { z } from 'zod';

/** Lifecycle stage of a registered model version (DESIGN.md "Records that must survive"). */
export const Stage = {
  candidate: 'candidate',
  approved: 'approved',
  production: 'production',
  rejected: 'rejected',
  rolledBack: 'rolled_back',
  archived: 'archived',
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];

export const stageSchema = z.enum(Object.values(Stage) as [Stage, ...Stage[]], {
  errorMap: () => ({ message: `stage must be one of ${Object.values(Stage).join(', ')}` }),
});

/** Named pointers to versions; at most one version holds an alias at a time. */
export const Alias = { champion: 'champion', challenger: 'challenger' } as const;
export type Alias = (typeof Alias)[keyof typeof Alias];

export const aliasSchema = z.enum(Object.values(Alias) as [Alias, ...Alias[]], {
  errorMap: () => ({ message: `alias must be one of ${Object.values(Alias).join(', ')}` }),
});
