/** Writes one JSON document to stdout (the only thing on stdout with `--json`). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Writes a line for people to stdout. */
export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Warns on stderr (never stdout, which may carry JSON). */
export function warn(message: string): void {
  process.stderr.write(`clipsort: ${message}\n`);
}
