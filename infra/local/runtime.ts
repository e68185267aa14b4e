import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HTTP_FUNCTION_GROUPS, type HttpFunctionGroup } from '../../schemas/routes.ts';
import { createDocumentClient } from '../../functions/adapters/dynamo/client.ts';
import { backfillVersionSweepDeadlines } from '../../functions/adapters/dynamo/in-flight-backfill.ts';
import { backfillLicenceStatePointers } from '../../functions/adapters/dynamo/licence-state-backfill.ts';
import { ensureBucket, ensureTable } from '../../functions/adapters/provisioning.ts';
import { createS3Client } from '../../functions/adapters/s3/client.ts';
import { AuditSequencer } from '../../functions/domain/audit/sequencer.ts';
import { INGEST_TIMEOUT_SECONDS, INGEST_TRIGGERS } from '../../functions/domain/catalogue/in-flight.ts';
import { runPeriodicChecks, type PeriodicChecksResult } from '../../functions/domain/schedule/periodic-checks.ts';
import { InProcessBus } from './event-bus.ts';
import { BackgroundJob } from './background-job.ts';
import { lambdaContext, toAuthorizerEvent, toHttpEvent } from './lambda-events.ts';
import { LocalRouter } from './router.ts';
import { DevMailPages } from './dev-mail.ts';
import { StaticFiles } from './static-files.ts';
import type { ConsoleSettings } from '../../schemas/console-settings.ts';

/** Lambda's synchronous payload limit: API Gateway would refuse larger bodies before the function. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;
const REGION = 'eu-west-3';

export interface LocalRuntimeOptions {
  readonly dynamoEndpoint: string;
  readonly s3Endpoint: string;
  readonly tableName: string;
  readonly bucketName: string;
  /** The write-once audit checkpoints' bucket (default: the datasets bucket's name + `-checkpoints`). */
  readonly checkpointBucketName?: string;
  /** Events between two audit checkpoints the sequencer writes (default 1000). */
  readonly checkpointEvery?: number;
  /** The platform's Ed25519 key file (created on first start), standing in for the KMS key. */
  readonly signingKeyPath: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
  /** How often the schedule fires (the cloud rule runs every 5 minutes). */
  readonly scheduleEveryMs?: number;
  readonly duplicateBusDeliveries?: boolean;
  /** How often due webhook retries are attempted (the cloud rule runs every minute). */
  readonly webhookRetryEveryMs?: number;
  readonly log?: (line: string) => void;
  /** The built web console, served at `/` (absent: API only). */
  readonly consoleDir?: string;
  /** The console's run-time settings, served as `/config.json` (absent: the IGN plan as basemap). */
  readonly consoleSettings?: ConsoleSettings;
  /** Sees every answer to a declared route as sent (tests check each against the OpenAPI document). */
  readonly onResponse?: (exchange: RouteExchange) => void;
  /** false: `GET /health` answers 503 until {@link LocalRuntime.markReady} (the start seeds the demo territory meanwhile). */
  readonly startsReady?: boolean;
  /** The base of every URI and link (`COMPTOIR_PUBLIC_URL`); defaults to the runtime's own address. */
  readonly publicUrl?: string;
  /** Lets partners subscribe plain-http webhooks on 127.0.0.1 (receivers on a laptop); off unless asked, as in the cloud. */
  readonly allowLoopbackWebhooks?: boolean;
  /** The OpenID provider people sign in with (the local one on a laptop); absent: API keys only. */
  readonly openId?: { readonly issuer: string; readonly clientId: string; readonly clientSecret: string };
  /** The folder e-mails are written to as `.eml` files (the cloud sends them through SES); absent: no e-mail. */
  readonly mailDir?: string;
  /** The territory's assurance level for partner admins (`COMPTOIR_PARTNER_ADMIN_ACR`); absent: none. */
  readonly partnerAdminAcr?: string;
}

/** One answer of a declared route, as the client receives it. */
export interface RouteExchange {
  readonly routeId: string;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: Buffer | undefined;
}

type AnyHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface LocalRuntime {
  readonly url: string;
  readonly port: number;
  readonly bus: InProcessBus;
  /** From now on `GET /health` answers 200: whoever waits on it may go ahead. */
  markReady(): void;
  /** Waits until every outbox event so far is sequenced and every bus delivery is done. */
  settle(): Promise<void>;
  /** Runs the periodic checks as the schedule would at `now` (tests drive time through it). */
  runSchedule(now?: Date): Promise<PeriodicChecksResult>;
  /** Attempts the webhook retries due at `now`, as the one-minute rule would (tests drive the retry clock). */
  retryDeliveries(now?: Date): Promise<void>;
  close(): Promise<void>;
}

const checkpointBucketOf = (o: LocalRuntimeOptions) => o.checkpointBucketName ?? `${o.bucketName}-checkpoints`;

