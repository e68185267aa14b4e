import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE, seedDemoPeople, type DemoPerson } from '../../infra/local/demo-people.ts';
import { startLocalOpenIdProvider, type LocalOpenIdProvider } from '../../infra/local/openid-provider.ts';
import { CookieBrowser } from '../support/cookie-browser.ts';
import { parseEml, type Eml } from '../support/eml.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** Each person's e-mail settings, set in a session: immediate or daily digest per kind, French or English. */

const LOUIS = DEMO_PEOPLE.find((p) => p.accountId === 'louis-analyste')!;
const NADIA = DEMO_PEOPLE.find((p) => p.accountId === 'nadia-exploitante')!;
// The firm's admin: requesting licences takes an admin.
const SAMI: DemoPerson = { accountId: 'sami-admin', email: 'sami.haddad@trajets-malins.example', givenName: 'Sami', usualName: 'Haddad', invitedBy: { slot: 'private', role: 'admin' } };
const PEOPLE = [...DEMO_PEOPLE, SAMI];
const DAY = 24 * 3600 * 1000;

describe('notification settings (GET/PUT /v1/me/notifications) and the daily digest', () => {
  let t: TestRuntime;
  let idp: LocalOpenIdProvider;
  let mailDir: string;
  const sessions: Record<string, { browser: CookieBrowser; csrf: string }> = {};

  const url = (path: string) => t.runtime.url + path;

  const signIn = async (accountId: string) => {
    const browser = new CookieBrowser();
    const start = await browser.request('GET', url('/auth/login?returnTo=%2F'));
    let page = await browser.follow(start.location!, (u) => u.startsWith(t.runtime.url));
    if (page.status === 200) {
      const posted = await browser.request('POST', page.url.replace(/\/?$/, '/login'), { form: { accountId } });
      page = await browser.follow(posted.location!, (u) => u.startsWith(t.runtime.url));
    }
    expect((await browser.request('GET', page.url)).status).toBe(302);
    const me = JSON.parse((await browser.request('GET', url('/v1/me'))).text);
    return { browser, csrf: me.session.csrfToken as string };
  };

  const asPerson = async (accountId: string, method: string, path: string, body?: unknown) => {
    const s = sessions[accountId]!;
    const res = await fetch(url(path), {
      method,
      headers: {
        cookie: `comptoir-session=${s.browser.cookie(t.runtime.url, 'comptoir-session')}`,
        'x-csrf-token': s.csrf,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    expect(t.violations).toEqual([]);
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  const mails = async (to: string): Promise<Eml[]> => {
    const files = await readdir(mailDir).catch(() => [] as string[]);
    return (await Promise.all(files.map(async (f) => parseEml(await readFile(join(mailDir, f), 'utf8'))))).filter((m) => m.to === to);
  };

  beforeAll(async () => {
    mailDir = await mkdtemp(join(tmpdir(), 'comptoir-mail-'));
    idp = await startLocalOpenIdProvider({ people: PEOPLE });
    t = await startTestRuntime({ openId: idp, mailDir, duplicateBusDeliveries: true });
    const { identityService } = await import('../../functions/wiring/identity.ts');
    const { peopleService } = await import('../../functions/wiring/people.ts');
    await seedDemoPeople(identityService, peopleService, t.keys, PEOPLE);
    for (const [person, session] of await Promise.all([LOUIS, NADIA, SAMI].map(async (p) => [p, await signIn(p.accountId)] as const))) sessions[person.accountId] = session;
  });
  afterAll(async () => {
    await t?.stop();
    await idp?.close();
    await rm(mailDir, { recursive: true, force: true });
  });

  it('starts French and immediate for every kind; a change keeps what it leaves out; bad settings change nothing', async () => {
    // Arrange
    const before = await asPerson(NADIA.accountId, 'GET', '/v1/me/notifications');
    expect(before.status).toBe(200);
    expect(before.body.language).toBe('fr');
    expect(new Set(Object.values(before.body.kinds))).toEqual(new Set(['immediate']));

    // Act
    const changed = await asPerson(NADIA.accountId, 'PUT', '/v1/me/notifications', { language: 'en', kinds: { 'licence.expiring': 'digest' } });
    const refused = await Promise.all([
      asPerson(NADIA.accountId, 'PUT', '/v1/me/notifications', { kinds: { 'no.such.kind': 'digest' } }),
      asPerson(NADIA.accountId, 'PUT', '/v1/me/notifications', { language: 'de' }),
      asPerson(NADIA.accountId, 'PUT', '/v1/me/notifications', { kinds: { 'duty.due': 'weekly' } }),
    ]);
    const again = await asPerson(NADIA.accountId, 'PUT', '/v1/me/notifications', { kinds: { 'duty.due': 'immediate' } });

    // Assert
    expect(changed.status).toBe(200);
    expect(refused.map((r) => r.status)).toEqual([400, 400, 400]);
    expect(again.body).toEqual({ ...before.body, language: 'en', kinds: { ...before.body.kinds, 'licence.expiring': 'digest' } });
    expect((await asPerson(NADIA.accountId, 'GET', '/v1/me/notifications')).body).toEqual(again.body);
    // Another person's settings are their own.
    expect((await asPerson(LOUIS.accountId, 'GET', '/v1/me/notifications')).body).toEqual(before.body);
  });

  it('answers an API key 422: a key has no person, so no settings', async () => {
    const read = await t.call('GET', '/v1/me/notifications', { key: t.keys.private.key });
    const write = await t.call('PUT', '/v1/me/notifications', { key: t.keys.private.key, body: { language: 'en' } });
    expect([read.status, write.status]).toEqual([422, 422]);
    expect([read.body.error.code, write.body.error.code]).toEqual(['not_a_person', 'not_a_person']);
  });

  it('writes to a person who chose English in English, with why and where to change it', async () => {
    // Arrange: Nadia (the operator's admin) chose English above; her contract's monthly delivery is due within the week
    const startsOn = new Date(Date.now() - 26 * DAY).toISOString().slice(0, 10);
    const contract = await t.call('POST', '/v1/contracts', {
      key: t.keys.officer.key,
      body: { operatorId: t.keys.dsp.partnerId, service: 'Eau potable', startsOn, endsOn: '2031-12-31', obligations: [{ id: 'releves', title: 'Relevés mensuels', every: 'P1M', graceDays: 0 }] },
    });
    expect(contract.status, JSON.stringify(contract.body)).toBe(201);

    // Act
    await t.runtime.runSchedule(new Date());
    await t.runtime.settle();

    // Assert
    const [mail, ...more] = (await mails(NADIA.email)).filter((m) => m.subject === 'A delivery the DSP contract requires is coming due');
    expect(more).toEqual([]);
    expect(mail!.text.startsWith('Hello,')).toBe(true);
    expect(mail!.text).toContain('The data delivery “Relevés mensuels” (releves) the public service delegation contract requires is due on ');
    expect(mail!.text).toContain(`To follow the contract: ${url(`/#/contracts/${contract.body.id}`)}`);
    expect(mail!.text).toContain('You receive this message because you administer the account of this contract’s operator. Your setting “DSP deliveries coming due” is: immediate e-mail.');
    expect(mail!.text).toContain(`open “My notifications” in the console: ${url('/')}`);
  });

  it('gathers two answers into one digest, once a day: a second run sends nothing', async () => {
    // Arrange: Sami (the firm's admin) gets the answers to his requests as a digest; he asks twice, in his session
    expect((await asPerson(SAMI.accountId, 'PUT', '/v1/me/notifications', { kinds: { 'licence.decided': 'digest' } })).status).toBe(200);
    const dataset = (await t.call('POST', '/v1/datasets', { key: t.keys.public.key, body: { title: 'Lignes', description: 'Lignes', theme: 'mobility', classification: 'shared', format: 'csv', schema: { fields: [{ name: 'ligne', type: 'string' }] } } })).body.id;
    const offers = await Promise.all([1, 2].map(() => t.call('POST', '/v1/offers', { key: t.keys.public.key, body: { datasetId: dataset, template: 'territorial-restricted', approval: 'officer', audience: ['private'] } })));
    const [first, second] = await Promise.all(offers.map((o) => asPerson(SAMI.accountId, 'POST', '/v1/licences', { offerId: o.body.id, purpose: 'etude-lignes' })));
    expect([first!.body.state, second!.body.state], JSON.stringify([first, second])).toEqual(['pending_approval', 'pending_approval']);

    // Act: an officer answers both; then the day's digest, twice
    await t.call('POST', `/v1/licences/${first!.body.id}/approve`, { key: t.keys.officer.key, body: {} });
    await t.call('POST', `/v1/licences/${second!.body.id}/reject`, { key: t.keys.officer.key, body: { reason: 'hors champ' } });
    await t.runtime.settle();
    const heldOnly = (await mails(SAMI.email)).filter((m) => m.subject.startsWith('Votre demande'));
    const tomorrow = new Date(Date.now() + DAY);
    await t.runtime.runSchedule(tomorrow);
    await t.runtime.runSchedule(tomorrow);
    await t.runtime.runSchedule(new Date(tomorrow.getTime() + DAY));

    // Assert: nothing at once, then one digest carrying both
    expect(heldOnly).toEqual([]);
    const digests = (await mails(SAMI.email)).filter((m) => m.subject.startsWith('Comptoir : votre résumé du jour'));
    expect(digests.map((d) => d.subject)).toEqual(['Comptoir : votre résumé du jour (2 notifications)']);
    expect(digests[0]!.text).toContain(`- Votre demande de licence est approuvée\n  ${url(`/#/licences/${first!.body.id}`)}`);
    expect(digests[0]!.text).toContain(`- Votre demande de licence est refusée\n  ${url(`/#/licences/${second!.body.id}`)}`);
    expect(digests[0]!.text).toContain('vous avez choisi le résumé quotidien pour : « Réponses à vos demandes de licence ».');
    expect((await mails(SAMI.email)).filter((m) => m.subject.startsWith('Votre demande'))).toEqual([]);
  });
});
