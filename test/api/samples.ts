import type { CommandInput, CommandName } from '../../electron/api/contract.js';

/** One valid input per command (the compiler insists on every command). */
export const validInputs: { [N in CommandName]: CommandInput<N> } = {
  'library.open': { path: '/tmp/library' },
  'library.init': { path: '/tmp/library' },
  'library.status': {},
  'classes.list': {},
  'classes.create': { name: 'wild animals' },
  'review.list': {},
  'review.assign': { file: 'Images/a.jpg', class: 'red', asReference: true },
  'moves.recent': { limit: 10 },
  'moves.undo': { last: 2 },
  'sort.start': {},
  'sort.stop': {},
  'settings.get': {},
  'settings.set': { mode: 'max', threshold: 0.7, margin: null },
  'model.status': {},
  'images.list': { folder: 'Dataset', offset: 0, limit: 50 },
};
