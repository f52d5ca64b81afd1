import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** `pnpm --filter @runcast/dashboard dev` proxies the API of a `runcast serve` on RUNCAST_API. */
const api = process.env.RUNCAST_API ?? 'http://127.0.0.1:4600';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    sourcemap: false,
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod's sources carry /* @__PURE__ */ comments Rollup cannot place: harmless, noisy.
        if (warning.code === 'INVALID_ANNOTATION') return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: {
      '/trpc': { target: api, changeOrigin: true },
      '/api': { target: api, changeOrigin: true },
      '/healthz': { target: api, changeOrigin: true },
    },
  },
});
