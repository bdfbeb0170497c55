/**
 * What the `temporal` project's globalSetup hands to every test file through vitest's
 * `provide`/`inject`. Read it with the helpers in this folder rather than directly.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the provisioned Java time-skipping test server (a wrapper that execs the JVM); each file starts its own. */
    temporalTestServerPath: string;
    /** host:port of the shared in-memory dev server (Temporal CLI), search attributes registered. */
    temporalDevServerAddress: string;
    /** Namespace on the shared dev server. */
    temporalDevServerNamespace: string;
    /** Path of the Temporal CLI, for tests that need a dedicated dev server (other dynamic config). */
    temporalCliPath: string;
    /** Folder for the run's workflow bundles, one per entry (test/workflows/helpers/bundle.ts); removed when the run ends. */
    workflowBundleDir: string;
    /** Where the run's `npm run cluster` lives; started on first use by test/support/shared-cluster.ts. */
    clusterDir: string;
  }
}

export {};
