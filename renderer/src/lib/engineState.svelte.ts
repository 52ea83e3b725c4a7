import type { Client } from '../../../electron/api/client.js';
import { toFailure, type Failure } from './errors.js';

/** The function that stops following something. */
export type Unsubscribe = () => void;

/**
 * State the page reads from the engine and changes through it, the one way every state class observes the engine:
 * `listen` reads the state and follows what `follow` subscribes to (engine events, the state bus) until the
 * function it returns disposes of the subscriptions; `refresh` reads it again; a person's actions run through
 * `act`, or `attempt` where they read nothing afterwards. A failed read or action is kept in `error`.
 *
 * Whoever shows a state listens to it, so that a state follows the engine exactly while it is on screen: a view
 * in its `onMount` (the unmount disposes), App for what the shell shows the whole time. States that hold only
 * what a person's actions return (groupings, searches, evaluations) have nothing to read or follow and are not
 * listened to.
 */
export abstract class EngineState {
  error = $state<Failure | undefined>();
  /** Whether a person's action is running. */
  busy = $state(false);

  protected readonly client: Client;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(client: Client) {
    this.client = client;
  }

  /** Reads the state from the engine into the fields; throws what went wrong. Nothing to read by default. */
  protected async read(): Promise<void> {}

  /** Subscribes to what the state follows while listened to; each subscription's function stops it. */
  protected follow(): Unsubscribe[] {
    return [];
  }

  /** What listening starts with: reading the state. */
  protected start(): Promise<void> {
    return this.refresh();
  }

  /**
   * Follows what `follow` subscribes to and reads the state now; returns the dispose function, which stops these
   * subscriptions and drops a read that `refreshSoon` was holding back.
   */
  listen(): Unsubscribe {
    const subscriptions = this.follow();
    void this.start();
    return () => {
      clearTimeout(this.#timer);
      for (const stop of subscriptions) stop();
    };
  }

  async refresh() {
    await this.attempt(() => this.read());
  }

  /**
   * Runs `task` and resolves with whether it worked: its failure is kept in `error`, and success clears `error`.
   * Where `current` says the answer was overtaken by a newer request, it changes neither.
   */
  protected async attempt(
    task: () => Promise<unknown>,
    current: () => boolean = () => true,
  ): Promise<boolean> {
    try {
      await task();
      if (current()) this.error = undefined;
      return true;
    } catch (error) {
      if (current()) this.fail(error);
      return false;
    }
  }

  /** Keeps what went wrong in `error`. */
  protected fail(error: unknown) {
    this.error = toFailure(error);
  }

  /** Runs a person's action, then reads the state again; the action's failure outlives the refresh. */
  protected async act(action: () => Promise<unknown>) {
    this.busy = true;
    let failure: Failure | undefined;
    try {
      await action();
    } catch (error) {
      failure = toFailure(error);
    }
    await this.refresh();
    if (failure) this.error = failure;
    this.busy = false;
  }

  /**
   * Reads the state again `ms` after the last call, so that a burst of events costs one read; with
   * `afterActions`, not before the running action has answered.
   */
  protected refreshSoon(ms: number, afterActions = false) {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      if (afterActions && this.busy) this.refreshSoon(ms, afterActions);
      else void this.refresh();
    }, ms);
  }
}
