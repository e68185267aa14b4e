import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { LambdaPlatform } from './lambda/package-duckdb.ts';

/** esbuild settings shared by the CDK functions and the bundle-size bench, so both measure the same bundle. */
export const BUNDLE_SETTINGS = {
  target: 'node24',
  format: 'cjs',
  minify: true,
  /** The SDK is bundled, not taken from the Lambda runtime: its version is the one we tested. DuckDB is a native module, packaged beside the bundle. */
  external: ['@duckdb/node-api'] as string[],
  /** Prefer ES modules so esbuild can tree-shake the SDK and zod. */
  mainFields: ['module', 'main'],
  /** Lambda bundles take credentials from the environment only (see infra/lambda/env-credentials.ts). */
  alias: { '@aws-sdk/credential-provider-node': './infra/lambda/env-credentials.ts' } as Record<string, string>,
} as const;

/** Lambda entry file of a function group. */
export const handlerEntry = (group: string) => `functions/handlers/${group}.ts`;

/** Bundling hooks that put DuckDB and its `platform` binding beside the bundle (infra/lambda/package-duckdb.ts). */
export function duckDbBeside(projectRoot: string, platform: LambdaPlatform): ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir, outputDir) => [`cd "${projectRoot}" && node --import tsx infra/lambda/package-duckdb.ts "${outputDir}" ${platform}`],
  };
}
