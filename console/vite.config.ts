import { defineConfig } from 'vite';

// Served at the site root by the local runtime and by CloudFront; API calls are same-origin.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  // DSFR still carries old Internet Explorer media hacks; drop them instead of failing the minifier.
  css: { lightningcss: { errorRecovery: true } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
  },
});