/** The environment the CDK stack gives the functions, pointed at the local emulators. */
function configureEnvironment(o: LocalRuntimeOptions): void {
  Object.assign(process.env, {
    TABLE_NAME: o.tableName,
    BUCKET_NAME: o.bucketName,
    CHECKPOINT_BUCKET_NAME: checkpointBucketOf(o),
    ...(o.checkpointEvery !== undefined ? { COMPTOIR_AUDIT_CHECKPOINT_EVERY: String(o.checkpointEvery) } : {}),
    COMPTOIR_DYNAMODB_ENDPOINT: o.dynamoEndpoint,
    COMPTOIR_S3_ENDPOINT: o.s3Endpoint,
    COMPTOIR_LOCAL_SIGNING_KEY: o.signingKeyPath,
    AWS_REGION: REGION,
    // Off by default: a partner could otherwise make the server POST to the emulators' local ports.
    COMPTOIR_WEBHOOKS_ALLOW_LOOPBACK_HTTP: o.allowLoopbackWebhooks ? 'true' : 'false',
    ...(o.mailDir ? { COMPTOIR_MAIL_DIR: o.mailDir, COMPTOIR_MAIL_FROM: 'Comptoir <ne-pas-repondre@comptoir.localhost>' } : {}),
    ...(o.partnerAdminAcr ? { COMPTOIR_PARTNER_ADMIN_ACR: o.partnerAdminAcr } : {}),
    ...(o.openId ? { COMPTOIR_OIDC_ISSUER: o.openId.issuer, COMPTOIR_OIDC_CLIENT_ID: o.openId.clientId, COMPTOIR_OIDC_CLIENT_SECRET: o.openId.clientSecret } : {}),
    // Never send real credentials to local emulators; s3rver accepts only these.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  // The SDK versions are pinned; its Node 20 end-of-support notice is noise on a laptop.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, result: APIGatewayProxyResultV2): { status: number; headers: Record<string, string | string[]>; body: Buffer | undefined } {
  // Like API Gateway: a non-structured result is a 200 JSON body.
  const structured = typeof result === 'object' && result !== null && 'statusCode' in result ? result : { statusCode: 200, body: typeof result === 'string' ? result : JSON.stringify(result), headers: { 'content-type': 'application/json' } };
  const headers: Record<string, string | string[]> = { ...(structured.headers as Record<string, string>) };
  if (structured.cookies?.length) headers['set-cookie'] = structured.cookies;
  const body = structured.body === undefined ? undefined : Buffer.from(structured.body, structured.isBase64Encoded ? 'base64' : 'utf8');
  res.writeHead(structured.statusCode ?? 200, headers);
  res.end(body);
  return { status: structured.statusCode ?? 200, headers, body };
}

function sendError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) {
  // What API Gateway answers itself gets nosniff from CloudFront's headers policy in the cloud.
  return send(res, { statusCode: status, headers: { 'content-type': 'application/json', 'x-content-type-options': 'nosniff', ...headers }, body: JSON.stringify({ error: { code, message } }) });
}

/**
 * Serves the HTTP API on localhost with the very handlers and authorizer the cloud runs, against
 * DynamoDB Local and the S3 emulator, with the outbox sequencer, bus and schedule in-process.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const log = options.log ?? (() => undefined);
  configureEnvironment(options);
  const dynamo = new DynamoDBClient({ endpoint: options.dynamoEndpoint, region: REGION });
  const s3 = createS3Client({ endpoint: options.s3Endpoint });
  await ensureTable(dynamo, options.tableName);
  await ensureBucket(s3, options.bucketName);
  await ensureBucket(s3, checkpointBucketOf(options));
  dynamo.destroy();
  s3.destroy();
  // A data folder from before the per-party state lists gets their pointers, once (a no-op afterwards).
  const documents = createDocumentClient({ endpoint: options.dynamoEndpoint, region: REGION });
  // Versions left in flight before the sweeper existed get a deadline, once.
  await backfillLicenceStatePointers(documents, options.tableName)
    .then(() => backfillVersionSweepDeadlines(documents, options.tableName))
    .finally(() => documents.destroy());

  // Listening first: the public URL is the runtime's own address, which handlers read at load; requests wait for them.
  let serve: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
  let loaded!: () => void;
  const handlersLoaded = new Promise<void>((resolve) => (loaded = resolve));
  const server: Server = createServer((req, res) => void handlersLoaded.then(() => serve!(req, res)));
  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const ownUrl = `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`;
  process.env.COMPTOIR_PUBLIC_URL = options.publicUrl ?? ownUrl;
  // This server plays CloudFront's part: it adds the origin secret the functions require. Read back from the
  // module, since a second runtime in one process shares the handlers (and the secret) the first one loaded.
  process.env.COMPTOIR_ORIGIN_SECRET ||= randomBytes(24).toString('base64url');
  const { originSecret } = await import('../../functions/wiring/origin.ts');

  // Imported only now: handler modules read the environment once, at load, as in Lambda.
  const handlers = Object.fromEntries(
    await Promise.all(
      HTTP_FUNCTION_GROUPS.map(async (g) => [g, (await import(`../../functions/handlers/${g}.ts`)).handler as AnyHandler] as const),
    ),
  ) as Record<HttpFunctionGroup, AnyHandler>;
  const authorizer = (await import('../../functions/handlers/authorizer.ts')).handler as AnyHandler;
  const ingest = (await import('../../functions/handlers/ingest.ts')).handler as AnyHandler;
  const variants = (await import('../../functions/handlers/variants.ts')).handler as AnyHandler;
  const columnar = (await import('../../functions/handlers/columnar.ts')).handler as AnyHandler;
  const duties = (await import('../../functions/handlers/duties.ts')).handler as AnyHandler;
  const deliveries = (await import('../../functions/handlers/deliveries.ts')).handler as AnyHandler;
  const { licenceLifecycle } = await import('../../functions/wiring/lifecycle.ts');
  const { ledgerService } = await import('../../functions/wiring/ledger.ts');
  const { auditStore } = await import('../../functions/wiring/audit.ts');
  const { auditCheckpointer } = await import('../../functions/wiring/checkpoints.ts');
  const { openDataService } = await import('../../functions/wiring/open-data.ts');
  const { contractService } = await import('../../functions/wiring/contracts.ts');
  const { inFlightSweeper } = await import('../../functions/wiring/in-flight.ts');
  const { reminderService } = await import('../../functions/wiring/reminders.ts');

  // One line when a job starts failing (a dependency down), one when it works again; backoff in between.
  const backgroundJob = (name: string, job: () => Promise<unknown>) =>
    new BackgroundJob(job, (e) => log(`${name}: ${String(e)}; retrying with backoff`), { onRecovered: () => log(`${name}: working again`) });
  const bus = new InProcessBus({
    duplicateDeliveries: options.duplicateBusDeliveries ?? false,
    onError: (error, event) => log(`bus delivery of ${event['detail-type']} failed for good: ${String(error)}`),
  });
  const sequencer = new AuditSequencer({
    store: auditStore,
    publisher: bus,
    checkpoints: auditCheckpointer,
    onCheckpointError: (error) => log(`audit checkpoint not written (the schedule writes it): ${String(error)}`),
  });
  const sequencing = backgroundJob('audit sequencer', () => sequencer.drain()).every(1_000);
  // Like the EventBridge rule: uploads go to the ingest function; what it records is sequenced next.
  // Concurrency per target, like reserved concurrency: together at most 12 deliveries hold SDK sockets
  // (50 per client), so a burst of events queues here instead of slowing every HTTP request.
  // Ingest streams whole objects through validation (CPU and memory): 2, one per core of a small machine;
  // the sweeper's rare re-drives get one more slot of their own.
  for (const detailType of INGEST_TRIGGERS) {
    bus.subscribe(
      detailType,
      async (event) => {
        await ingest(event, lambdaContext('ingest', event.id, INGEST_TIMEOUT_SECONDS * 1000));
        void sequencing.kick();
      },
      { concurrency: detailType === 'dataset.version.uploaded' ? 2 : 1 },
    );
  }
  // One event per access, usually finding its variant built (a few reads); building one streams bytes.
  bus.subscribe(
    'licence.accessed',
    async (event) => {
      await variants(event, lambdaContext('variants', event.id, 15 * 60_000));
    },
    { concurrency: 4 },
  );
  // E-mails of the events people are told about: a few reads and one file each.
  const notify = options.mailDir ? ((await import('../../functions/handlers/notifications.ts')).handler as AnyHandler) : undefined;
  if (notify) {
    const { NOTIFIED_EVENTS } = await import('../../functions/domain/notifications/notification-service.ts');
    for (const detailType of NOTIFIED_EVENTS) bus.subscribe(detailType, (event) => notify(event, lambdaContext('notifications', event.id)).then(() => undefined), { concurrency: 2 });
  }
  // Share-back duties: a few reads and writes per publication.
  bus.subscribe(
    'dataset.version.published',
    async (event) => {
      await duties(event, lambdaContext('duties', event.id));
      void sequencing.kick();
    },
    { concurrency: 2 },
  );
  // The Parquet copy of each published version, for queries: one at a time, it holds the engine's memory.
  bus.subscribe(
    'dataset.version.published',
    async (event) => {
      await columnar(event, lambdaContext('columnar', event.id, 15 * 60_000));
    },
    { concurrency: 1 },
  );
  // Webhook fan-out waits on partners' servers: enough to overlap them, not to hold sockets for long.
  bus.subscribe(
    'dataset.version.published',
    async (event) => {
      await deliveries(event, lambdaContext('deliveries', event.id, 15 * 60_000));
    },
    { concurrency: 4 },
  );
  const retryDeliveries = async (now: Date = new Date()) => {
    const tick = { 'detail-type': 'Scheduled Event', source: 'aws.events', id: `retry-${now.getTime()}`, time: now.toISOString(), detail: {} };
    await deliveries(tick, lambdaContext('deliveries', tick.id, 15 * 60_000));
  };
  const retries = backgroundJob('webhook retries', () => retryDeliveries()).every(options.webhookRetryEveryMs ?? 15_000);
  const runSchedule = async (now: Date = new Date()) => {
    // The cloud's daily rule: each person's digest goes out at the first run of a day.
    if (notify) {
      const tick = { 'detail-type': 'Scheduled Event', source: 'aws.events', id: `digest-${now.getTime()}`, time: now.toISOString(), detail: {} };
      await notify(tick, lambdaContext('notifications', tick.id));
    }
    const result = await runPeriodicChecks({ contracts: contractService, openData: openDataService, lifecycle: licenceLifecycle, ledger: ledgerService, sequencer, inFlight: inFlightSweeper, checkpoints: auditCheckpointer, reminders: reminderService }, now);
    await sequencing.kick();
    return result;
  };
  const schedule = backgroundJob('schedule', () => runSchedule()).every(options.scheduleEveryMs ?? 60_000);
  const router = new LocalRouter();
  const consoleFiles = options.consoleDir ? new StaticFiles(resolve(options.consoleDir), options.s3Endpoint, options.consoleSettings) : undefined;
  // The captured e-mails, readable in a browser: a local page only, no route of the API.
  const mailPages = options.mailDir ? new DevMailPages(options.mailDir) : undefined;
  let ready = options.startsReady ?? true;

  serve = async (req, res) => {
    let matched: ReturnType<LocalRouter['match']>;
    const observe = (sent: ReturnType<typeof send>) => {
      if (matched && options.onResponse) options.onResponse({ routeId: matched.id, method: req.method ?? 'GET', url: req.url ?? '/', ...sent });
    };
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      matched = router.match(req.method ?? 'GET', url.pathname);
      if (!matched && mailPages && req.method === 'GET' && (await mailPages.serve(url.pathname, res))) return;
      if (!matched && consoleFiles && (req.method === 'GET' || req.method === 'HEAD') && (await consoleFiles.serve(url.pathname, res, req.method === 'HEAD'))) return;
      if (!matched) return void sendError(res, 404, 'route_not_found', `no route ${req.method} ${url.pathname}`);
      // Only the health check waits: the seeding itself goes through the other routes.
      if (!ready && matched.id === 'health') return observe(sendError(res, 503, 'starting', 'Comptoir is starting: the demo territory is being seeded', { 'retry-after': '1' }));
      const body = await readBody(req);
      if (!body) return observe(sendError(res, 413, 'payload_too_large', 'request bodies are limited to 6 MB; upload dataset bytes to the presigned URL'));
      const event = toHttpEvent(req, url, body, matched, originSecret);
      if (matched.route.auth === 'key') {
        const decision = (await authorizer(toAuthorizerEvent(event), lambdaContext('authorizer', event.requestContext.requestId))) as {
          isAuthorized: boolean;
          context?: Record<string, unknown>;
        };
        if (!decision.isAuthorized) return observe(sendError(res, 403, 'forbidden', 'Forbidden'));
        event.requestContext.authorizer = { lambda: decision.context ?? {} };
      } else {
        delete (event.requestContext as { authorizer?: unknown }).authorizer;
      }
      const group = matched.route.group;
      const result = (await handlers[group](event, lambdaContext(group, event.requestContext.requestId))) as APIGatewayProxyResultV2;
      observe(send(res, result));
      // The stream would wake the cloud sequencer; locally each request does.
      if (req.method !== 'GET') void sequencing.kick();
    } catch (error) {
      log(`unhandled error: ${String((error as Error)?.stack ?? error)}`);
      if (!res.headersSent) observe(sendError(res, 500, 'internal_error', 'Internal Server Error'));
    }
  };
  loaded();

  return {
    url: ownUrl,
    port,
    bus,
    markReady: () => {
      ready = true;
    },
    settle: async () => {
      // Deliveries record new events, whose sequencing may start new deliveries: repeat until quiet.
      for (;;) {
        const before = bus.delivered;
        await sequencing.kick();
        await bus.idle();
        if (bus.delivered === before) return;
      }
    },
    runSchedule,
    retryDeliveries,
    close: async () => {
      await schedule.stop();
      await retries.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await sequencing.stop();
      await bus.idle();
    },
  };
}
