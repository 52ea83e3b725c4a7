/**
 * The one list of what a face may ask of the engine, and of what the engine tells it. Each command has a zod
 * schema for its input and one for its result; each event, one for its data. Electron IPC, the HTTP/WebSocket
 * server and the renderer's client are all derived from these tables. The contract imports nothing but zod and
 * the engine's shared names (a leaf module): the renderer imports it too.
 *
 * The commands are declared by domain (library.ts, review.ts, sorting.ts, model.ts, analysis.ts, evaluation.ts)
 * and spread into one table in commands.ts; the events likewise in events.ts.
 */
export {
  DEFAULT_DECISION,
  DEFAULT_HYBRID,
  DEFAULT_MODE,
  EXECUTION_PROVIDERS,
  MODES,
  PRECISIONS,
  type ExecutionProvider,
  type Mode,
  type Precision,
} from '../../engine/choices.js';
export { count, countPhrase, formatBytes } from '../../engine/units.js';
// The folder name `classes.create` will give a name, for the page to show it before it is created.
export { safeClassName, type NameChange } from '../../engine/library/safeNames.js';
export { CLUSTERINGS, LINKAGES, PROJECTIONS } from './analysis.js';
export {
  commandNames,
  commands,
  isCommandName,
  parseInput,
  type CommandInput,
  type CommandName,
  type CommandResult,
  type ParsedInput,
} from './commands.js';
export { ApiError, describeIssues, type ApiErrorBody, type InputIssue } from './errors.js';
export { MAX_CAPTIONS_CHARS } from './evaluation.js';
export { events, type ApiEvent, type EventData, type EventName } from './events.js';
export { IMAGE_FOLDERS } from './library.js';
export { libraryPath } from './schemas.js';
export { socketRequest, type SocketMessage, type SocketRequest } from './socketMessages.js';
export { CLASS_LANGUAGES, MAX_QUIET_SECONDS } from './sorting.js';
