import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// Served at the site root by the local runtime and by CloudFront; API calls are same-origin.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  // DSFR still carries old Internet Explorer media hacks; drop them instead of failing the minifier.
  css: { lightningcss: { errorRecovery: true } },
  build: {
    // The console, and the one page other sites may frame: a view of an open dataset.
    rollupOptions: { input: { main: resolve(import.meta.dirname, 'index.html'), embed: resolve(import.meta.dirname, 'embed.html') } },
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
  },
});
