import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CERTIFICATION_DIRIGEANT, DEMO_PEOPLE, seedDemoPeople, type DemoPerson } from '../../infra/local/demo-people.ts';
import { startLocalOpenIdProvider, type LocalOpenIdProvider } from '../../infra/local/openid-provider.ts';
import { CookieBrowser } from '../support/cookie-browser.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * A territory that requires partner admins to sign in at `eidas2`: the local provider certifies that
 * level for the water operator's admin (Nadia) when a sign-in asks for it, and for nobody else.
 */

const PEOPLE: DemoPerson[] = [
  ...DEMO_PEOPLE,
  // Invited as the firm's admin, but the provider can certify no more than eidas1 for her.
  { accountId: 'sans-certificat', email: 'rose.blanc@trajets-malins.example', givenName: 'Rose', usualName: 'Blanc', invitedBy: { slot: 'private', role: 'admin' } },
  // Invited as the agency's admin; the provider certifies her as a legal representative, never at eidas2.
  { accountId: 'dirigeante', email: 'ines.roy@agence-urbanisme.example', givenName: 'Inès', usualName: 'Roy', acr: [CERTIFICATION_DIRIGEANT], invitedBy: { slot: 'public', role: 'admin' } },
];

describe('partner admins signed in at the territory\'s assurance level (acr)', () => {
  let t: TestRuntime;
  let idp: LocalOpenIdProvider;

  beforeAll(async () => {
    idp = await startLocalOpenIdProvider({ people: PEOPLE });
    t = await startTestRuntime({ openId: idp, partnerAdminAcr: 'eidas2' });
    const { identityService } = await import('../../functions/wiring/identity.ts');
    const { peopleService } = await import('../../functions/wiring/people.ts');
    await seedDemoPeople(identityService, peopleService, t.keys, PEOPLE);
  });
  afterAll(async () => {
    await t?.stop();
    await idp?.close();
  });

  const url = (path: string) => t.runtime.url + path;

  /** Signs in through the local provider as `accountId`, asking for `acr` if given; the callback's answer. */
  const callback = async (browser: CookieBrowser, accountId: string, acr?: string) => {
    const start = await browser.request('GET', url(`/auth/login?returnTo=%2F${acr ? `&acr=${encodeURIComponent(acr)}` : ''}`));
    expect(start.status, start.text).toBe(302);
    let page = await browser.follow(start.location!, (u) => u.startsWith(t.runtime.url));
    if (page.status === 200) {
      const posted = await browser.request('POST', page.url.replace(/\/?$/, '/login'), { form: { accountId } });
      expect(posted.status, posted.text).toBe(303);
      page = await browser.follow(posted.location!, (u) => u.startsWith(t.runtime.url));
    }
    expect(page.url.startsWith(url('/auth/callback')), page.text).toBe(true);
    return browser.request('GET', page.url);
  };

  const asSession = async (browser: CookieBrowser, method: string, path: string, body?: unknown) => {
    const cookie = `comptoir-session=${browser.cookie(t.runtime.url, 'comptoir-session')}`;
    const me = (await (await fetch(url('/v1/me'), { headers: { cookie } })).json()) as { session: { csrfToken: string; acr?: string } };
    const res = await fetch(url(path), {
      method,
      headers: { cookie, 'x-csrf-token': me.session.csrfToken, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    expect(t.violations).toEqual([]);
    return { status: res.status, body: text ? JSON.parse(text) : undefined, acr: me.session.acr };
  };

  it('sends an invited admin signed in below the level to sign in again at it, binding nobody meanwhile', async () => {
    // Act: the console's plain button asks for no level, and the ID token then carries none.
    const browser = new CookieBrowser();
    const weak = await callback(browser, 'nadia-exploitante');

    // Assert: no session, the invitation still waits, and the browser goes to sign in again asking for eidas2.
    expect(weak.status).toBe(302);
    expect(weak.location).toBe(url('/auth/login?acr=eidas2&returnTo=%2F'));
    expect(weak.setCookies.some((c) => c.startsWith('comptoir-session='))).toBe(false);
    const people = await t.call('GET', `/v1/partners/${t.keys.dsp.partnerId}/people`, { key: t.keys.dsp.key });
    expect(people.body.items.find((p: { email: string }) => p.email === 'nadia.benali@eaux-grand-territoire.example').status).toBe('invited');

    // Act: that sign-in, where the provider certifies eidas2.
    const again = await browser.request('GET', weak.location!);
    expect(again.status).toBe(302);
    // The provider knows her from a moment ago, yet asks her to authenticate again (prompt=login): a step-up.
    const login = await browser.follow(again.location!, (u) => u.startsWith(t.runtime.url));
    expect(login.status).toBe(200);
    expect(login.text).toContain('Fournisseur d');
    const posted = await browser.request('POST', login.url.replace(/\/?$/, '/login'), { form: { accountId: 'nadia-exploitante' } });
    const page = await browser.follow(posted.location!, (u) => u.startsWith(t.runtime.url));
    const strong = await browser.request('GET', page.url);

    // Assert: an admin at the level invites a colleague.
    expect(strong.status, strong.text).toBe(302);
    const invited = await asSession(browser, 'POST', `/v1/partners/${t.keys.dsp.partnerId}/people`, { email: 'hugo.lambert@eaux-grand-territoire.example', role: 'member' });
    expect(invited.acr).toBe('eidas2');
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  });

  it('keeps an admin session below the level to member routes: admin routes answer 403 acr_insufficient', async () => {
    // Arrange: Nadia is bound (previous test or now), then signs in again without asking for a level.
    await callback(new CookieBrowser(), 'nadia-exploitante', 'eidas2');
    const browser = new CookieBrowser();
    expect((await callback(browser, 'nadia-exploitante')).status).toBe(302);

    // Act
    const invite = await asSession(browser, 'POST', `/v1/partners/${t.keys.dsp.partnerId}/people`, { email: 'lea.morel@eaux-grand-territoire.example', role: 'member' });
    const key = await asSession(browser, 'POST', `/v1/partners/${t.keys.dsp.partnerId}/keys`, { role: 'member', label: 'script' });
    const read = await asSession(browser, 'GET', `/v1/partners/${t.keys.dsp.partnerId}/people`);

    // Assert
    expect(invite.acr).toBeUndefined();
    expect(invite.status).toBe(403);
    expect(invite.body.error.code).toBe('acr_insufficient');
    expect(invite.body.error.details[0].login).toBe('/auth/login?acr=eidas2');
    expect(key.status).toBe(403);
    expect(key.body.error.code).toBe('acr_insufficient');
    expect(read.status).toBe(200);
    expect(read.body.items.some((p: { email: string }) => p.email === 'lea.morel@eaux-grand-territoire.example')).toBe(false);
    // An API key of the same admin is no session: scripts keep working.
    const byKey = await t.call('POST', `/v1/partners/${t.keys.dsp.partnerId}/keys`, { key: t.keys.dsp.key, body: { role: 'member', label: 'script' } });
    expect(byKey.status).toBe(201);
  });

  it('does not take a level other than the one the territory requires', async () => {
    // Act: certified as the operator's legal representative, which is not eidas2.
    const browser = new CookieBrowser();
    expect((await callback(browser, 'nadia-exploitante', CERTIFICATION_DIRIGEANT)).status).toBe(302);
    const invite = await asSession(browser, 'POST', `/v1/partners/${t.keys.dsp.partnerId}/people`, { email: 'lea.morel@eaux-grand-territoire.example', role: 'member' });

    // Assert
    expect(invite.acr).toBe(CERTIFICATION_DIRIGEANT);
    expect(invite.status).toBe(403);
    expect(invite.body.error.code).toBe('acr_insufficient');
  });

  it('refuses an invited admin who signed in at a level asked but not the territory\'s (403 acr_insufficient)', async () => {
    // Act: certified as a legal representative, which she asked for, but the territory wants eidas2.
    const back = await callback(new CookieBrowser(), 'dirigeante', CERTIFICATION_DIRIGEANT);

    // Assert
    expect(back.status).toBe(403);
    expect(JSON.parse(back.text).error).toMatchObject({ code: 'acr_insufficient', details: [{ requiredAcr: ['eidas2'], acr: CERTIFICATION_DIRIGEANT, login: '/auth/login?acr=eidas2' }] });
    expect(back.setCookies.some((c) => c.startsWith('comptoir-session='))).toBe(false);
  });

  it('refuses a sign-in that asked for a level and came back with another', async () => {
    // Act: Rose's provider account can be certified at eidas1 only.
    const back = await callback(new CookieBrowser(), 'sans-certificat', 'eidas2');

    // Assert
    expect(back.status).toBe(401);
    expect(JSON.parse(back.text).error).toMatchObject({ code: 'sign_in_refused', message: expect.stringMatching(/acr eidas1.*not the one asked \(eidas2\)/) });
    expect(back.setCookies.some((c) => c.startsWith('comptoir-session='))).toBe(false);
  });

  it('leaves officers and members alone', async () => {
    const officer = new CookieBrowser();
    expect((await callback(officer, 'camille-agente')).status).toBe(302);
    const invite = await asSession(officer, 'POST', `/v1/partners/${t.keys.dsp.partnerId}/people`, { email: 'paul.girard@eaux-grand-territoire.example', role: 'member' });
    expect(invite.status, JSON.stringify(invite.body)).toBe(201);
  });

  it('refuses a malformed level at the login route', async () => {
    const res = await new CookieBrowser().request('GET', url('/auth/login?acr=%3Cscript%3E'));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error.code).toBe('invalid_request');
  });
});
