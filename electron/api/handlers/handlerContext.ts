/**
 * What a command handler may reach: the open library, the model, and the few application services the commands
 * need. `ApiService` provides it; each handler module asks for only the part it uses, so no handler depends on the
 * service itself.
 */
import type { CommandName, CommandResult, ParsedInput } from '../contract/index.js';
import type { AppConfig } from '../state/appConfig.js';
import type { LibrarySession } from '../state/librarySession.js';
import type { ModelHolder, RuntimeChange } from '../state/modelHolder.js';
import type { ModelInstaller } from '../state/modelInstaller.js';
import type { Emit } from '../state/sortService.js';

export interface HandlerContext {
  /** `desktop`: the app, which may switch libraries; `browser`: `clipsort serve`, fixed to one library. */
  readonly face: 'desktop' | 'browser';
  /** The open library, or a `no-library` error a face can show. */
  library(): LibrarySession;
  /** The open library, if any. */
  openLibrary(): LibrarySession | undefined;
  /** Refuses what would reach folders outside the open library where the face may not (`clipsort serve`). */
  assertMaySwitch(what: string): void;
  /** Makes `folder` a library (if needed) and opens it in place of the open one; returns the folders created. */
  switchLibrary(folder: string, init: boolean): Promise<{ session: LibrarySession; created: string[] }>;
  /** Runs the model with new threads or provider, and keeps them for this computer. */
  setRuntime(change: RuntimeChange): Promise<void>;
  readonly model: Pick<ModelHolder, 'get' | 'runtime' | 'report' | 'loadInstalled'>;
  readonly models: Pick<ModelInstaller, 'download' | 'cancel' | 'import' | 'use'>;
  readonly config: Pick<AppConfig, 'recentLibraries' | 'forget'>;
  /** Pushes an event to every face listening (progress of a long command). */
  readonly emit: Emit;
}

/** Runs one command on input its schema has already accepted, with the part `C` of the context it uses. */
export type Handler<N extends CommandName, C = HandlerContext> = (
  input: ParsedInput<N>,
  context: C,
) => Promise<CommandResult<N>>;

/** The handlers of some commands, all using the same part of the context. */
export type HandlersFor<N extends CommandName, C = HandlerContext> = { [K in N]: Handler<K, C> };

/** The handler table: the compiler checks that every command has one, with the contract's types. */
export type Handlers = HandlersFor<CommandName>;
