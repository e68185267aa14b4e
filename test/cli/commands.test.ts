import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { jsonOf, runCli } from './run-cli.ts';

const CSV = 'line;driver_name;passengers\r\nA;Jeanne Martin;120\r\nB;Paul Durand;80\r\n';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('comptoir commands against the local runtime', () => {
  let t: TestRuntime;
  let dir: string;
  let base: Record<string, string>;
  /** Runs the CLI with `key` in COMPTOIR_KEY (none when undefined). */
  const cli = (args: string[], key: string | undefined, extra: Record<string, string | undefined> = {}, stdin?: string) =>
    runCli(args, { env: { ...base, ...(key ? { COMPTOIR_KEY: key } : {}), ...extra }, cwd: dir, ...(stdin !== undefined ? { stdin } : {}) });
  const json = async (args: string[], key: string | undefined) => {
    const run = await cli([...args, '--json'], key);
    expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
    return jsonOf(run);
  };

  let datasetId: string;
  let offerId: string;

  beforeAll(async () => {
    t = await startTestRuntime();
    dir = await mkdtemp(join(tmpdir(), 'comptoir-cli-'));
    base = { HOME: dir, COMPTOIR_URL: t.runtime.url, COMPTOIR_STATE_DIR: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config') };
  });
  afterAll(async () => {
    await t?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prints one JSON document per command: whoami, datasets create/list/show, upload, versions status', async () => {
    const me = await json(['whoami'], t.keys.dsp.key);
    expect(me).toMatchObject({ partner: { id: t.keys.dsp.partnerId, kind: 'dsp' }, role: 'admin' });

    const created = await json(
      ['datasets', 'create', '--title', 'Fréquentation des lignes', '--description', 'Montées par ligne', '--theme', 'mobility', '--keywords', 'bus,lignes', '--field', 'line:string:required', '--field', 'driver_name:string:personal', '--field', 'passengers:integer'],
      t.keys.dsp.key,
    );
    expect(created).toMatchObject({ title: 'Fréquentation des lignes', theme: 'mobility', classification: 'shared', format: 'csv', keywords: ['bus', 'lignes'], schema: { fields: [{ name: 'line', required: true }, { name: 'driver_name', personal: true }, { name: 'passengers', type: 'integer' }] } });
    datasetId = created.id;

    await writeFile(join(dir, 'dataset.json'), JSON.stringify({ title: 'Réseau GTFS', description: 'Archive', theme: 'mobility', classification: 'restricted', format: 'file' }));
    expect(await json(['datasets', 'create', '--from', 'dataset.json', '--title', 'Réseau GTFS 2026'], t.keys.dsp.key)).toMatchObject({ title: 'Réseau GTFS 2026', format: 'file', classification: 'restricted' });

    const [list, shown] = await Promise.all([json(['datasets', 'list', '--q', 'frequentation', '--theme', 'mobility'], t.keys.private.key), json(['datasets', 'show', datasetId], t.keys.private.key)]);
    expect(list.items.map((d: { id: string }) => d.id)).toEqual([datasetId]);
    expect(shown).toMatchObject({ id: datasetId, publisher: { id: t.keys.dsp.partnerId } });

    await writeFile(join(dir, 'lignes.csv'), CSV);
    expect((await json(['upload', datasetId, 'lignes.csv'], t.keys.dsp.key)).version.status).toBe('published');
    const status = await json(['versions', 'status', datasetId], t.keys.dsp.key);
    expect(status).toMatchObject({ datasetId, version: 1, status: 'published', rows: 2, sha256: createHash('sha256').update(CSV).digest('hex') });
    expect(await json(['versions', 'status', datasetId, '1'], t.keys.dsp.key)).toEqual(status);
  });

  it('requests, signs, accesses and downloads under a licence, subscribes, and verifies the audit chain', async () => {
    const offer = await t.call('POST', '/v1/offers', {
      key: t.keys.dsp.key,
      body: { datasetId, template: 'territorial-restricted', clauses: [{ kind: 'purpose', params: { allowed: ['planning'] } }, { kind: 'redact-fields', params: { fields: ['driver_name'] } }], audience: ['private'] },
    });
    expect(offer.status, JSON.stringify(offer.body)).toBe(201);
    offerId = offer.body.id;
    const firm = t.keys.private.key;

    const requested = await json(['licences', 'request', offerId, '--purpose', 'planning'], firm);
    expect(requested).toMatchObject({ offerId, state: 'awaiting_signature', purpose: 'planning' });
    const signed = await json(['licences', 'sign', requested.id], firm);
    expect(signed).toMatchObject({ id: requested.id, state: 'active', digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const listed = await json(['licences', 'list', '--state', 'active'], firm);
    expect(listed.items.map((l: { id: string }) => l.id)).toContain(requested.id);

    const access = await json(['licences', 'access', requested.id, '--wait'], firm);
    expect(access).toMatchObject({ decision: 'permit', url: expect.any(String), transforms: [{ kind: 'redact-fields' }] });
    const downloaded = await json(['licences', 'download', requested.id, '--out', 'variant.csv'], firm);
    const bytes = await readFile(join(dir, 'variant.csv'));
    expect(downloaded).toMatchObject({ file: join(dir, 'variant.csv'), bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), version: 1 });
    expect(bytes.toString()).toBe('line;driver_name;passengers\r\nA;;120\r\nB;;80\r\n');

    const subscribed = await json(['subscribe', datasetId, '--url', 'http://127.0.0.1:9/hook'], firm);
    expect(subscribed).toMatchObject({ subscription: { licenceId: requested.id, datasetId, webhook: { url: 'http://127.0.0.1:9/hook' } }, secret: expect.any(String) });
    const human = await cli(['subscribe', datasetId, '--url', 'http://127.0.0.1:9/other'], firm);
    expect(human.stdout).toContain('This secret is shown only now');
    expect((await json(['subscriptions', 'list'], firm)).items).toHaveLength(2);

    expect(await json(['audit', 'verify'], t.keys.officer.key)).toMatchObject({ valid: true, events: expect.any(Number), head: { seq: expect.any(Number) } });
  }, 120_000);

  it('maps failures to exit codes, with one error line on stderr and the error as JSON', async () => {
    const port = await closedPort();
    const [usage, missing, badKey, noKey, notFound, refused, unreachable] = await Promise.all([
      cli(['datasets', 'list', '--colour', 'blue'], t.keys.dsp.key),
      cli(['upload', 'ds_only'], t.keys.dsp.key),
      cli(['whoami', '--json'], 'cpt_not_a_real_key_000000000000'),
      cli(['whoami'], undefined),
      cli(['datasets', 'show', 'dst_00000000000000000000000000', '--json'], t.keys.private.key),
      cli(['licences', 'request', offerId, '--purpose', 'planning', '--json'], t.keys.dsp.key),
      cli(['whoami', '--json'], t.keys.dsp.key, { COMPTOIR_URL: `http://127.0.0.1:${port}` }),
    ]);
    expect([usage.code, missing.code, badKey.code, noKey.code, notFound.code, refused.code, unreachable.code]).toEqual([2, 2, 3, 3, 4, 5, 6]);
    expect(usage.stderr).toMatch(/^comptoir: unknown option '--colour' \(usage\)$/m);
    expect(noKey.stderr).toMatch(/^comptoir: no API key: .* \(no_key\)$/m);
    expect(jsonOf(notFound).error).toMatchObject({ status: 404, exitCode: 4 });
    expect(jsonOf(refused).error).toMatchObject({ code: 'own_offer', exitCode: 5 });
    expect(jsonOf(unreachable).error).toMatchObject({ code: 'unreachable', exitCode: 6 });
    expect(jsonOf(badKey).error.exitCode).toBe(3);
    for (const run of [usage, badKey, notFound, refused, unreachable]) expect(run.stderr.split('\n').filter((l) => l.startsWith('comptoir: '))).toHaveLength(1);
  });

  it('logs in from stdin into a 0600 credentials file that later commands use, and logs out', async () => {
    const env = { COMPTOIR_URL: undefined, XDG_CONFIG_HOME: join(dir, 'login-config') };
    const login = await cli(['login', '--url', t.runtime.url], undefined, env, `${t.keys.public.key}\n`);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain("Logged in to");
    const file = join(dir, 'login-config', 'comptoir', 'credentials.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ url: t.runtime.url, key: t.keys.public.key });

    const whoami = await cli(['whoami', '--json'], undefined, env);
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(jsonOf(whoami).partner.id).toBe(t.keys.public.partnerId);

    expect((await cli(['logout'], undefined, env)).code).toBe(0);
    expect((await cli(['whoami'], undefined, env)).code).toBe(3);
  });
  it('logs in and out over a corrupt credentials file, which stops every other command', async () => {
    const env = { COMPTOIR_URL: t.runtime.url, XDG_CONFIG_HOME: join(dir, 'corrupt-config') };
    const file = join(dir, 'corrupt-config', 'comptoir', 'credentials.json');
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, '{"url": "http://127.0.0.1:3000", "key": "cpt_');

    const whoami = await cli(['whoami'], undefined, env);
    expect(whoami.code).toBe(1);
    expect(whoami.stderr).toMatch(/^comptoir: the credentials file .* is not valid JSON: run comptoir login again \(bad_credentials_file\)$/m);

    const logout = await cli(['logout', '--json'], undefined, env);
    expect(logout.code, logout.stderr).toBe(0);
    expect(logout.stderr).toContain(`Ignoring the credentials file ${file}: it is not valid JSON.`);
    expect(jsonOf(logout)).toEqual({ loggedOut: true, credentialsFile: file });
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });

    await writeFile(file, 'null');
    const login = await cli(['login'], undefined, env, `${t.keys.public.key}\n`);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stderr).toContain(`Ignoring the credentials file ${file}: it is not a JSON object.`);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ url: t.runtime.url, key: t.keys.public.key });
    expect((await cli(['whoami'], undefined, env)).code).toBe(0);
  });
});
