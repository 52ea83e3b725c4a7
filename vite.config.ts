// Builds the renderer (renderer/) into dist/renderer/, which `clipsort serve` and Electron load. The page runs
// under a CSP that allows scripts and styles only from 'self', so styles go to .css files, never inline.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [svelte({ configFile: false, compilerOptions: { css: 'external' } })],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    sourcemap: true,
  },
});
