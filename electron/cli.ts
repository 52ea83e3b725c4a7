#!/usr/bin/env node
/** The `clipsort` command line: one subcommand per job, all of them thin over the engine. */
import { Command } from 'commander';
import { registerClassifyCommand } from './cli/classify.js';
import { registerDebugCommand } from './cli/debug.js';
import { registerDuplicatesCommand } from './cli/duplicates.js';
import { registerEmbedCommand } from './cli/embed.js';
import { registerEvalCommand } from './cli/eval.js';
import { registerLibraryCommands } from './cli/library.js';
import { registerModelsCommand } from './cli/models.js';
import { runCli } from './cli/run.js';
import { registerSearchCommand } from './cli/search.js';
import { registerServeCommand } from './cli/serve.js';
import { registerSortCommands } from './cli/sort.js';

const program = new Command('clipsort')
  .description('Sort a photo folder into classes on your own computer with CLIP.')
  .option('--model-dir <dir>', 'use the CLIP model in this folder')
  .option('--json', 'print machine-readable JSON instead of text');
registerLibraryCommands(program);
registerSortCommands(program);
registerEmbedCommand(program);
registerClassifyCommand(program);
registerEvalCommand(program);
registerSearchCommand(program);
registerDuplicatesCommand(program);
registerModelsCommand(program);
registerDebugCommand(program);
registerServeCommand(program);

// A reader that has closed the pipe (`clipsort … | head -1`) wants no more: end quietly, not with a stack
// trace. `watch` and `serve` stop as on Ctrl+C, finishing the moves in flight; other commands just finish,
// their output going nowhere.
let pipeClosed = false;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    if (pipeClosed) return;
    pipeClosed = true;
    process.emit('SIGTERM', 'SIGTERM');
  });
}

await runCli(program, process.argv);
