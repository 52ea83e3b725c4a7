/** The event table, spread from the domains that push events. */
import { z } from 'zod';
import { modelEvents } from './model.js';
import { sortingEvents } from './sorting.js';

/** Every event the engine pushes. */
export const events = {
  ...sortingEvents,
  ...modelEvents,
  /** Something a person should know that is about no one image (polling fallback, a folder missing). */
  notice: z.object({ message: z.string() }),
  /**
   * Images embedded so far of the `total` a command needs before it can answer (search, evaluation, classify,
   * embed); those embedded before come from the index at once.
   */
  embedding: z.object({ done: z.number(), total: z.number() }),
} as const;

export type EventName = keyof typeof events;
export type EventData<E extends EventName> = z.output<(typeof events)[E]>;
/** One pushed event, as it travels. */
export type ApiEvent = { [E in EventName]: { event: E; data: EventData<E> } }[EventName];
