// Lint rules, including the module boundaries of the design: the engine never imports electron, and each
// native package is reached through exactly one adapter module.
import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';

/**
 * The layers, one declaration each (read as "files in `target` import nothing from `from`"): the engine is a leaf
 * under everything; the renderer reaches the rest only through the contract, the client and the transports.
 */
const layers = [
  {
    target: 'electron/engine',
    from: [
      'electron/api',
      'electron/cli',
      'electron/shell',
      'electron/main.ts',
      'electron/preload.ts',
      'renderer',
    ],
    message: 'The engine is the bottom layer: it imports nothing of the faces.',
  },
  {
    target: 'electron/api',
    from: ['electron/cli', 'electron/shell', 'electron/main.ts', 'renderer'],
    message: 'The command layer serves the faces; it does not import them.',
  },
  {
    target: 'renderer',
    from: ['electron/engine', 'electron/cli', 'electron/shell', 'electron/main.ts', 'electron/preload.ts'],
    message: 'The renderer talks to the engine only through the contract, the client and the transports.',
  },
];

/** The one module allowed to import each native package. */
const nativeAdapters = {
  sharp: 'electron/engine/imaging/imageCodec.ts',
  'onnxruntime-node': 'electron/engine/inference/onnxRuntime.ts',
  'better-sqlite3': 'electron/engine/store/database.ts',
  chokidar: 'electron/engine/watch/watcher.ts',
};

/** Files of the Electron shell: the only ones that may import electron. */
const electronShell = ['electron/main.ts', 'electron/preload.ts', 'electron/shell/**/*.ts'];

const nativeMessage = (pkg, adapter) => `Only ${adapter} imports ${pkg}; go through it.`;
const electronMessage = 'The engine is plain Node: only the Electron shell imports electron.';

/** no-restricted-imports for a file that may import only the packages in `allowed`. */
const onlyAllow = (...allowed) => [
  'error',
  {
    paths: [
      ...Object.entries(nativeAdapters).map(([name, adapter]) => ({
        name,
        message: nativeMessage(name, adapter),
      })),
      { name: 'electron', message: electronMessage },
    ].filter(({ name }) => !allowed.includes(name)),
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test/fixtures/', 'test/artifacts/', '.cache/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js', 'build/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  { files: ['electron/**/*.ts', 'test/**/*.ts'], rules: { 'no-restricted-imports': onlyAllow() } },
  {
    // The unit tier runs pure code only (see vitest.config.ts): no disk, no processes, no native packages.
    files: ['test/**/*.unit.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:fs',
                'node:fs/*',
                'node:child_process',
                '**/helpers/tempDir.js',
                '**/helpers/cli.js',
              ],
              message:
                'A unit test touches neither the disk nor other processes; make it an integration test.',
            },
          ],
          paths: Object.keys(nativeAdapters).map((name) => ({
            name,
            message: 'A unit test uses no native package; make it an integration test.',
          })),
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.svelte'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: { 'import-x/no-restricted-paths': ['error', { zones: layers }] },
  },
  ...Object.entries(nativeAdapters).map(([pkg, adapter]) => ({
    files: [adapter],
    rules: { 'no-restricted-imports': onlyAllow(pkg) },
  })),
  { files: electronShell, rules: { 'no-restricted-imports': onlyAllow('electron') } },
  // Benchmarks weigh libvips' own options against what ClipSort chose, so they may call sharp directly.
  { files: ['test/bench/**/*.ts'], rules: { 'no-restricted-imports': onlyAllow('sharp') } },
  // The command line is a face like the page: it reaches the engine through the command table, taking from the
  // engine only its error type and, for the compiler, types. (A rule of its own: the layer rule above cannot
  // tell a type import from a value import.)
  {
    files: ['electron/cli.ts', 'electron/cli/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/engine/**', '!**/engine/errors.js'],
              allowTypeImports: true,
              message: 'The CLI reaches the engine through the command table (electron/cli/commands.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to the engine only through the client.' }],
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'child_process', 'os'],
              message: 'The renderer never uses Node.',
            },
          ],
        },
      ],
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  // Svelte components: parsed with TypeScript for their scripts; svelte-check type-checks them.
  ...svelte.configs.recommended,
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  { files: ['**/*.svelte'], ...tseslint.configs.disableTypeChecked },
  // TypeScript already knows the DOM's globals.
  { files: ['**/*.svelte'], rules: { 'no-undef': 'off' } },
);
