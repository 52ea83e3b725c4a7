/**
 * Sorts a library's inbox in its own process so that a test can kill it with SIGKILL at any point.
 * Usage: node --import tsx test/move/moveInChild.ts <root> <classes, comma-separated>
 * Every image under Images/ (with the files of its group, see fileGroups.ts) goes to Dataset/<class>, the class
 * picked from the image's position. Prints `ready` before the first move, `moved <n>` after each, and `done <n>`
 * at the end.
 */
import path from 'node:path';
import { walkImageFolder } from '../../electron/engine/library/imageFiles.js';
import { FileMover } from '../../electron/engine/move/fileMover.js';
import { newBatchId } from '../../electron/engine/store/moveJournal.js';
import { LibraryIndex } from '../../electron/engine/store/libraryIndex.js';

const [root, classList] = process.argv.slice(2);
if (!root || !classList) throw new Error('usage: moveInChild.ts <root> <classes>');
const classes = classList.split(',');
const index = LibraryIndex.open(root);
const mover = new FileMover(root, index);
const batch = newBatchId();
const { files } = await walkImageFolder(root, path.join(root, 'Images'));
process.stdout.write('ready\n');
for (const [position, file] of files.entries()) {
  await mover.move({
    from: file,
    toFolder: `Dataset/${classes[position % classes.length]}`,
    kind: 'sort',
    batch,
  });
  process.stdout.write(`moved ${position + 1}\n`);
}
index.close();
process.stdout.write(`done ${files.length}\n`);
