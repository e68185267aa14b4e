import { App, Tags, Validations } from 'aws-cdk-lib';
import { parseAcrList } from '../functions/domain/people/assurance.ts';
import { AwsSolutionsChecks } from 'cdk-nag';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConsoleStack } from './stacks/console-stack.ts';
import { EDGE_REGION, EdgeStack } from './stacks/edge-stack.ts';
import { StatefulStack } from './stacks/stateful-stack.ts';
import { StatelessStack } from './stacks/stateless-stack.ts';
import { DEFAULT_REGION, assertEuRegion } from './region.ts';
import { parsePublicUrl } from '../functions/http/public-url.ts';
import { consoleSettings } from '../schemas/console-settings.ts';

export interface ComptoirAppOptions {
  readonly app?: App;
  readonly region?: string;
  readonly account?: string;
  readonly stage?: string;
  /** The built web console; defaults to the context value comptoir:consoleDir, then `console/dist`. */
  readonly consoleDir?: string;
}

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the Comptoir CDK app: stateful, stateless, edge (WAF, us-east-1) and console stacks, checked by cdk-nag's AwsSolutions pack. */
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
  const consoleDir = resolve(projectRoot, options.consoleDir ?? (app.node.tryGetContext('comptoir:consoleDir') as string | undefined) ?? 'console/dist');
  if (!existsSync(join(consoleDir, 'index.html'))) {
    throw new Error(`The web console is not built (${join(consoleDir, 'index.html')} is missing): run \`npm run build:console\` first.`);
  }
  const consoleDomain = app.node.tryGetContext('comptoir:consoleDomain') as string | undefined;
  const consoleCertificateArn = app.node.tryGetContext('comptoir:consoleCertificateArn') as string | undefined;
  if (Boolean(consoleDomain) !== Boolean(consoleCertificateArn)) {
    throw new Error('Set both comptoir:consoleDomain and comptoir:consoleCertificateArn (an ACM certificate in us-east-1), or neither.');
  }
  // The console and the API share one origin: the custom domain's, unless comptoir:publicUrl names another (a first
  // deployment's cloudfront.net name, known once deployed). Checked here, so a bad value fails synthesis.
  const publicUrl = parsePublicUrl((app.node.tryGetContext('comptoir:publicUrl') as string | undefined) ?? (consoleDomain ? `https://${consoleDomain}` : undefined), 'comptoir:publicUrl');
  // The functions mint every URI from it and refuse to load without one: fail here, before anything deploys.
  if (!publicUrl) {
    throw new Error('Set comptoir:consoleDomain (with comptoir:consoleCertificateArn) or comptoir:publicUrl: URIs and links come from configuration, never from the Host header a request brings.');
  }
  // The basemap of the console's maps: checked here, so a URL that is no tile template fails synthesis.
  const settings = consoleSettings(app.node.tryGetContext('comptoir:tileUrl') as string | undefined, app.node.tryGetContext('comptoir:tileAttribution') as string | undefined);
  const stateful = new StatefulStack(app, `Comptoir-${stage}-Stateful`, { env, stage, terminationProtection: stage !== 'dev' });
  const stateless = new StatelessStack(app, `Comptoir-${stage}-Stateless`, {
    env,
    stage,
    tableStreamArn: stateful.table.tableStreamArn!,
    datasetsKeyArn: stateful.datasetsKey.keyArn,
    signingKeyArn: stateful.signingKey.keyArn,
    projectRoot,
    publicUrl,
    ...openIdOf(app),
  });
  // CloudFront's web ACL must live in us-east-1: its ARN reaches the console stack through a cross-region reference.
  const edge = new EdgeStack(app, `Comptoir-${stage}-Edge`, { env: { ...env, region: EDGE_REGION }, stage, crossRegionReferences: true });
  const consoleStack = new ConsoleStack(app, `Comptoir-${stage}-Console`, {
    env,
    stage,
    crossRegionReferences: true,
    webAclArn: edge.webAcl.attrArn,
    api: stateless.api,
    originSecret: stateless.originSecret,
    consoleDir,
    settings,
    ...(consoleDomain && consoleCertificateArn ? { domain: { names: [consoleDomain], certificateArn: consoleCertificateArn } } : {}),
  });
  Tags.of(app).add('project', 'comptoir');
  Tags.of(app).add('stage', stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stateful, stateless, edge, console: consoleStack };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildComptoirApp().app.synth();
}

/**
 * The OpenID provider from context (`comptoir:oidcIssuer` and `comptoir:oidcClientId`, both or neither), and
 * the assurance level partner admins must sign in at (`comptoir:partnerAdminAcr`, space-separated acr values).
 */
function openIdOf(app: App): { openId?: { issuer: string; clientId: string; partnerAdminAcr?: string } } {
  const issuer = app.node.tryGetContext('comptoir:oidcIssuer') as string | undefined;
  const clientId = app.node.tryGetContext('comptoir:oidcClientId') as string | undefined;
  const partnerAdminAcr = (app.node.tryGetContext('comptoir:partnerAdminAcr') as string | undefined)?.trim() || undefined;
  if (Boolean(issuer) !== Boolean(clientId)) throw new Error('Set both comptoir:oidcIssuer and comptoir:oidcClientId (ProConnect gives both), or neither.');
  if (issuer && !issuer.startsWith('https://')) throw new Error(`comptoir:oidcIssuer must be an https URL, got ${issuer}`);
  if (partnerAdminAcr && !issuer) throw new Error('comptoir:partnerAdminAcr needs an OpenID provider (comptoir:oidcIssuer): API keys carry no acr.');
  // Checked here, so a malformed level fails synthesis rather than every function's start.
  if (partnerAdminAcr) parseAcrList(partnerAdminAcr);
  return issuer && clientId ? { openId: { issuer, clientId, ...(partnerAdminAcr ? { partnerAdminAcr } : {}) } } : {};
}
