/** A child for ChildChannel tests: echoes `value`, and dies of a segmentation fault when asked to "crash". */
process.on('message', (message: { id: number; value: string }) => {
  if (message.value === 'crash') process.kill(process.pid, 'SIGSEGV');
  else process.send!({ id: message.id, value: message.value, pid: process.pid });
});
process.on('disconnect', () => process.exit(0));
