/**
 * How fresh the header's status is (issue 19 point 3: a change shows within 3 s). A serial printer and
 * an HTTP back end send nothing when they stop answering, so both are asked on a short interval: the
 * printer's short status is a few dozen bytes, and a silent one is given up on after five unanswered
 * ENQs (about 0.8 s, transport.ts); a back-end probe is bounded by its own 2 s timeout.
 */
export const STATUS_PROBE_MS = 1_000;
export const BACKEND_PROBE_TIMEOUT_MS = 2_000;

/**
 * Runs `probe` every `intervalMs`, never two at once: a probe queued behind a long receipt on the one
 * printer connection is not joined by another each second. The probe settles its own failures.
 */
export function startProbe(probe: () => Promise<void>, intervalMs: number = STATUS_PROBE_MS): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void probe().finally(() => {
      running = false;
    });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
