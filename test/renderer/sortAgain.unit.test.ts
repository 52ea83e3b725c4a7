/**
 * Sorting again from the page: the outcome line says, in English and Spanish, how many images were filed, how
 * many still wait and how many failed, each with the word for that many; the state asks `sort.pass` to recheck,
 * keeps what it did (or why it failed), and tells the page's other states that the library changed.
 */
import './runes.js';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../electron/api/client.js';
import { ApiError, type CommandResult } from '../../electron/api/contract/index.js';
import { en, type MessageKey } from '../../renderer/src/i18n/en.js';
import { es } from '../../renderer/src/i18n/es.js';
import { count, countPhrase } from '../../electron/engine/units.js';
import { SortAgain } from '../../renderer/src/lib/sortAgain.svelte.js';
import { countOutcome, outcomeLine } from '../../renderer/src/lib/sortAgainOutcome.js';
import { createStateBus } from '../../renderer/src/lib/stateEvents.js';

const english = (key: MessageKey) => en[key];
const spanish = (key: MessageKey) => es[key];

const pass: CommandResult<'sort.pass'> = {
  sorted: [
    { file: 'Images/a.jpg', class: 'red', to: 'Dataset/red/a.jpg', score: 0.9, margin: 0.3, companions: [] },
    {
      file: 'Images/b.jpg',
      class: 'blue',
      to: 'Dataset/blue/b.jpg',
      score: 0.8,
      margin: 0.2,
      companions: [],
    },
    {
      file: 'Images/c.jpg',
      class: 'blue',
      to: 'Dataset/blue/c.jpg',
      score: 0.7,
      margin: 0.2,
      companions: [],
    },
  ],
  review: [
    { file: 'Images/d.jpg', reason: 'score', best: 'red', score: 0.2, margin: 0.1 },
    { file: 'Images/e.jpg', reason: 'margin', best: 'green', score: 0.6, margin: 0 },
  ],
  errors: [],
};

describe('the outcome of sorting again', () => {
  it('counts what the pass filed, left waiting and failed on', () => {
    expect(countOutcome(pass)).toEqual({ filed: 3, waiting: 2, failed: 0 });
    const failing = { ...pass, errors: [{ file: 'Images/f.jpg', error: 'unreadable' }] };
    expect(countOutcome(failing)).toEqual({ filed: 3, waiting: 2, failed: 1 });
  });

  it('reads as one line in English', () => {
    expect(outcomeLine({ filed: 3, waiting: 2, failed: 0 }, 'en', english)).toBe('3 filed, 2 still waiting');
    expect(outcomeLine({ filed: 1, waiting: 0, failed: 0 }, 'en', english)).toBe('1 filed, 0 still waiting');
    expect(outcomeLine({ filed: 0, waiting: 1, failed: 2 }, 'en', english)).toBe(
      '0 filed, 1 still waiting, 2 failed',
    );
    expect(outcomeLine({ filed: 1200, waiting: 0, failed: 0 }, 'en', english)).toBe(
      '1,200 filed, 0 still waiting',
    );
    expect(outcomeLine({ filed: 0, waiting: 0, failed: 0 }, 'en', english)).toBe(en['sortAgain.nothing']);
  });

  it('agrees with the count in Spanish', () => {
    expect(outcomeLine({ filed: 3, waiting: 2, failed: 0 }, 'es', spanish)).toBe(
      '3 archivadas, 2 siguen esperando',
    );
    expect(outcomeLine({ filed: 1, waiting: 1, failed: 1 }, 'es', spanish)).toBe(
      '1 archivada, 1 sigue esperando, 1 falló',
    );
    expect(outcomeLine({ filed: 0, waiting: 0, failed: 2 }, 'es', spanish)).toBe(
      '0 archivadas, 0 siguen esperando, 2 fallaron',
    );
  });

  it('counts in the notation of the language, as the rest of the page does', () => {
    expect(countPhrase('en', 1, 'move', 'moves')).toBe('1 move');
    expect(countPhrase('en', 2, 'move', 'moves')).toBe('2 moves');
    expect(countPhrase('es', 12000, 'movimiento', 'movimientos')).toBe('12.000 movimientos');
    expect(countPhrase('es', 0, 'imagen', 'imágenes')).toBe('0 imágenes');
    // The engine's and the command line's English: no "1 files", no "file(s)".
    expect([count(1, 'file'), count(0, 'file'), count(2, 'class', 'classes')]).toEqual([
      '1 file',
      '0 files',
      '2 classes',
    ]);
  });
});

/** A client whose `sort.pass` answers with `answer` (or throws it), recording the inputs it was sent. */
function engine(answer: () => unknown) {
  const inputs: unknown[] = [];
  const client = createClient({
    invoke(name, input) {
      if (name !== 'sort.pass') return Promise.reject(new Error(`No answer for ${name}`));
      inputs.push(input);
      return Promise.resolve().then(answer);
    },
    subscribe: () => () => undefined,
  });
  return { client, inputs };
}

describe('the state of sorting again', () => {
  it('rechecks every waiting image, keeps what it did and says the library changed', async () => {
    const { client, inputs } = engine(() => pass);
    const bus = createStateBus();
    let changed = 0;
    bus.on('library-changed', () => changed++);
    const state = new SortAgain(client, bus);
    const running = state.run();
    expect(state.busy).toBe(true);
    // A second click while it runs asks nothing more.
    await state.run();
    await running;
    expect(inputs).toEqual([{ recheck: true }]);
    expect(state.busy).toBe(false);
    expect(state.outcome).toEqual({ filed: 3, waiting: 2, failed: 0 });
    expect(state.error).toBeUndefined();
    expect(changed).toBe(1);
  });

  it('keeps the failure for the view to show, and still says the library may have changed', async () => {
    const { client } = engine(() => {
      throw new ApiError({ code: 'model-missing', message: 'No model.' });
    });
    const bus = createStateBus();
    let changed = 0;
    bus.on('library-changed', () => changed++);
    const state = new SortAgain(client, bus);
    await state.run();
    expect(state.error).toEqual({ code: 'model-missing', message: 'No model.' });
    expect(state.outcome).toBeUndefined();
    expect(state.busy).toBe(false);
    expect(changed).toBe(1);
  });
});
