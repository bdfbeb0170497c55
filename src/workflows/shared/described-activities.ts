import { proxyActivities, type ActivityInterfaceFor, type ActivityOptions } from '@temporalio/workflow';

/** For each activity, a one-line description of a call from its arguments. */
export type ActivityDescriptions<A> = {
  [K in keyof A]?: A[K] extends (...args: infer P) => unknown ? (...args: P) => string : never;
};

/** The UI shows summaries on one line; longer ones are cut rather than refused. */
const MAX_SUMMARY = 200;

/**
 * `proxyActivities` whose calls carry a readable summary (`stage of fraud v3 → production`)
 * that the Temporal UI shows on the activity's row instead of only its type. Call sites
 * stay plain (`quick.setStage({...})`); a summary given with `executeWithOptions` wins.
 * Summaries are user metadata: they are not part of the determinism check, so recorded
 * histories without them still replay.
 */
export function describedActivities<A extends object>(
  options: ActivityOptions,
  describe: ActivityDescriptions<A>,
): ActivityInterfaceFor<A> {
  const proxy = proxyActivities<A>(options);
  return new Proxy(proxy, {
    get(target, name, receiver) {
      const activity = Reflect.get(target, name, receiver) as ActivityInterfaceFor<A>[keyof A] | undefined;
      const describeCall =
        typeof name === 'string'
          ? (describe as Record<string, ((...args: unknown[]) => string) | undefined>)[name]
          : undefined;
      if (!activity || !describeCall) return activity;
      const summaryOf = (args: unknown[]) => describeCall(...args).slice(0, MAX_SUMMARY);
      const call = activity as unknown as { executeWithOptions(o: ActivityOptions, args: unknown[]): Promise<unknown> };
      const described = (...args: unknown[]) => call.executeWithOptions({ ...options, summary: summaryOf(args) }, args);
      described.executeWithOptions = (o: ActivityOptions, args: unknown[]) =>
        call.executeWithOptions({ summary: summaryOf(args), ...o }, args);
      return described;
    },
  });
}
