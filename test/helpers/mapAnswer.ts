import type { CommandResult } from '../../electron/api/contract/index.js';
import { unpackMapPoints } from '../../electron/api/contract/mapPoints.js';

/** A `map.points` answer with its records unpacked into points (it must carry its file names). */
export function unpacked(answer: CommandResult<'map.points'>) {
  if (!answer.files) throw new Error('this map.points answer came without its file names');
  return { ...answer, points: unpackMapPoints(answer, answer.files) };
}
