import { createClient, type Transport } from '../../electron/api/client.js';
import type { ApiEvent, EventData, EventName } from '../../electron/api/contract/index.js';

/**
 * A client over a transport that answers each command with `answers[name]` (a thrown error is the command's
 * failure), records the commands asked, and delivers the events pushed to whoever subscribed.
 */
export function fakeEngine(answers: Record<string, () => unknown>) {
  const asked: string[] = [];
  const listeners = new Set<(event: ApiEvent) => void>();
  const transport: Transport = {
    invoke(name) {
      asked.push(name);
      const answer = answers[name];
      return answer ? Promise.resolve().then(answer) : Promise.reject(new Error(`No answer for ${name}`));
    },
    subscribe(handler) {
      listeners.add(handler);
      return () => void listeners.delete(handler);
    },
  };
  return {
    client: createClient(transport),
    /** How often `name` was asked. */
    count: (name: string) => asked.filter((n) => n === name).length,
    push<E extends EventName>(event: E, data: EventData<E>) {
      for (const listener of [...listeners]) listener({ event, data } as ApiEvent);
    },
    /** How many subscriptions are open. */
    get subscriptions() {
      return listeners.size;
    },
  };
}

/** Lets every answer already given reach the state that asked. */
export const settle = () => new Promise((resolve) => setImmediate(resolve));
