/** Runs tasks that share a key one after another (tasks with different keys run side by side). */
export class InTurn {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `task` once every task given earlier with `key` has settled; resolves or rejects as it does. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task);
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
