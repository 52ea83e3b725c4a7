/** A listener as the bus keeps it, whatever its event's payload. */
type Listener = (payload: never) => void;

/** A typed event bus: `Events` maps each event's name to its payload (`undefined` for an event without one). */
export class EventBus<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<Listener>>();

  /** Calls `listener` with every `event` emitted until the returned function is called. */
  on<E extends keyof Events>(event: E, listener: (payload: Events[E]) => void): () => void {
    // A wrapper of its own, so that the same function subscribed twice is stopped once per subscription.
    const entry = (payload: Events[E]) => listener(payload);
    const listeners = this.#listeners.get(event) ?? new Set<Listener>();
    this.#listeners.set(event, listeners.add(entry));
    return () => void listeners.delete(entry);
  }

  emit<E extends keyof Events>(event: E, ...[payload]: Events[E] extends undefined ? [] : [Events[E]]): void {
    // A copy: a listener may stop (or start) listening while the event is delivered.
    for (const listener of [...(this.#listeners.get(event) ?? [])]) listener(payload as never);
  }
}
