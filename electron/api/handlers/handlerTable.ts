/**
 * The engine side of the contract: one handler per command, gathered from the domain modules. Each receives
 * input its schema has already accepted (see dispatch.ts) and returns plain JSON with library-relative paths.
 */
import { analysisHandlers } from './analysisHandlers.js';
import { appHandlers } from './appHandlers.js';
import { debugHandlers } from './debugHandlers.js';
import { evaluateHandlers } from './evaluateHandlers.js';
import { fileHandlers } from './fileHandlers.js';
import type { Handlers } from './handlerContext.js';
import { libraryHandlers } from './libraryHandlers.js';
import { modelHandlers } from './modelHandlers.js';
import { reviewHandlers } from './reviewHandlers.js';
import { sortingHandlers } from './sortingHandlers.js';

export const handlers: Handlers = {
  ...appHandlers,
  ...libraryHandlers,
  ...reviewHandlers,
  ...fileHandlers,
  ...sortingHandlers,
  ...modelHandlers,
  ...analysisHandlers,
  ...evaluateHandlers,
  ...debugHandlers,
};
