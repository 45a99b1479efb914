/**
 * Builds the console into `dist/` (served by the Argus server at `/`). `npm run dev -w
 * packages/ui` serves it with hot reload and proxies the API to a server on port 4318.
 */
import { defineConfig } from 'vite';

const API = process.env.ARGUS_URL ?? 'http://127.0.0.1:4318';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  server: { proxy: { '/api': API, '/health': API, '/v1': API } },
});
