import { describe, expect, it } from 'vitest';
import { filedEarlier, groupRuns, runLabel, type Move } from '../../renderer/src/lib/moveHistory.js';

let nextId = 100;
const move = (
  m: Partial<Move> & Pick<Move, 'batch' | 'kind' | 'state' | 'source' | 'destination'>,
): Move => ({
  id: nextId--,
  error: null,
  plannedAt: 0,
  finishedAt: null,
  origin: null,
  companionOf: null,
  ...m,
});

describe('the recent moves', () => {
  it('groups moves by run, newest first, and says which can be undone', () => {
    const moves = [
      move({
        batch: 'b2',
        kind: 'assign',
        state: 'done',
        source: 'Images/c.png',
        destination: 'Dataset/red/c.png',
      }),
      move({
        batch: 'b1',
        kind: 'sort',
        state: 'done',
        source: 'Images/a.png',
        destination: 'Dataset/red/a.png',
      }),
      move({
        batch: 'b1',
        kind: 'sort',
        state: 'failed',
        source: 'Images/b.png',
        destination: 'Dataset/red/b.png',
      }),
    ];
    const runs = groupRuns(moves);
    expect(runs.map((r) => [r.batch, r.kind, r.moves.length, r.undoable])).toEqual([
      ['b2', 'assign', 1, true],
      ['b1', 'sort', 2, true],
    ]);
    expect(runs[1]!.moves.map((m) => m.undoable)).toEqual([true, false]);
  });

  it('shows each image where it is now, and no thumbnail where a newer move took it away', () => {
    // Oldest first: a.png sorted to red, the run undone (back to Images/), then filed by hand to green.
    const sorted = move({
      batch: 's',
      kind: 'sort',
      state: 'undone',
      source: 'Images/a.png',
      destination: 'Dataset/red/a.png',
    });
    const undo = move({
      batch: 'u',
      kind: 'undo',
      state: 'done',
      source: 'Dataset/red/a.png',
      destination: 'Images/a.png',
    });
    const filed = move({
      batch: 'f',
      kind: 'assign',
      state: 'done',
      source: 'Images/a.png',
      destination: 'Dataset/green/a.png',
    });
    const [f, u, s] = groupRuns([filed, undo, sorted]).map((r) => r.moves[0]!);
    expect(f!.current).toBe('Dataset/green/a.png');
    expect(u!.current).toBeNull();
    expect(s!.current).toBeNull();
    expect([f!.undoable, u!.undoable, s!.undoable]).toEqual([true, false, false]);

    // Before the filing, the undone sort and the undo both show the image back in the inbox.
    const [u2, s2] = groupRuns([undo, sorted]).map((r) => r.moves[0]!);
    expect(u2!.current).toBe('Images/a.png');
    expect(s2!.current).toBe('Images/a.png');
  });

  it('shows no thumbnail for a move still in progress', () => {
    const [run] = groupRuns([
      move({
        batch: 'p',
        kind: 'sort',
        state: 'planned',
        source: 'Images/p.png',
        destination: 'Dataset/a/p.png',
      }),
    ]);
    expect(run!.moves[0]!.current).toBeNull();
    expect(run!.undoable).toBe(false);
  });

  it('shows a failed or rolled-back move at its source', () => {
    const [run] = groupRuns([
      move({
        batch: 'x',
        kind: 'sort',
        state: 'rolled-back',
        source: 'Images/r.png',
        destination: 'Dataset/a/r.png',
      }),
    ]);
    expect(run!.moves[0]!.current).toBe('Images/r.png');
    expect(run!.undoable).toBe(false);
  });
});

describe('naming runs and what happened before', () => {
  it('names a run by where a person made it, else by its kind', () => {
    expect(runLabel({ kind: 'assign', origin: 'map' })).toBe('run.map');
    expect(runLabel({ kind: 'assign', origin: 'search' })).toBe('run.search');
    expect(runLabel({ kind: 'assign', origin: null })).toBe('run.assign');
    expect(runLabel({ kind: 'sort', origin: null })).toBe('run.sort');
  });

  it('lists the moves that filed an image, newest first, without undos or failures', () => {
    const moves = [
      move({
        batch: 'u',
        kind: 'undo',
        state: 'done',
        source: 'Dataset/red/a.png',
        destination: 'Images/a.png',
      }),
      move({
        batch: 's',
        kind: 'sort',
        state: 'undone',
        source: 'Images/a.png',
        destination: 'Dataset/red/a.png',
      }),
      move({
        batch: 's',
        kind: 'sort',
        state: 'done',
        source: 'Images/b.png',
        destination: 'Dataset/red/b.png',
      }),
      move({
        batch: 's',
        kind: 'sort',
        state: 'failed',
        source: 'Images/c.png',
        destination: 'Dataset/red/c.png',
      }),
      move({
        batch: 'm',
        kind: 'assign',
        state: 'done',
        source: 'Images/d.png',
        destination: 'Dataset/blue/d.png',
      }),
    ];
    expect(filedEarlier(moves, 10).map((m) => m.source)).toEqual(['Images/b.png', 'Images/d.png']);
    expect(filedEarlier(moves, 1)).toHaveLength(1);
  });

  it('lists the files that went with a photo under its move, and leaves out those whose photo is not listed', () => {
    // Newest first, as the journal answers: the companions were planned after their photo.
    const lead = move({
      batch: 's',
      kind: 'sort',
      state: 'done',
      source: 'Images/a.jpg',
      destination: 'Dataset/red/a.jpg',
    });
    const xmp = move({
      batch: 's',
      kind: 'sort',
      state: 'done',
      source: 'Images/a.xmp',
      destination: 'Dataset/red/a.xmp',
      companionOf: lead.id,
    });
    const raw = move({
      batch: 's',
      kind: 'sort',
      state: 'done',
      source: 'Images/a.dng',
      destination: 'Dataset/red/a.dng',
      companionOf: lead.id,
    });
    const stray = move({
      batch: 's',
      kind: 'sort',
      state: 'done',
      source: 'Images/z.mov',
      destination: 'Dataset/red/z.mov',
      companionOf: 1,
    });
    const moves = [stray, raw, xmp, lead];
    const [run] = groupRuns(moves);
    expect(run!.moves.map((m) => [m.source, m.companions])).toEqual([
      ['Images/a.jpg', ['Dataset/red/a.xmp', 'Dataset/red/a.dng']],
    ]);
    expect(filedEarlier(moves, 10).map((m) => m.source)).toEqual(['Images/a.jpg']);
  });
});
