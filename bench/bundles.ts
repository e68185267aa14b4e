import { build } from 'esbuild';
import { BUNDLE_SETTINGS, handlerEntry } from '../infra/bundling.ts';
import { HTTP_FUNCTION_GROUPS } from '../schemas/routes.ts';

/** Every Lambda bundle, built exactly as the CDK functions are, and its minified size in bytes. */
export async function bundleSizes(): Promise<{ group: string; bytes: number }[]> {
  const groups = [...HTTP_FUNCTION_GROUPS, 'authorizer', 'sequencer', 'scheduler', 'ingest', 'columnar', 'variants', 'duties', 'deliveries', 'notifications', 'bounces'];
  return Promise.all(
    groups.map(async (group) => {
      const out = await build({
        entryPoints: [handlerEntry(group)],
        bundle: true,
        platform: 'node',
        write: false,
        target: BUNDLE_SETTINGS.target,
        format: BUNDLE_SETTINGS.format,
        minify: BUNDLE_SETTINGS.minify,
        mainFields: [...BUNDLE_SETTINGS.mainFields],
        external: [...BUNDLE_SETTINGS.external],
        alias: BUNDLE_SETTINGS.alias,
        logLevel: 'silent',
      });
      return { group, bytes: out.outputFiles[0]!.contents.length };
    }),
  );
}
