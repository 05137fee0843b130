import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Child processes that end when the process that started them dies, however it dies. kill -9 of the
 * parent (StrykerJS killing a timed-out test runner, a crashed vitest worker, the OOM killer) runs none
 * of its exit handlers, so the tie must be something the kernel does by itself:
 * - a Node script of ours gets a pipe as stdin whose write end only the parent holds. The kernel closes
 *   that end when the parent dies, whatever the cause; the child sees end-of-file and sends itself
 *   SIGTERM, so it shuts down by the same path as a person's `kill` (exitWithParent, in its entry).
 * - a program we cannot change (socat, Chromium) runs under util-linux `setpriv --pdeathsig`, which sets
 *   Linux's parent-death signal (prctl PR_SET_PDEATHSIG, out of Node's reach) and then execs the program:
 *   same pid, and the kernel signals it when the parent dies. That signal follows the thread that
 *   spawned it: Node's main thread, or a worker thread, whose end then ends the program too.
 * It lives in emulators/ because emulators import nothing from main/; `npm start` and `npm run serve` use it too.
 */
type Stream = 'pipe' | 'inherit' | 'ignore';

interface TiedChildOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdout?: Stream;
  stderr?: Stream;
  /** A process group of its own, for a caller that ends the whole group. */
  detached?: boolean;
}

/** Set by spawnNodeTied: this process's stdin is its parent's lifeline. */
const LIFELINE_ENV = 'CASHIER_PARENT_LIFELINE';

const outputs = (opts: TiedChildOptions): [Stream, Stream] => [opts.stdout ?? 'inherit', opts.stderr ?? 'inherit'];

/** `node <nodeArgs>` (execArgv, script, its arguments) whose entry calls exitWithParent(). */
export function spawnNodeTied(nodeArgs: readonly string[], opts: TiedChildOptions = {}): ChildProcess {
  const env = { ...(opts.env ?? process.env), [LIFELINE_ENV]: 'stdin' };
  return spawn(process.execPath, nodeArgs, { cwd: opts.cwd, env, stdio: ['pipe', ...outputs(opts)], detached: opts.detached });
}

/**
 * A program that knows nothing of the lifeline: on Linux the kernel sends it SIGTERM when this process
 * dies. Other systems have no parent-death signal: there it is started as it is and outlives a killed parent.
 */
export function spawnForeignTied(command: string, args: readonly string[], opts: TiedChildOptions = {}): ChildProcess {
  const options = { cwd: opts.cwd, env: opts.env, stdio: ['ignore', ...outputs(opts)] as ['ignore', Stream, Stream] };
  if (process.platform !== 'linux') return spawn(command, args, options);
  return spawn('setpriv', ['--pdeathsig', 'TERM', '--', command, ...args], options);
}

/**
 * In a Node entry script: when started by spawnNodeTied, the parent's death becomes SIGTERM to this
 * process: its own handler shuts it down, as bounded as for a person's `kill` (a receipt being printed
 * may finish); without one, SIGTERM ends it. Started any other way — by
 * hand, from a terminal — it does nothing. Grandchildren do not inherit the mark: each level ties its own.
 */
export function exitWithParent(): void {
  if (process.env[LIFELINE_ENV] !== 'stdin') return;
  delete process.env[LIFELINE_ENV];
  let gone = false;
  const parentGone = (): void => {
    if (gone) return;
    gone = true;
    process.kill(process.pid, 'SIGTERM');
  };
  // Nobody writes to the pipe; anything read is dropped. Unref'd: the lifeline alone keeps no process alive.
  process.stdin.on('data', () => undefined).once('end', parentGone).once('close', parentGone).once('error', parentGone);
  process.stdin.unref();
}
