/**
 * The renderer's only way to the engine: `invoke` a command and listen `on` events, typed from the contract, over
 * whichever transport the face provides (WebSocket in the browser, IPC in Electron). No Node or Electron imports.
 */
import {
  ApiError,
  events,
  parseInput,
  type ApiEvent,
  type CommandInput,
  type CommandName,
  type CommandResult,
  type EventData,
  type EventName,
} from './contract/index.js';

/** What a face must provide: send one command, and deliver pushed events. */
export interface Transport {
  /** Resolves with the command's result, or rejects with an `ApiError`. */
  invoke(name: CommandName, input: unknown): Promise<unknown>;
  /** Calls `handler` with every event until the returned function is called. */
  subscribe(handler: (event: ApiEvent) => void): () => void;
}

export interface Client {
  invoke<N extends CommandName>(
    name: N,
    ...input: Record<never, never> extends CommandInput<N> ? [CommandInput<N>?] : [CommandInput<N>]
  ): Promise<CommandResult<N>>;
  /** Listens to one event; returns the function that stops listening. */
  on<E extends EventName>(event: E, handler: (data: EventData<E>) => void): () => void;
}

/** A typed client over `transport`. Inputs are checked before they are sent, so mistakes fail fast and clearly. */
export function createClient(transport: Transport): Client {
  return {
    async invoke<N extends CommandName>(name: N, ...[input]: [CommandInput<N>?]) {
      const parsed = parseInput(name, input === undefined ? {} : input);
      if (!parsed.ok) throw new ApiError(parsed.error);
      return (await transport.invoke(name, parsed.input)) as CommandResult<N>;
    },
    on<E extends EventName>(event: E, handler: (data: EventData<E>) => void) {
      return transport.subscribe((message) => {
        if (message.event !== event) return;
        // Events are checked too: a renderer never acts on a malformed push.
        const data = events[event].safeParse(message.data);
        if (data.success) handler(data.data as EventData<E>);
      });
    },
  };
}
