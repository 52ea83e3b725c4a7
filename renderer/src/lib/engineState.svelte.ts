import { toFailure, type Failure } from './errors.js';

/**
 * State the page reads from the engine and changes through it: `refresh` reads it again, a person's actions run
 * through `act`, and events can ask for a read once they settle. A failed read or action is kept in `error`.
 */
export abstract class EngineState {
  error = $state<Failure | undefined>();
  /** Whether a person's action is running. */
  busy = $state(false);

  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Reads the state from the engine into the fields; throws what went wrong. */
  protected abstract read(): Promise<void>;

  async refresh() {
    try {
      await this.read();
      this.error = undefined;
    } catch (error) {
      this.error = toFailure(error);
    }
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
   * Reads the state now and follows the engine's events through `subscriptions`; returns the function that
   * stops following them.
   */
  protected follow(subscriptions: (() => void)[]): () => void {
    void this.refresh();
    return () => {
      clearTimeout(this.#timer);
      for (const stop of subscriptions) stop();
    };
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
