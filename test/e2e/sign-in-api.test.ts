import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../functions/adapters/dynamo/client.ts';
import { DEMO_PEOPLE, seedDemoPeople, type DemoPerson } from '../../infra/local/demo-people.ts';
import { startLocalOpenIdProvider, type LocalOpenIdProvider } from '../../infra/local/openid-provider.ts';
import { CookieBrowser } from '../support/cookie-browser.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { dynamoEndpoint } from '../support/emulators.ts';

/** Sign-in through a real local OpenID provider: every hop followed by hand, cookies kept per host. */

const PEOPLE: DemoPerson[] = [
  ...DEMO_PEOPLE,
  { accountId: 'dominique-agent', email: 'dominique.roux@grand-territoire.example', givenName: 'Dominique', usualName: 'Roux', invitedBy: { slot: 'officer', role: 'officer' } },
  // An officer who issues herself a key, then leaves.
  { accountId: 'sacha-agente', email: 'sacha.blanc@grand-territoire.example', givenName: 'Sacha', usualName: 'Blanc', invitedBy: { slot: 'officer', role: 'officer' } },
  // Another account of the provider claiming Louis's address (a recycled mailbox).
  { accountId: 'louis-bis', email: 'louis.petit@trajets-malins.example', givenName: 'Louis', usualName: 'Autre' },
  { accountId: 'inconnue', email: 'inconnue@example.org', givenName: 'Inès', usualName: 'Connue' },
  // Invited by the firm, but the provider says she works at the water operator.
  { accountId: 'mauvais-siret', email: 'alex.faure@trajets-malins.example', givenName: 'Alex', usualName: 'Faure', siret: '81234567600012', invitedBy: { slot: 'private', role: 'member' } },
];
const CSV = ['station;index', 'S1;10', ''].join('\n');

