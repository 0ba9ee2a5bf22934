// Builds the dashboard into web/dist, which attendance-server serves at / (--web-root).
// `npm run dev` serves it with hot reload and forwards /api and /healthz to a running server:
//   ATTENDANCE_URL=http://127.0.0.1:4000 npm run dev
import { defineConfig } from 'vite';

const target = process.env['ATTENDANCE_URL'] ?? 'http://127.0.0.1:4000';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: {
      '/api': { target, changeOrigin: false },
      '/healthz': { target, changeOrigin: false },
    },
  },
});
