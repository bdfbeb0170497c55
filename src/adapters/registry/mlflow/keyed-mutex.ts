/**
 * Runs the tasks of one key one at a time, in call order, within this process (different
 * keys run concurrently). The MLflow registry serializes each model's writers with it, as
 * the local registry does with its file lock; across processes, see cycle-claim.ts.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
