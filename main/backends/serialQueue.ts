/**
 * Runs tasks one after another. REGOS VCR wants the next request only after the previous answer
 * (BACKENDS.md), so every RegosClient call goes through one of these.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.then(noop, noop);
    return result;
  }
}

function noop(): void {
  // The queue only orders tasks; each caller handles its own task's failure.
}
