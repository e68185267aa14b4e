import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../infra/local/demo-data.ts';
import { routes, type RouteDeclaration, type RouteId } from '../../schemas/routes.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { anyJson, arbitraryOf, invalidOf } from '../support/schema-arbitrary.ts';

/** Requests per run: batches sent at once, as concurrent clients would. */
const BATCH = 25;
// A new seed each run covers more over time than one long run; COMPTOIR_FUZZ_BATCHES asks for a longer one.
const BATCHES = Number(process.env.COMPTOIR_FUZZ_BATCHES ?? 120);
const SEED = Number(process.env.COMPTOIR_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const ID = /^[a-z]{3}_[0-9A-HJKMNP-TV-Z]{26}$/;

type Doc = Record<string, any>;
type Request = { routeId: RouteId; caller: string; path: string; query: string; body?: string; contentType?: string; idempotencyKey?: string };

/** Fields whose values are the ids of another list (a licence request names a template by its id). */
const ALIASES: Record<string, string> = { template: 'licence-templates', zone: 'zones' };

/** Ids of real objects, and short words, met in answers, by the field or path segment that named them. */
class IdPool {
  readonly byName = new Map<string, Set<string>>();
  readonly words = new Map<string, Set<string>>();
  readonly all = new Set<string>();

  harvest(value: unknown, name = ''): void {
    if (typeof value === 'string' && ID.test(value)) {
      this.all.add(value);
      if (!this.byName.has(name)) this.byName.set(name, new Set());
      this.byName.get(name)!.add(value);
    } else if (typeof value === 'string' && value.length <= 40 && name) {
      if (!this.words.has(name)) this.words.set(name, new Set());
      this.words.get(name)!.add(value);
    } else if (Array.isArray(value)) for (const v of value) this.harvest(v, name);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) this.harvest(v, (k === 'id' || k === 'name') && name ? name : k);
  }

  /** Known ids (or words) for a field or parameter `name`, or for the objects of path segment `segment`. */
  known(name: string, segment?: string): fc.Arbitrary<string> | undefined {
    const candidates = [...(this.byName.get(name) ?? []), ...(segment ? this.byName.get(segment) ?? [] : [])];
    if (candidates.length) return fc.oneof({ arbitrary: fc.constantFrom(...candidates), weight: 4 }, { arbitrary: fc.constantFrom(...this.all), weight: 1 });
    const words = [...(this.words.get(ALIASES[name] ?? name) ?? [])];
    if (words.length) return fc.constantFrom(...words);
    return /id$/i.test(name) && this.all.size ? fc.constantFrom(...this.all) : undefined;
  }
}

