import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// `npm run dev` proxies the API to a server started with `make run` (port 8080), or to XF_API.
const API = process.env.XF_API || 'http://127.0.0.1:8080';
export default defineConfig({
  plugins: [vue()],
  server: {
    host: '127.0.0.1',
    // changeOrigin off: the server compares a POST's Origin with its Host (403 auth.origin otherwise)
    proxy: { '/api': { target: API, changeOrigin: false }, '/healthz': { target: API, changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        manualChunks: {
          vue: ['vue', 'vue-router'],
          element: ['element-plus', '@element-plus/icons-vue'],
          echarts: ['echarts'],
        },
      },
    },
  },
});
