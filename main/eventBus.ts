import { EventEmitter } from 'node:events';
import { events, type EventName, type EventPayload } from '../preload/contract';

/**
 * Typed events from main to every UI (Electron windows and SSE clients). Payloads are checked against
 * the contract when emitted, so a producer bug shows up at its source, not in the renderer.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private readonly last = new Map<EventName, unknown>();

  constructor() {
    // Every open window and SSE stream adds a listener; a store has a handful, tests open many.
    this.emitter.setMaxListeners(200);
  }

  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    const checked = events[name].parse(payload);
    this.last.set(name, checked);
    this.emitter.emit('event', name, checked);
  }

  /** Listens to every event; returns the unsubscribe function. */
  onAny(listener: (name: EventName, payload: unknown) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  /** The latest payload of each event, so a UI that connects late starts from the current state. */
  snapshot(): Array<[EventName, unknown]> {
    return [...this.last.entries()];
  }
}
