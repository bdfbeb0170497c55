// Runs first when the worker preloads the workflow modules (src/workers/workflow-preload.ts).
//
// Why: with `reuseV8Context` (the SDK's default) every new workflow execution evaluates the
// bundle's modules again, so every zod schema of the domain was rebuilt per workflow: at
// N = 100 flywheels that was 15 of the workflow thread's 70 busy seconds. Preloaded modules
// are evaluated once per worker thread and shared, but the SDK deep-freezes their exports.
// Zod 3 writes to a schema in two places after building it, and on a frozen schema both throw:
// - three caches filled on a schema's first parse (ZodObject `_cached`, ZodEnum and
//   ZodNativeEnum `_cache`): moved off the instances, into accessors on the prototypes backed
//   by a WeakMap. The cached values depend only on the schema, so sharing them across
//   workflows cannot leak one workflow's state into another;
// - `.regex()` checks reset the pattern's `lastIndex` before each test: the pattern is kept
//   inside a SharedPattern, whose `lastIndex` lives on its prototype and ignores the write.
import { ZodEnum, ZodNativeEnum, ZodObject, ZodString } from 'zod';

/** Stores `field` of every instance of the class beside the instance instead of on it. */
function keepBesideInstances(prototype: object, field: string, initial: unknown): void {
  const values = new WeakMap<object, unknown>();
  Object.defineProperty(prototype, field, {
    configurable: true,
    get(this: object): unknown {
      return values.has(this) ? values.get(this) : initial;
    },
    set(this: object, value: unknown) {
      values.set(this, value);
    },
  });
}

keepBesideInstances(ZodObject.prototype, '_cached', null);
keepBesideInstances(ZodEnum.prototype, '_cache', undefined);
keepBesideInstances(ZodNativeEnum.prototype, '_cache', undefined);

/** A RegExp that a frozen schema can test: the only parts of it zod's regex check uses. */
class SharedPattern {
  constructor(private readonly pattern: RegExp) {}

  get lastIndex(): number {
    return 0;
  }

  set lastIndex(_ignored: number) {
    // zod sets 0 before every test; each test below starts at 0 anyway.
  }

  get source(): string {
    return this.pattern.source;
  }

  get flags(): string {
    return this.pattern.flags;
  }

  test(text: string): boolean {
    // A global or sticky RegExp writes its own lastIndex when tested: test a fresh copy of it.
    const stateful = this.pattern.global || this.pattern.sticky;
    return (stateful ? new RegExp(this.pattern) : this.pattern).test(text);
  }
}

const regexCheck = ZodString.prototype.regex;
ZodString.prototype.regex = function regex(this: ZodString, pattern: RegExp, message) {
  return regexCheck.call(this, new SharedPattern(pattern) as unknown as RegExp, message);
};
