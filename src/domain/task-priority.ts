/**
 * Task queue priority keys (Temporal: 1 is served first, 5 last, 3 when none is set).
 * Flywheels, monitors and schedules keep the default; a cycle (and its rollout and light
 * activities, which inherit its key) runs one step lower. The server keeps a sub-queue per
 * key and empties the higher ones first, so when a thousand cycles are backlogged on the
 * shared queue a flywheel's decision to start one more, or to take an alert, is still
 * dispatched at once: control work never waits behind cycle work on the same queue.
 * Priority only reorders a backlog; with no backlog every task goes at once as before.
 */
export const CYCLE_PRIORITY_KEY = 4;
