import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { startS3Emulator } from './s3-emulator.ts';
import { startLocalRuntime } from './runtime.ts';
import { seedDemoTerritory, type DemoKeys } from './demo-territory.ts';
import { seedDemoData } from './demo-data.ts';
import { DEMO_PEOPLE, seedDemoPeople } from './demo-people.ts';
import { startLocalOpenIdProvider } from './openid-provider.ts';
import { consoleSettings } from '../../schemas/console-settings.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const dataDir = resolve(process.env.COMPTOIR_DATA_DIR ?? '.comptoir');
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const adminKey = process.env.COMPTOIR_ADMIN_KEY?.trim() || undefined;
// Restarts of a dead DynamoDB Local tried in a row before `npm start` gives up.
const maxRestarts = Number(process.env.COMPTOIR_DYNAMODB_RESTARTS ?? 3);
// The demo (`npm start`) passes this flag: its example webhook receivers listen on plain http at 127.0.0.1.
const allowLoopbackWebhooks = process.argv.includes('--allow-loopback-webhooks');
// Behind a proxy or another name, the address URIs and links use; else the runtime's own.
const publicUrl = process.env.COMPTOIR_PUBLIC_URL?.trim() || undefined;
/** The basemap of the console's maps (`COMPTOIR_TILE_URL`, an `{z}/{x}/{y}` template; default the IGN plan), checked before anything starts. */
const settings = consoleSettings(process.env.COMPTOIR_TILE_URL, process.env.COMPTOIR_TILE_ATTRIBUTION);

function printKeys(url: string, keys: DemoKeys | undefined, file: string): void {
  if (!keys) {
    console.log(`Demo keys file ${file} is missing; use the officer key you were given.`);
    return;
  }
  console.log('\nDemo territory — API keys (also in ' + file + '):');
  for (const [slot, k] of Object.entries(keys)) console.log(`  ${slot.padEnd(8)} ${k.key}   ${k.role} of ${k.partnerName}`);
  console.log(`\nTry:  curl -H "Authorization: Bearer ${keys.officer.key}" ${url}/v1/me`);
  console.log(`Console: ${url}/  (sign in with one of the keys above, or with the local provider at ${url}/auth/login as ${DEMO_PEOPLE.map((p) => p.email).join(', ')})\nAPI:  ${url}/openapi.json\nCtrl-C stops everything.`);
}

async function main(): Promise<void> {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${process.env.PORT}`);
  const started = Date.now();
  await mkdir(join(dataDir, 'dynamodb'), { recursive: true });
  await mkdir(join(dataDir, 's3'), { recursive: true });
  console.log(`Comptoir: data in ${dataDir}; starting DynamoDB Local and the S3 emulator…`);
  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  try {
    const [dynamo, s3] = await Promise.all([
      startDynamoDbLocal({
        dbPath: join(dataDir, 'dynamodb'),
        supervise: {
          maxRestarts,
          log: (line) => console.error(line),
          onGiveUp: (sentence) => {
            console.error(sentence);
            void stopAll(1);
          },
        },
      }),
      startS3Emulator({ directory: join(dataDir, 's3') }),
    ]);
    stops.push(dynamo.stop, s3.stop);
    // A real OpenID provider with the demo people, so signing in is the whole flow ProConnect would run;
    // on a fixed port (PORT + 1): people are bound to its issuer URL at their first sign-in.
    const openId = await startLocalOpenIdProvider({ people: DEMO_PEOPLE, port: Number(process.env.COMPTOIR_OIDC_PORT ?? (port === 0 ? 0 : port + 1)), log: (line) => console.error(line) });
    stops.push(openId.close);
    const runtime = await startLocalRuntime({
      openId: { issuer: openId.issuer, clientId: openId.clientId, clientSecret: openId.clientSecret },
      dynamoEndpoint: dynamo.endpoint,
      s3Endpoint: s3.endpoint,
      tableName: 'comptoir',
      bucketName: 'comptoir-datasets',
      signingKeyPath: join(dataDir, 'signing-key.pem'),
      port,
      host,
      log: (line) => console.error(line),
      consoleDir: fileURLToPath(new URL('../../console/dist', import.meta.url)),
      consoleSettings: settings,
      startsReady: false,
      allowLoopbackWebhooks,
      mailDir: join(dataDir, 'mail'),
      ...(publicUrl ? { publicUrl } : {}),
    });
    if (allowLoopbackWebhooks) console.log('Webhooks may target plain http on 127.0.0.1 (--allow-loopback-webhooks): for a laptop demo only.');
    stops.push(runtime.close);
    openId.register(publicUrl ?? runtime.url);
    const { identityService } = await import('../../functions/wiring/identity.ts');
    const keysFile = join(dataDir, 'demo-keys.json');
    const seeded = await seedDemoTerritory(identityService, keysFile, adminKey);
    const keys = seeded?.keys;
    if (seeded?.created) {
      const { peopleService } = await import('../../functions/wiring/people.ts');
      await seedDemoPeople(identityService, peopleService, seeded.keys);
    }
    if (seeded?.created && process.env.COMPTOIR_DEMO_DATA !== 'false') {
      console.log('Comptoir: adding demo datasets, offers and a licence request…');
      // The demo data is a courtesy: the platform runs without it.
      await seedDemoData(runtime.url, seeded.keys, () => runtime.settle()).catch((error: Error) => console.error(`Comptoir: the demo data is incomplete (${error.message}); the platform runs without it.`));
    }
    await runtime.settle();
    // Scripts that wait on /health may now read the keys file and find the demo data.
    runtime.markReady();
    console.log(`Comptoir is up at ${runtime.url} (${((Date.now() - started) / 1000).toFixed(1)} s).`);
    printKeys(runtime.url, keys, keysFile);
    console.log(`E-mails (invitations, requests to approve) are written as .eml files to ${join(dataDir, 'mail')}; read them at ${runtime.url}/dev/mail`);
  } catch (error) {
    console.error(`Comptoir could not start: ${(error as Error).message}`);
    await stopAll(1);
  }
}

void main();
