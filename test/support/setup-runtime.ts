import { installRuntimeLogger } from '../../src/logging/logger.js';
import { createTestLogger } from './captured-logs.js';

// Runs in each forked test process before its test file. The Runtime is a process-wide
// singleton that outlives vitest's per-file module isolation (the SDK is loaded by
// Node, not re-evaluated per file), so guard on a global rather than a module flag.
const INSTALLED = Symbol.for('ct-flywheel.runtime-logger-installed');
const globals = globalThis as { [INSTALLED]?: boolean };
if (!globals[INSTALLED]) {
  installRuntimeLogger(createTestLogger());
  globals[INSTALLED] = true;
}
