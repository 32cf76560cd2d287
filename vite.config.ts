/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The browser tests cannot download model weights, so `vite build --mode e2e` swaps the single
 * module that creates the engine for the scripted test double in tests/doubles/. The production
 * build never sees tests/: there is no runtime switch to flip.
 */
function engineTestDouble(mode: string): Plugin {
  const real = `${root}src/engine/createEngine.ts`;
  const double = `${root}tests/doubles/createEngine.ts`;
  return {
    name: 'callama:engine-test-double',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (mode !== 'e2e') return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (resolved && resolved.id.split('?')[0] === real) return double;
      return null;
    },
  };
}

export default defineConfig(({ mode }) => ({
  // Relative base: the built site works from any path prefix on any static host.
  base: './',
  plugins: [engineTestDouble(mode), svelte()],
  worker: { format: 'es' },
  build: {
    outDir: mode === 'e2e' ? 'dist-e2e' : 'dist',
    target: 'es2022',
  },
  server: { port: 5173 },
  preview: { port: 4173 },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
  },
}));
