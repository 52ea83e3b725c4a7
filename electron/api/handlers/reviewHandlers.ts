/** The images waiting for a person, filing one by hand, the move journal, and undoing moves. */
import type { HandlerContext, HandlersFor } from './handlerContext.js';
import type { MoveRow } from '../../engine/store/moveJournal.js';
import { assignImage, undoAndHold } from './reviewActions.js';

const DEFAULT_RECENT = 100;

/** The move of the photo a file went with, when it is not that photo itself. */
const companionOf = (move: MoveRow, leads: ReadonlyMap<string, number>): number | null => {
  const lead = move.group === null ? undefined : leads.get(move.group);
  return lead === undefined || lead === move.id ? null : lead;
};

export const reviewHandlers: HandlersFor<
  'review.list' | 'review.assign' | 'moves.recent' | 'moves.undo',
  Pick<HandlerContext, 'library'>
> = {
  'review.list'(_input, context) {
    return Promise.resolve({ items: context.library().index.review.entries() });
  },

  'review.assign'({ file, class: name, asReference }, context) {
    const { root, index } = context.library().forMoving();
    return assignImage(root, index, { file, class: name, asReference });
  },

  async 'moves.recent'({ limit }, context) {
    const journal = context.library().index.moves;
    const recent = journal.recent(limit ?? DEFAULT_RECENT);
    const origins = journal.originsOf(recent.map((m) => m.batch));
    const leads = journal.leadsOf(recent.flatMap((m) => (m.group === null ? [] : [m.group])));
    const moves = recent.map((m) => ({
      id: m.id,
      batch: m.batch,
      kind: m.kind,
      state: m.state,
      source: m.source,
      destination: m.destination,
      error: m.error,
      plannedAt: m.plannedAt,
      finishedAt: m.finishedAt,
      origin: origins.get(m.batch) ?? null,
      companionOf: companionOf(m, leads),
    }));
    return Promise.resolve({ moves });
  },

  async 'moves.undo'({ last, all, batch, ids }, context) {
    const library = context.library().forMoving();
    const report = await undoAndHold(library.root, library.index, { last, all, batch, ids });
    const waiting = report.restored.map(({ to }) => to).filter((file) => library.index.review.get(file));
    await library.sort.suggest(waiting);
    return report;
  },
};
