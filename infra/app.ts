import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StatefulStack } from './stacks/stateful-stack.ts';
import { StatelessStack } from './stacks/stateless-stack.ts';
import { DEFAULT_REGION, assertEuRegion } from './region.ts';

export interface ComptoirAppOptions {
  readonly app?: App;
  readonly region?: string;
  readonly account?: string;
  readonly stage?: string;
}

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the Comptoir CDK app: stateful and stateless stacks, checked by cdk-nag's AwsSolutions pack. */
export function buildComptoirApp(options: ComptoirAppOptions = {}) {
  const app = options.app ?? new App();
  // Explicit: the stateless stack imports the table stream ARN, which the stateful stack must keep exporting.
  if (app.node.tryGetContext('@aws-cdk/core:defaultCrossStackReferences') === undefined) {
    app.node.setContext('@aws-cdk/core:defaultCrossStackReferences', 'strong');
  }
  const region = assertEuRegion(
    options.region ?? (app.node.tryGetContext('comptoir:region') as string | undefined) ?? process.env.CDK_DEFAULT_REGION ?? DEFAULT_REGION,
  );
  const stage = options.stage ?? (app.node.tryGetContext('comptoir:stage') as string | undefined) ?? 'prod';
  const account = options.account ?? process.env.CDK_DEFAULT_ACCOUNT;
  const env = { region, ...(account ? { account } : {}) };
  const stateful = new StatefulStack(app, `Comptoir-${stage}-Stateful`, { env, stage, terminationProtection: stage !== 'dev' });
  const stateless = new StatelessStack(app, `Comptoir-${stage}-Stateless`, {
    env,
    stage,
    tableStreamArn: stateful.table.tableStreamArn!,
    datasetsKeyArn: stateful.datasetsKey.keyArn,
    signingKeyArn: stateful.signingKey.keyArn,
    projectRoot,
  });
  Tags.of(app).add('project', 'comptoir');
  Tags.of(app).add('stage', stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stateful, stateless };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildComptoirApp().app.synth();
}