// Every route, every caller, valid and invalid input: no 5xx, and every answer as /openapi.json says (the runtime's hook checks each).
describe('the whole API, fuzzed from its OpenAPI document', () => {
  let t: TestRuntime;
  let doc: Doc;
  const pool = new IdPool();
  const callers: Record<string, string | undefined> = {};

  beforeAll(async () => {
    t = await startTestRuntime();
    await seedDemoData(t.runtime.url, t.keys, () => t.runtime.settle());
    doc = (await t.call('GET', '/openapi.json')).body;
    for (const slot of ['officer', 'dsp', 'public', 'private'] as const) callers[slot] = t.keys[slot].key;
    const member = await t.call('POST', `/v1/partners/${t.keys.private.partnerId}/keys`, { key: t.keys.private.key, body: { role: 'member', label: 'fuzz' } });
    callers.member = member.body.key;
    callers['no key'] = undefined;
    callers['unknown key'] = `cpt_${'x'.repeat(40)}`;
    // Harvest ids from every list the callers can read, then from the lists under those objects.
    const protectedKeys = new Set<string>();
    for (const key of Object.values(callers)) {
      const me = key ? await t.call('GET', '/v1/me', { key }) : undefined;
      if (me?.status === 200) protectedKeys.add(me.body.principal.keyId);
    }
    for (const depth of [0, 1]) {
      for (const r of Object.values(routes) as RouteDeclaration[]) {
        const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
        if (r.method !== 'GET' || params.length !== depth) continue;
        const segment = r.path.split('/')[2] ?? '';
        const ids = depth === 0 ? [undefined] : [...(pool.byName.get(segment) ?? [])].slice(0, 5);
        for (const id of ids) {
          for (const key of Object.values(callers).slice(0, 4)) {
            const path = id ? r.path.replace(/\{\w+\}/, id) : r.path;
            const res = await t.call('GET', path, { key: key! });
            if (res.status === 200) pool.harvest(res.body, segment);
          }
        }
      }
    }
    // Keys the fuzzer must not revoke, or every later request of that caller would only test the 401.
    for (const k of protectedKeys) pool.all.delete(k);
    for (const set of pool.byName.values()) for (const k of protectedKeys) set.delete(k);
  }, 240_000);
  afterAll(() => t.stop());

  const requestOf = (routeId: RouteId): fc.Arbitrary<Request> => {
    const r = routes[routeId] as RouteDeclaration;
    const op = doc.paths[r.path][r.method.toLowerCase()];
    const parameters = (op.parameters ?? []) as Doc[];
    const pathParams = parameters.filter((p) => p.in === 'path');
    const queryParams = parameters.filter((p) => p.in === 'query');
    const segmentOf = (name: string) => r.path.split('/')[r.path.split('/').indexOf(`{${name}}`) - 1];
    const pick = (name: string) => pool.known(name);
    const path = fc
      .tuple(...pathParams.map((p) => fc.oneof({ arbitrary: (pool.known(p.name, segmentOf(p.name)) ?? arbitraryOf(p.schema, doc, pick, p.name)).map(String), weight: 5 }, { arbitrary: fc.string({ maxLength: 80 }), weight: 1 })))
      .map((values) => pathParams.reduce((at, p, i) => at.replace(`{${p.name}}`, encodeURIComponent(values[i] === '' ? '-' : values[i]!)), r.path));
    const query = fc
      .tuple(...queryParams.map((p) => fc.option(fc.oneof({ arbitrary: arbitraryOf(p.schema, doc, pick, p.name), weight: 4 }, { arbitrary: anyJson, weight: 1 }), { nil: undefined, freq: 2 })))
      .map((values) => {
        const q = new URLSearchParams();
        queryParams.forEach((p, i) => values[i] !== undefined && q.set(p.name, typeof values[i] === 'string' ? (values[i] as string) : JSON.stringify(values[i])));
        return q.size ? `?${q}` : '';
      });
    const schema = op.requestBody?.content?.['application/json']?.schema as Doc | undefined;
    const valid = schema ? arbitraryOf(schema, doc, pick) : fc.constant({});
    const body = fc.oneof(
      { arbitrary: valid.map((v) => ({ body: JSON.stringify(v), contentType: 'application/json' })), weight: 6 },
      { arbitrary: invalidOf(valid).map((v) => ({ body: JSON.stringify(v), contentType: 'application/json' })), weight: 3 },
      { arbitrary: fc.string({ maxLength: 60 }).map((s) => ({ body: s, contentType: 'application/json' })), weight: 1 },
      { arbitrary: fc.constant({}), weight: 1 },
    );
    return fc.record({
      routeId: fc.constant(routeId),
      // Keys that pass the edge most of the time, so requests reach the services behind it.
      caller: fc.oneof({ arbitrary: fc.constantFrom('officer', 'dsp', 'public', 'private'), weight: 8 }, { arbitrary: fc.constant('member'), weight: 2 }, { arbitrary: fc.constantFrom('no key', 'unknown key'), weight: 1 }),
      path,
      query,
      sent: r.method === 'GET' ? fc.constant({}) : body,
      idempotencyKey: r.idempotent ? fc.option(fc.constantFrom('fuzz-1', 'fuzz-2', randomUUID()), { nil: undefined }) : fc.constant(undefined),
    }).map(({ sent, idempotencyKey, ...rest }) => ({ ...rest, ...sent, ...(idempotencyKey ? { idempotencyKey } : {}) }));
  };

  it(`answers ${BATCH * BATCHES} generated requests without a 5xx, each as the document declares`, async () => {
    const started = Date.now();
    const statuses = new Map<number, number>();
    const ids = Object.keys(routes) as RouteId[];
    const request = fc.constantFrom(...ids).chain(requestOf);
    let sent = 0;
    let replayed = 0;
    // Changes that succeeded under an Idempotency-Key, replayed in later batches as a retrying client would.
    const succeeded: Array<Request & { status: number }> = [];
    // One change known to succeed, so every batch replays something even when the generated changes all fail.
    const grant: Request = { routeId: 'grantCredits', caller: 'officer', path: '/v1/ledger/grants', query: '', body: JSON.stringify({ partnerId: t.keys.private.partnerId, credits: 1 }), contentType: 'application/json', idempotencyKey: randomUUID() };
    const send = async (req: Request) => {
      const r = routes[req.routeId] as RouteDeclaration;
      const key = callers[req.caller];
      const res = await fetch(`${t.runtime.url}${req.path}${req.query}`, {
        method: r.method,
        headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(req.contentType ? { 'content-type': req.contentType } : {}), ...(req.idempotencyKey ? { 'idempotency-key': req.idempotencyKey } : {}) },
        ...(req.body !== undefined ? { body: req.body } : {}),
        redirect: 'manual',
      });
      return { req, status: res.status, text: await res.text() };
    };
    const granted = await send(grant);
    expect(granted.status, granted.text).toBe(201);
    succeeded.push({ ...grant, status: granted.status });
    console.info(`API fuzzing with seed ${SEED} (rerun with COMPTOIR_FUZZ_SEED=${SEED})`);
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        // A change again: its first answer (status kept); a known key with another body: a 409, never a second change.
        const earlier = succeeded[sent % succeeded.length];
        // A valid body that differs, so the refusal is the key's and not the schema's.
        const replays = earlier ? [earlier, { ...grant, body: JSON.stringify({ partnerId: t.keys.private.partnerId, credits: 2 + (sent % 7) }) }] : [];
        const answers = await Promise.all([...batch, ...replays].map(send));
        if (earlier) {
          const [again, reused] = answers.slice(-2);
          expect(again!.status, `replay of ${JSON.stringify(earlier)}`).toBe(earlier.status);
          expect(reused!.status, `key reused with another body: ${reused!.text.slice(0, 200)}`).toBe(409);
        }
        for (const a of answers.slice(0, batch.length)) {
          if (a.req.idempotencyKey && a.req.body !== undefined && a.status >= 200 && a.status < 300 && !a.req.idempotencyKey.startsWith('fuzz-')) succeeded.push({ ...a.req, status: a.status });
        }
        sent += answers.length;
        for (const a of answers.slice(0, batch.length)) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
        replayed += replays.length;
        const failures = answers.filter((a) => a.status >= 500).map((a) => `${a.status} for ${JSON.stringify(a.req)}: ${a.text.slice(0, 300)}`);
        const broken = t.violations.splice(0).map((v) => `${v.request} → ${v.status}: ${v.problems.join('; ')} (${v.body.slice(0, 200)})`);
        expect([...failures, ...broken]).toEqual([]);
      }),
      { numRuns: BATCHES, seed: SEED, endOnFailure: true },
    );
    const seconds = (Date.now() - started) / 1000;
    console.info(`API fuzzing: ${sent} requests in ${seconds.toFixed(1)} s; generated statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}; ${replayed} replays`);
    expect(sent).toBeGreaterThanOrEqual(BATCH * BATCHES);
    // The generator reaches past the edge: successes and business refusals, not only 400s and 401s.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(201) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(422) ?? 0).toBeGreaterThan(0);
    // A 409 is left to the replays, which reach it every batch; generated requests reach one only by volume.
    expect(replayed).toBe(2 * BATCHES);
  }, 600_000);
});
