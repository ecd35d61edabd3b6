import type { ApiEvent, ApiEvents } from '@shared/api/contract';

export type EventListener = <E extends ApiEvent>(event: E, payload: ApiEvents[E]) => void;

/** Events of one API session (one window or one browser connection). Transports subscribe once. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit<E extends ApiEvent>(event: E, payload: ApiEvents[E]): void {
    for (const l of [...this.listeners]) {
      try {
        l(event, payload);
      } catch (err) {
        process.stderr.write(
          `netpol-doctor: event listener for ${event} failed: ${(err as Error).message}\n`,
        );
      }
    }
  }

  /** Returns the unsubscribe function. */
  on(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.listeners.clear();
  }
}
