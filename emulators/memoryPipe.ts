/**
 * An in-memory cable between a host and the emulated device. The host end has the shape of the driver's
 * port (write, onData, onClose, close, isOpen, description), declared here rather than imported, so the
 * emulator depends on nothing in main/. Bytes arrive at the other end on a later turn of the event loop,
 * in order, as they would from a real port.
 */
export interface PipeEnd {
  write(bytes: Uint8Array): Promise<void>;
  onData(listener: (chunk: Buffer) => void): () => void;
  onClose(listener: (error?: Error) => void): () => void;
  close(): Promise<void>;
  readonly isOpen: boolean;
  readonly description: string;
}

export function createPipe(): [host: PipeEnd, device: PipeEnd] {
  const data = [new Set<(chunk: Buffer) => void>(), new Set<(chunk: Buffer) => void>()] as const;
  const closed = [new Set<(error?: Error) => void>(), new Set<(error?: Error) => void>()] as const;
  let open = true;
  const end = (me: 0 | 1): PipeEnd => ({
    description: `memory:${me === 0 ? 'host' : 'device'}`,
    get isOpen() {
      return open;
    },
    async write(bytes) {
      if (!open) throw new Error('memory pipe is closed');
      const copy = Buffer.from(bytes);
      setImmediate(() => {
        if (open) for (const l of [...data[me === 0 ? 1 : 0]]) l(copy);
      });
    },
    onData(l) {
      data[me].add(l);
      return () => data[me].delete(l);
    },
    onClose(l) {
      closed[me].add(l);
      return () => closed[me].delete(l);
    },
    async close() {
      if (!open) return;
      open = false;
      setImmediate(() => {
        for (const set of closed) for (const l of [...set]) l();
      });
    },
  });
  return [end(0), end(1)];
}