describe('signing in with OpenID Connect (local provider)', () => {
  let t: TestRuntime;
  let idp: LocalOpenIdProvider;
  const db = createDocumentClient({ endpoint: dynamoEndpoint() });

  beforeAll(async () => {
    idp = await startLocalOpenIdProvider({ people: PEOPLE });
    t = await startTestRuntime({ openId: idp });
    const { identityService } = await import('../../functions/wiring/identity.ts');
    const { peopleService } = await import('../../functions/wiring/people.ts');
    await seedDemoPeople(identityService, peopleService, t.keys, PEOPLE);
  });
  afterAll(async () => {
    db.destroy();
    await t.stop();
    await idp.close();
  });

  const url = (path: string) => t.runtime.url + path;

  /** The authorisation URL Comptoir sends this browser to (and the login cookie it sets). */
  const startSignIn = async (browser: CookieBrowser) => {
    const start = await browser.request('GET', url('/auth/login?returnTo=%2F%23%2Fcatalogue'));
    expect(start.status).toBe(302);
    expect(start.setCookies.join('\n')).toMatch(/comptoir-login=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600/);
    return new URL(start.location!);
  };

  /** Goes through the provider as `accountId` (login page unless it remembers them) and stops at Comptoir's callback. */
  const throughProvider = async (browser: CookieBrowser, authorisationUrl: URL, accountId: string) => {
    let page = await browser.follow(authorisationUrl.href, (u) => u.startsWith(t.runtime.url));
    if (page.status === 200) {
      expect(page.text).toContain('Fournisseur d');
      const posted = await browser.request('POST', page.url.replace(/\/?$/, '/login'), { form: { accountId } });
      expect(posted.status, posted.text).toBe(303);
      page = await browser.follow(posted.location!, (u) => u.startsWith(t.runtime.url));
    }
    expect(page.url.startsWith(url('/auth/callback'))).toBe(true);
    return page.url;
  };

  const signIn = async (accountId: string, browser = new CookieBrowser()) => {
    const callback = await throughProvider(browser, await startSignIn(browser), accountId);
    const back = await browser.request('GET', callback);
    expect(back.status, back.text).toBe(302);
    const me = await browser.request('GET', url('/v1/me'));
    expect(me.status, me.text).toBe(200);
    return { browser, back, me: JSON.parse(me.text), csrf: JSON.parse(me.text).session.csrfToken as string };
  };

  const asSession = async (s: { browser: CookieBrowser; csrf?: string }, method: string, path: string, body?: unknown) => {
    const res = await fetch(url(path), {
      method,
      headers: {
        cookie: `comptoir-session=${s.browser.cookie(t.runtime.url, 'comptoir-session')}`,
        ...(s.csrf ? { 'x-csrf-token': s.csrf } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    expect(t.violations).toEqual([]);
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  /** A fresh offer of a new restricted dataset whose licences wait for an officer's approval. */
  const officerApprovedOffer = async (): Promise<string> => {
    const { dsp } = t.keys;
    const dataset = (await t.call('POST', '/v1/datasets', { key: dsp.key, body: { title: 'Index', description: 'Index', theme: 'water', classification: 'restricted', format: 'csv', schema: { fields: [{ name: 'station', type: 'string' }, { name: 'index', type: 'integer' }] } } })).body.id;
    const started = await t.call('POST', `/v1/datasets/${dataset}/versions`, { key: dsp.key, body: { bytes: Buffer.byteLength(CSV) } });
    await fetch(started.body.upload.url, { method: 'PUT', body: CSV });
    await t.call('POST', `/v1/datasets/${dataset}/versions/1/complete`, { key: dsp.key, body: {} });
    await t.runtime.settle();
    const offer = await t.call('POST', '/v1/offers', { key: dsp.key, body: { datasetId: dataset, template: 'territorial-restricted', audience: ['collectivity'], approval: 'officer' } });
    expect(offer.status, JSON.stringify(offer.body)).toBe(201);
    return offer.body.id;
  };

  /** An officer key issued by this signed-in person (bound to them). */
  const issueOwnKey = async (s: { browser: CookieBrowser; csrf?: string }, label: string): Promise<{ keyId: string; key: string }> => {
    const issued = await asSession(s, 'POST', `/v1/partners/${t.keys.officer.partnerId}/keys`, { role: 'officer', label });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    return issued.body;
  };

  it('signs each demo person in: an HttpOnly SameSite=Lax session cookie, then back to the console page asked for', async () => {
    for (const person of DEMO_PEOPLE) {
      const { back, me } = await signIn(person.accountId);
      expect(back.location).toBe(url('/#/catalogue'));
      // Secure is left out only because this runtime serves plain http on 127.0.0.1.
      expect(back.setCookies.find((c) => c.startsWith('comptoir-session='))).toMatch(/^comptoir-session=ses_[0-9A-Z]{26}\.[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=28800$/);
      expect(me.person.email).toBe(person.email);
      // The name the provider gave, kept with the session for the console's header.
      expect(me.person.name).toBe(`${person.givenName} ${person.usualName}`);
      expect(me.principal.keyId).toBe(me.person.id);
      expect(me.partner.id).toBe(t.keys[person.invitedBy!.slot].partnerId);
      expect(me.role).toBe(person.invitedBy!.role);
    }
  });

  it('gives a session the same principal as an API key of the same partner and role', async () => {
    const session = await signIn('camille-agente');
    const byKey = await t.call('GET', '/v1/me', { key: t.keys.officer.key });
    const { principal: _p, person: _person, session: _s, ...sessionView } = session.me;
    const { principal: _k, ...keyView } = byKey.body;
    expect(sessionView).toEqual(keyView);
    // Both reach an officer-only route.
    expect((await asSession(session, 'GET', '/v1/partners')).body.items.length).toBe((await t.call('GET', '/v1/partners', { key: t.keys.officer.key })).body.items.length);
  });

  it('refuses a callback whose state is not the one this browser started with', async () => {
    const browser = new CookieBrowser();
    const callback = new URL(await throughProvider(browser, await startSignIn(browser), 'louis-analyste'));
    const forged = new URL(callback);
    forged.searchParams.set('state', 'an-attackers-state');
    const refused = await browser.request('GET', forged.href);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.text).error.code).toBe('sign_in_refused');
    // The right state in another browser (no login cookie) is refused too.
    const elsewhere = await new CookieBrowser().request('GET', callback.href);
    expect(elsewhere.status).toBe(401);
    expect(refused.setCookies.some((c) => c.startsWith('comptoir-session='))).toBe(false);
  });

  it('refuses an ID token whose nonce is not the one sent (the authorisation request tampered with)', async () => {
    const browser = new CookieBrowser();
    const authorisation = await startSignIn(browser);
    authorisation.searchParams.set('nonce', 'a-nonce-of-the-attacker');
    const back = await browser.request('GET', await throughProvider(browser, authorisation, 'louis-analyste'));
    expect(back.status).toBe(401);
    expect(JSON.parse(back.text).error.message).toMatch(/claim nonce/);
  });

  it('refuses a code whose PKCE challenge is not from this sign-in', async () => {
    const browser = new CookieBrowser();
    const authorisation = await startSignIn(browser);
    authorisation.searchParams.set('code_challenge', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    const back = await browser.request('GET', await throughProvider(browser, authorisation, 'louis-analyste'));
    expect(back.status).toBe(401);
    expect(JSON.parse(back.text).error.code).toBe('sign_in_refused');
  });

  it('refuses a session cookie with the right id but another secret', async () => {
    const session = await signIn('louis-analyste');
    const [sessionId] = session.browser.cookie(t.runtime.url, 'comptoir-session')!.split('.');
    session.browser.setCookie(t.runtime.url, 'comptoir-session', `${sessionId}.${'A'.repeat(43)}`);
    expect((await asSession(session, 'GET', '/v1/me')).status).toBe(401);
  });

  it('sends the browser back only to a path of this platform', async () => {
    for (const returnTo of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const res = await new CookieBrowser().request('GET', url(`/auth/login?returnTo=${encodeURIComponent(returnTo)}`));
      expect(res.status, returnTo).toBe(400);
      expect(JSON.parse(res.text).error.code).toBe('invalid_request');
    }
    expect((await new CookieBrowser().request('GET', url('/auth/login?returnTo=%2F%23%2Flicences'))).status).toBe(302);
  });

  it('has no session to end for an API key', async () => {
    const res = await t.call('POST', '/auth/logout', { key: t.keys.private.key });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('not_a_session');
  });

  it('invites officers on the collectivity only, and no officer elsewhere', async () => {
    const onFirm = await t.call('POST', `/v1/partners/${t.keys.private.partnerId}/people`, { key: t.keys.officer.key, body: { email: 'chef@trajets-malins.example', role: 'officer' } });
    expect(onFirm.status).toBe(422);
    expect(onFirm.body.error.code).toBe('role_not_allowed');
    const memberOfCollectivity = await t.call('POST', `/v1/partners/${t.keys.officer.partnerId}/people`, { key: t.keys.officer.key, body: { email: 'stagiaire@grand-territoire.example', role: 'member' } });
    expect(memberOfCollectivity.status).toBe(422);
    const twice = await t.call('POST', `/v1/partners/${t.keys.private.partnerId}/people`, { key: t.keys.private.key, body: { email: 'Louis.Petit@trajets-malins.example', role: 'member' } });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('person_exists');
  });

  it('uses a state once only, even with a fresh code for the same authorisation request', async () => {
    const browser = new CookieBrowser();
    const authorisation = await startSignIn(browser);
    const callback = await throughProvider(browser, authorisation, 'louis-analyste');
    const login = browser.cookie(t.runtime.url, 'comptoir-login')!;
    expect((await browser.request('GET', callback)).status).toBe(302);
    // The provider remembers the person and issues a new code for the very same request (state, nonce, PKCE).
    const replay = await throughProvider(browser, authorisation, 'louis-analyste');
    expect(new URL(replay).searchParams.get('code')).not.toBe(new URL(callback).searchParams.get('code'));
    browser.setCookie(t.runtime.url, 'comptoir-login', login);
    const refused = await browser.request('GET', replay);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.text).error.message).toMatch(/already used/);
  });

  it('refuses another provider account with the e-mail address of someone already signed in', async () => {
    await signIn('louis-analyste');
    const browser = new CookieBrowser();
    const back = await browser.request('GET', await throughProvider(browser, await startSignIn(browser), 'louis-bis'));
    expect(back.status).toBe(403);
    expect(JSON.parse(back.text).error.code).toBe('subject_mismatch');
  });

  it('refuses people nobody invited, and a SIRET that is not the inviting partner\'s', async () => {
    for (const [accountId, code] of [['inconnue', 'not_invited'], ['mauvais-siret', 'siret_mismatch']] as const) {
      const browser = new CookieBrowser();
      const back = await browser.request('GET', await throughProvider(browser, await startSignIn(browser), accountId));
      expect(back.status).toBe(403);
      expect(JSON.parse(back.text).error.code).toBe(code);
    }
  });

  it('refuses an expired session although its item is still in the table (TTL deletes late)', async () => {
    const session = await signIn('louis-analyste');
    const sessionId = session.browser.cookie(t.runtime.url, 'comptoir-session')!.split('.')[0]!;
    await db.send(new UpdateCommand({ TableName: t.tableName, Key: { pk: `SESSION#${sessionId}`, sk: 'SESSION' }, UpdateExpression: 'SET expiresAt = :past', ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() } }));
    expect((await asSession(session, 'GET', '/v1/me')).status).toBe(401);
  });

  it('refuses a state-changing request made with the session cookie but without its CSRF token', async () => {
    const session = await signIn('nadia-exploitante');
    const partner = t.keys.dsp.partnerId;
    const invitation = { email: 'collegue@eaux-grand-territoire.example', role: 'member' };
    const refused = await asSession({ browser: session.browser }, 'POST', `/v1/partners/${partner}/people`, invitation);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('csrf_refused');
    expect((await asSession({ ...session, csrf: 'a-guess' }, 'POST', `/v1/partners/${partner}/people`, invitation)).status).toBe(401);
    const invited = await asSession(session, 'POST', `/v1/partners/${partner}/people`, invitation);
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ email: invitation.email, role: 'member', status: 'invited' });
  });

  it('logs out here and at the provider: the session stops working and the next sign-in asks who signs in again', async () => {
    const session = await signIn('louis-analyste');
    // The provider remembers the person: a second sign-in goes through without its login page.
    const again = new URL(await throughProvider(session.browser, await startSignIn(session.browser), 'louis-analyste'));
    expect(again.pathname).toBe('/auth/callback');
    const out = await asSession(session, 'POST', '/auth/logout');
    expect(out.status).toBe(200);
    expect(out.body.endSessionUrl.startsWith(idp.issuer)).toBe(true);
    expect((await asSession(session, 'GET', '/v1/me')).status).toBe(401);
    const confirm = await session.browser.request('GET', out.body.endSessionUrl);
    const xsrf = confirm.text.match(/name="xsrf" value="([^"]+)"/)![1]!;
    const action = confirm.text.match(/action="([^"]+)"/)![1]!;
    const ended = await session.browser.request('POST', new URL(action, idp.issuer).href, { form: { xsrf, logout: 'yes' } });
    expect((await session.browser.follow(ended.location!, (u) => u.startsWith(t.runtime.url))).url).toBe(url('/'));
    const page = await session.browser.follow((await startSignIn(session.browser)).href, (u) => u.startsWith(t.runtime.url));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Choisissez la personne');
  });

  it('four eyes between people: who requested a licence cannot approve it from another session; another officer can', async () => {
    const { dsp, officer } = t.keys;
    const offerId = await officerApprovedOffer();
    const camille = await signIn('camille-agente');
    const requested = await asSession(camille, 'POST', '/v1/licences', { offerId, purpose: 'suivi-du-service' });
    expect(requested.status, JSON.stringify(requested.body)).toBe(201);
    expect(requested.body.state).toBe('pending_approval');
    const camilleAgain = await signIn('camille-agente');
    const own = await asSession(camilleAgain, 'POST', `/v1/licences/${requested.body.id}/approve`, {});
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('four_eyes');
    const dominique = await signIn('dominique-agent');
    expect((await asSession(dominique, 'POST', `/v1/licences/${requested.body.id}/approve`, {})).status).toBe(200);
    await t.runtime.settle();
    // The licensor reads the licence's events, made by the collectivity's people: pseudonyms only.
    const byLicensor = await t.call('GET', `/v1/audit?subject=${requested.body.id}`, { key: dsp.key });
    const personIds = byLicensor.body.items.filter((e: { body: { actor: { type: string } } }) => e.body.actor.type === 'person').map((e: { body: { actor: { personId: string } } }) => e.body.actor.personId);
    expect(new Set(personIds)).toEqual(new Set([camille.me.person.id, dominique.me.person.id]));
    expect(byLicensor.body.people).toBeUndefined();
    const byOfficer = await t.call('GET', `/v1/audit?subject=${requested.body.id}`, { key: officer.key });
    expect(byOfficer.body.people[camille.me.person.id].email).toBe('camille.martin@grand-territoire.example');
  });

  it('removes a person: their sessions end at once and the audit names them by their pseudonymous id only', async () => {
    const louis = await signIn('louis-analyste');
    const personId = louis.me.person.id as string;
    await t.runtime.settle();
    // Before removal: the audit names the person to officers and to their own partner.
    const named = await t.call('GET', `/v1/audit?subject=${personId}`, { key: t.keys.officer.key });
    expect(named.body.items.some((e: { body: { actor: { type: string; personId?: string } } }) => e.body.actor.type === 'person' && e.body.actor.personId === personId)).toBe(true);
    expect(named.body.people[personId]).toMatchObject({ email: 'louis.petit@trajets-malins.example', name: 'Louis Petit', partnerId: t.keys.private.partnerId, subject: 'louis-analyste' });
    expect((await t.call('GET', `/v1/audit?subject=${personId}`, { key: t.keys.private.key })).body.people[personId].email).toBe('louis.petit@trajets-malins.example');
    // Another partner's admin learns nothing, not even which partner the person belongs to.
    const outsider = await t.call('DELETE', `/v1/people/${personId}`, { key: t.keys.dsp.key });
    expect(outsider.status).toBe(404);
    expect(outsider.body.error.message).toBe(`person ${personId} not found`);
    expect((await t.call('DELETE', `/v1/people/${personId}`, { key: t.keys.private.key })).status).toBe(204);
    expect((await asSession(louis, 'GET', '/v1/me')).status).toBe(401);
    await t.runtime.settle();
    const audit = await t.call('GET', `/v1/audit?subject=${personId}`, { key: t.keys.officer.key });
    const actions = audit.body.items.map((e: { body: { action: string } }) => e.body.action);
    expect(actions).toEqual(expect.arrayContaining(['person.invited', 'person.activated', 'session.started', 'person.removed']));
    expect(JSON.stringify(audit.body)).not.toContain('louis.petit');
    // Only officers and the person's own partner read people.
    expect((await t.call('GET', `/v1/partners/${t.keys.private.partnerId}/people`, { key: t.keys.dsp.key })).status).toBe(404);
  });
  it('binds a key issued from a session to its person: the key list and /v1/me name them by id only', async () => {
    const camille = await signIn('camille-agente');
    const own = await issueOwnKey(camille, 'clé de Camille');
    const machine = (await t.call('POST', `/v1/partners/${t.keys.officer.partnerId}/keys`, { key: t.keys.officer.key, body: { role: 'officer', label: 'script' } })).body;
    const me = await t.call('GET', '/v1/me', { key: own.key });
    expect(me.body.principal).toEqual({ keyId: own.keyId, label: 'clé de Camille', personId: camille.me.person.id });
    expect(me.body.person).toBeUndefined();
    expect((await t.call('GET', '/v1/me', { key: machine.key })).body.principal.personId).toBeUndefined();
    const listed = (await t.call('GET', `/v1/partners/${t.keys.officer.partnerId}/keys?limit=100`, { key: t.keys.officer.key })).body.items;
    expect(listed.find((k: { keyId: string }) => k.keyId === own.keyId).personId).toBe(camille.me.person.id);
    // A key issued by a key (a machine's) stays its own actor.
    expect(listed.find((k: { keyId: string }) => k.keyId === machine.keyId).personId).toBeUndefined();
    expect(JSON.stringify(listed)).not.toContain('camille.martin');
    // A key an officer hands to another partner is that partner's, not the officer's.
    const handed = await asSession(camille, 'POST', `/v1/partners/${t.keys.dsp.partnerId}/keys`, { role: 'member', label: 'pour le délégataire' });
    expect(handed.status).toBe(201);
    expect((await t.call('GET', '/v1/me', { key: handed.body.key })).body.principal.personId).toBeUndefined();
  });

  it('four eyes on a privacy downgrade between a session and the same person\'s key, both ways; another officer approves', async () => {
    const camille = await signIn('camille-agente');
    const own = await issueOwnKey(camille, 'clé pour les jeux');
    const flagged = { fields: [{ name: 'nom', type: 'string', personal: true }, { name: 'm3', type: 'number' }] };
    const unflagged = { schema: { fields: [{ name: 'nom', type: 'string' }, { name: 'm3', type: 'number' }] } };
    const create = async () => {
      const created = await t.call('POST', '/v1/datasets', { key: own.key, body: { title: 'Relevés', description: 'Relevés individuels', theme: 'water', classification: 'shared', format: 'csv', schema: flagged } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body.id as string;
    };
    const [a, b] = await Promise.all([create(), create()]);
    // Asked with the session, approved with her key.
    const bySession = await asSession(camille, 'PATCH', `/v1/datasets/${a}`, unflagged);
    expect(bySession.status, JSON.stringify(bySession.body)).toBe(202);
    const viaKey = await t.call('POST', `/v1/dataset-changes/${bySession.body.id}/approve`, { key: own.key, body: {} });
    expect(viaKey.status).toBe(403);
    expect(viaKey.body.error.code).toBe('four_eyes');
    // Asked with her key, approved with her session.
    const byKey = await t.call('PATCH', `/v1/datasets/${b}`, { key: own.key, body: unflagged });
    expect(byKey.status, JSON.stringify(byKey.body)).toBe(202);
    const viaSession = await asSession(camille, 'POST', `/v1/dataset-changes/${byKey.body.id}/approve`, {});
    expect(viaSession.status).toBe(403);
    expect(viaSession.body.error.code).toBe('four_eyes');
    const dominique = await signIn('dominique-agent');
    expect((await asSession(dominique, 'POST', `/v1/dataset-changes/${bySession.body.id}/approve`, {})).status).toBe(200);
    expect((await asSession(dominique, 'POST', `/v1/dataset-changes/${byKey.body.id}/approve`, {})).status).toBe(200);
  });

  it('four eyes across a session and the key the same person issued, both ways; another officer approves', async () => {
    const [offerA, offerB, camille] = await Promise.all([officerApprovedOffer(), officerApprovedOffer(), signIn('camille-agente')]);
    const own = await issueOwnKey(camille, 'clé personnelle');
    // Asked with the session, approved with her own key.
    const bySession = await asSession(camille, 'POST', '/v1/licences', { offerId: offerA, purpose: 'suivi-du-service' });
    expect(bySession.status, JSON.stringify(bySession.body)).toBe(201);
    const viaKey = await t.call('POST', `/v1/licences/${bySession.body.id}/approve`, { key: own.key, body: {} });
    expect(viaKey.status).toBe(403);
    expect(viaKey.body.error.code).toBe('four_eyes');
    // Asked with her key, approved with her session.
    const byKey = await t.call('POST', '/v1/licences', { key: own.key, body: { offerId: offerB, purpose: 'suivi-du-service' } });
    expect(byKey.status, JSON.stringify(byKey.body)).toBe(201);
    expect(byKey.body.history[0].by).toBe(camille.me.person.id);
    const viaSession = await asSession(camille, 'POST', `/v1/licences/${byKey.body.id}/approve`, {});
    expect(viaSession.status).toBe(403);
    expect(viaSession.body.error.code).toBe('four_eyes');
    // Another officer may.
    const dominique = await signIn('dominique-agent');
    expect((await asSession(dominique, 'POST', `/v1/licences/${bySession.body.id}/approve`, {})).status).toBe(200);
    expect((await t.call('POST', `/v1/licences/${byKey.body.id}/approve`, { key: t.keys.officer.key, body: {} })).status).toBe(200);
  });

  it('keeps a key issued by a key independent: a request it made is approved by the key that issued it', async () => {
    const offer = await officerApprovedOffer();
    const script = (await t.call('POST', `/v1/partners/${t.keys.officer.partnerId}/keys`, { key: t.keys.officer.key, body: { role: 'officer', label: 'script' } })).body;
    const requested = await t.call('POST', '/v1/licences', { key: script.key, body: { offerId: offer, purpose: 'suivi-du-service' } });
    expect(requested.status, JSON.stringify(requested.body)).toBe(201);
    expect((await t.call('POST', `/v1/licences/${requested.body.id}/approve`, { key: t.keys.officer.key, body: {} })).status).toBe(200);
  });

  it("stops a removed person's keys from speaking as them", async () => {
    const sacha = await signIn('sacha-agente');
    const own = await issueOwnKey(sacha, 'clé de Sacha');
    expect((await t.call('GET', '/v1/me', { key: own.key })).status).toBe(200);
    expect((await t.call('DELETE', `/v1/people/${sacha.me.person.id}`, { key: t.keys.officer.key })).status).toBe(204);
    const after = await t.call('GET', '/v1/me', { key: own.key });
    expect(after.status).toBe(401);
    expect((await t.call('GET', '/v1/me', { key: t.keys.officer.key })).status).toBe(200);
  });
});
