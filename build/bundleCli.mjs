/**
 * Bundles the command line and the processes it starts into `dist/electron/`: `cli.js` (in place of tsc's) and,
 * next to it, `decodeWorker.js`, `inferenceWorker.js` and `jobWorker.js`, where the bundled code looks for them
 * (`new URL('./decodeWorker.js', import.meta.url)`). A process then loads one file instead of about 250 modules
 * and the packages' own: `clipsort --help` starts in 0.27–0.39 s instead of 0.45–0.66 s on two cores, which
 * every command pays. Packages with native parts or loaders of their own stay outside, loaded from
 * node_modules. The desktop app runs tsc's output, whose workers lie beside their modules.
 */
import { build } from 'esbuild';

await build({
  entryPoints: [
    'electron/cli.ts',
    'electron/engine/imaging/decodeWorker.ts',
    'electron/engine/inference/inferenceWorker.ts',
    'electron/engine/jobs/jobWorker.ts',
  ],
  outdir: 'dist/electron',
  entryNames: '[name]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: [
    'sharp',
    'onnxruntime-node',
    'better-sqlite3',
    '@huggingface/tokenizers',
    'libheif-js',
    'electron',
  ],
  // The CommonJS packages bundled in call `require` for Node's own modules; an ES module has none of its own.
  banner: {
    js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
