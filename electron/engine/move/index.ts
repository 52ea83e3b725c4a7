/** Moving files safely: the journal, the mover, crash recovery and undo. */
export {
  MoveJournal,
  newBatchId,
  type MoveKind,
  type MoveMethod,
  type MoveRow,
  type MoveState,
} from '../store/moveJournal.js';
export { FileMover, moveFile, type FileMoverOptions } from './fileMover.js';
export type { Companion, MoveRequest, MoveResult } from './moveRequest.js';
export { FileCopier, type CopyRequest, type CopyResult } from './copyFile.js';
export { recoverMoves, type MoveProblem, type RecoveryReport } from './recoverMoves.js';
export { undoMoves, type UndoOptions, type UndoReport } from './undoMoves.js';
export { freeName, nameKey, numberedName, splitName, takenKeys } from './freeName.js';
export { isTemporaryName } from './crossDevice.js';
export type { BusyRetry } from './patientUnlink.js';
