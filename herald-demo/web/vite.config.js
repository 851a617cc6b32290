import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev` serves the front end with hot reload on :5173 and proxies /api to the demo backend
// (DEMO_BACKEND, default http://localhost:3000, e.g. the one `./herald demo` starts). The Maven build runs
// `vite build --outDir ../target/classes/public` (see build.sh), so the backend serves the result at /.
export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      '/api': { target: process.env.DEMO_BACKEND || 'http://localhost:3000' },
    },
  },
  build: {
    outDir: 'dist',
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
});
