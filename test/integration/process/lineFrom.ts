import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** The first line a child prints on its piped stdout that matches `re`; rejects if the child ends first. */
export function lineFrom(child: ChildProcess, re: RegExp, what: string): Promise<string> {
  const { stdout } = child;
  if (!stdout) return Promise.reject(new Error(`${what}: output not piped`));
  return new Promise((ok, fail) => {
    const lines = createInterface({ input: stdout });
    lines.on('line', (line) => {
      if (re.test(line)) ok(line);
    });
    child.once('exit', (code, signal) => fail(new Error(`${what} exited (${String(code ?? signal)}) before printing ${String(re)}`)));
  });
}
