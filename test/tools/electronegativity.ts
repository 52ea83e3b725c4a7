/**
 * Runs Electronegativity over the Electron code (`electron/`) and fails on any medium or high finding that is not
 * accounted for below. Its CLI exits 0 whatever it finds (doyensec/electronegativity#108), hence the API.
 * Run with `npx tsx test/tools/electronegativity.ts`; it works offline (the release check just fails quietly).
 */
import { createRequire } from 'node:module';
import path from 'node:path';

interface Finding {
  id: string;
  file: string;
  description: string;
  severity: { value: number; name: string };
  confidence: { name: string };
  location: { line: number };
}

/**
 * Findings that a static scan cannot settle and a test settles instead: the window's preferences come from
 * `windowWebPreferences()` and the CSP from `CONTENT_SECURITY_POLICY`, which the scan does not follow.
 */
const ACCOUNTED: Record<string, string> = {
  'CONTEXT_ISOLATION_JS_CHECK shell/window.ts': 'test/electron/securityPolicy.test.ts: contextIsolation true',
  'NODE_INTEGRATION_JS_CHECK shell/window.ts': 'test/electron/securityPolicy.test.ts: nodeIntegration false',
  'SANDBOX_JS_CHECK shell/window.ts': 'test/electron/securityPolicy.test.ts: sandbox true',
  'AUXCLICK_JS_CHECK shell/window.ts': 'securityPolicy.ts disables Auxclick; window.open is always denied',
  'REMOTE_MODULE_JS_CHECK shell/window.ts': 'the remote module no longer exists in Electron 14 and later',
  'CSP_GLOBAL_CHECK N/A':
    'test/electron/securityPolicy.test.ts: the CSP sent with every clipsort:// response',
};

const MEDIUM = 2;
const root = path.resolve(import.meta.dirname, '../..');
interface Result {
  issues: Finding[];
  errors: { file: string; message: string }[];
}
interface Options {
  input: string;
  isRelative: boolean;
  electronVersion: string;
}

// The package ships no types: its API is typed here.
const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity') as (options: Options) => Promise<Result>;
const { version } = require('electron/package.json') as { version: string };
const result = await run({ input: path.join(root, 'electron'), isRelative: true, electronVersion: version });

for (const error of result.errors)
  console.warn(`electronegativity could not read ${error.file}: ${error.message}`);
const serious = result.issues.filter((issue) => issue.severity.value >= MEDIUM);
const open = serious.filter((issue) => !ACCOUNTED[`${issue.id} ${issue.file}`]);
for (const issue of serious) {
  const reason = ACCOUNTED[`${issue.id} ${issue.file}`];
  const where = `${issue.file}:${issue.location.line}`;
  console.log(
    `${reason ? 'accounted' : 'FINDING'}  ${issue.severity.name} ${issue.id} ${where}${reason ? ` (${reason})` : ''}`,
  );
}
if (open.length > 0) {
  console.error(`${open.length} medium or high Electronegativity finding(s) need a fix.`);
  process.exit(1);
}
console.log('Electronegativity: no open medium or high findings.');
