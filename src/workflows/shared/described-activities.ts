import {
  proxyActivities,
  proxyLocalActivities,
  type ActivityInterfaceFor,
  type ActivityOptions,
  type LocalActivityInterfaceFor,
  type LocalActivityOptions,
} from '@temporalio/workflow';

/** For each activity, a one-line description of a call from its arguments. */
export type ActivityDescriptions<A> = {
  [K in keyof A]?: A[K] extends (...args: infer P) => unknown ? (...args: P) => string : never;
};

/** The UI shows summaries on one line; longer ones are cut rather than refused. */
const MAX_SUMMARY = 200;

type Call<O> = { executeWithOptions(o: O, args: unknown[]): Promise<unknown> };

/** Wraps each proxied activity so its calls carry the summary built from their arguments. */
function describe<P extends object, O extends { summary?: string }>(
  proxy: P,
  options: O,
  descriptions: ActivityDescriptions<object>,
): P {
  return new Proxy(proxy, {
    get(target, name, receiver) {
      const activity = Reflect.get(target, name, receiver) as Call<O> | undefined;
      const describeCall =
        typeof name === 'string'
          ? (descriptions as Record<string, ((...args: unknown[]) => string) | undefined>)[name]
          : undefined;
      if (!activity || !describeCall) return activity;
      const summaryOf = (args: unknown[]) => describeCall(...args).slice(0, MAX_SUMMARY);
      const described = (...args: unknown[]) =>
        activity.executeWithOptions({ ...options, summary: summaryOf(args) }, args);
      described.executeWithOptions = (o: O, args: unknown[]) =>
        activity.executeWithOptions({ summary: summaryOf(args), ...o }, args);
      return described;
    },
  });
}

/**
 * `proxyActivities` whose calls carry a readable summary (`stage of fraud v3 → production`)
 * that the Temporal UI shows on the activity's row instead of only its type. Call sites
 * stay plain (`quick.setStage({...})`); a summary given with `executeWithOptions` wins.
 * Summaries are user metadata: they are not part of the determinism check, so recorded
 * histories without them still replay.
 */
export function describedActivities<A extends object>(
  options: ActivityOptions,
  descriptions: ActivityDescriptions<A>,
): ActivityInterfaceFor<A> {
  return describe(proxyActivities<A>(options), options, descriptions);
}

/**
 * {@link describedActivities} for local activities: the same summaries, on the marker the
 * local activity leaves in history. A local activity runs in the worker that runs the
 * workflow task, inside that task: no activity task is scheduled, dispatched or completed
 * through the server, so it costs no round trip (see shared/activity-options.ts).
 */
export function describedLocalActivities<A extends object>(
  options: LocalActivityOptions,
  descriptions: ActivityDescriptions<A>,
): LocalActivityInterfaceFor<A> {
  return describe(proxyLocalActivities<A>(options), options, descriptions);
}
