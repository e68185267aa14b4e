import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE, seedDemoPeople, type DemoPerson } from '../../infra/local/demo-people.ts';
import { startLocalOpenIdProvider, type LocalOpenIdProvider } from '../../infra/local/openid-provider.ts';
import { axeViolations } from '../support/axe.ts';
import { builtConsole, launchBrowser, rendered, shoot } from '../support/browser.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** People sign in to the console with ProConnect: the real local provider's login page, its redirects and cookies. */

const CSV = 'bibliotheque;prets\nCentre;120\nNord;45\n';
const PEOPLE: DemoPerson[] = [...DEMO_PEOPLE, { accountId: 'dominique-agent', email: 'dominique.roux@grand-territoire.example', givenName: 'Dominique', usualName: 'Roux', invitedBy: { slot: 'officer', role: 'officer' } }];

/** Opens `path` signed out, presses ProConnect's button and picks `person` on the provider's login page. */
async function signInWithProConnect(page: Page, baseUrl: string, path: string, person: string): Promise<void> {
  await page.goto(`${baseUrl}/#${path}`);
  await page.getByRole('link', { name: 'S’identifier avec ProConnect' }).click();
  await page.getByRole('button', { name: person }).click();
  await page.locator('#signed-in-as').waitFor();
  await rendered(page, path);
}

/** A request made from the page's own script with its cookie, as the console makes them (or without the CSRF token). */
const fromPage = (page: Page, method: string, path: string, body: unknown, withCsrf: boolean) =>
  page.evaluate(
    async ({ method, path, body, withCsrf }) => {
      const me = (await (await fetch('/v1/me')).json()) as { session: { csrfToken: string } };
      const res = await fetch(path, { method, headers: { 'content-type': 'application/json', ...(withCsrf ? { 'x-csrf-token': me.session.csrfToken } : {}) }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    },
    { method, path, body, withCsrf },
  );

describe('signing in to the console with ProConnect (the local OpenID provider), in headless Chromium', () => {
  let t: TestRuntime;
  let idp: LocalOpenIdProvider;
  let browser: Browser;
  let consoleDir: string;
  let offerId: string;
  let datasetId: string;
  let asked: string;
  let officer: Page;
  let mailDir: string;
  const errors: string[] = [];

  beforeAll(async () => {
    [consoleDir, browser, idp, mailDir] = await Promise.all([builtConsole(), launchBrowser(), startLocalOpenIdProvider({ people: PEOPLE }), mkdtemp(join(tmpdir(), 'comptoir-mail-'))]);
    t = await startTestRuntime({ consoleDir, openId: idp, mailDir });
    const { identityService } = await import('../../functions/wiring/identity.ts');
    const { peopleService } = await import('../../functions/wiring/people.ts');
    await seedDemoPeople(identityService, peopleService, t.keys, PEOPLE);
    const schema = { fields: [{ name: 'bibliotheque', type: 'string' }, { name: 'prets', type: 'integer' }] };
    const { public: agency } = t.keys;
    datasetId = (await t.call('POST', '/v1/datasets', { key: agency.key, body: { title: 'Prêts des médiathèques', description: 'Prêts par médiathèque', theme: 'culture', classification: 'restricted', format: 'csv', schema } })).body.id;
    const started = await t.call('POST', `/v1/datasets/${datasetId}/versions`, { key: agency.key, body: { bytes: CSV.length } });
    await fetch(started.body.upload.url, { method: 'PUT', body: CSV });
    await t.call('POST', `/v1/datasets/${datasetId}/versions/1/complete`, { key: agency.key, body: {} });
    await t.runtime.settle();
    const offer = await t.call('POST', '/v1/offers', { key: agency.key, body: { datasetId, template: 'territorial-restricted', audience: ['dsp', 'collectivity'], approval: 'officer' } });
    expect(offer.status, JSON.stringify(offer.body)).toBe(201);
    offerId = offer.body.id;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    await idp?.close();
    await rm(mailDir, { recursive: true, force: true });
  });

  const newPage = async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) errors.push(m.text());
    });
    return page;
  };

  it('lets the operator’s admin sign in with ProConnect and ask for a licence through the console (its CSRF token sent)', async () => {
    // Arrange
    const page = await newPage();

    // Act
    await signInWithProConnect(page, t.runtime.url, `/datasets/${datasetId}`, 'Nadia Benali');
    await page.locator(`tr[data-offer="${offerId}"]`).getByLabel(/^Finalité/).fill('suivi-usagers');
    await page.getByRole('button', { name: 'Demander une licence' }).click();
    await page.getByText('Licence demandée : en attente d’approbation.').waitFor();

    // Assert: the header names the person and her partner; the licence is hers
    expect(await page.locator('#signed-in-as').textContent()).toBe('Nadia Benali — Eaux du Grand Territoire (délégataire eau potable), administrateur');
    const mine = (await t.call('GET', '/v1/licences?state=pending_approval', { key: t.keys.dsp.key })).body.items;
    expect(mine).toHaveLength(1);
    asked = mine[0].id;
    expect(errors).toEqual([]);
  });

  it('lets the operator’s admin invite a colleague from the console; the invitation e-mail is captured and readable at /dev/mail', async () => {
    // Arrange: Nadia signs in and opens her organisation's page from the menu.
    const page = await newPage();
    const COLLEAGUE = 'hugo.lambert@eaux-grand-territoire.example';
    await signInWithProConnect(page, t.runtime.url, '/catalogue', 'Nadia Benali');
    await page.getByRole('link', { name: 'Mon organisation' }).click();
    await rendered(page, `/partners/${t.keys.dsp.partnerId}`);

    // Act: the invitation form, with the keyboard's Enter to send it.
    await page.getByLabel('Adresse électronique').fill(COLLEAGUE);
    await page.getByLabel('Rôle', { exact: true }).last().selectOption('member');
    await page.getByLabel(/^SIRET de son établissement/).fill('81234567600012');
    await page.getByLabel(/^SIRET de son établissement/).press('Enter');
    await page.getByText(`Invitation envoyée à ${COLLEAGUE}.`).waitFor();

    // Assert: the person is listed as invited, the page passes axe, in French and in English.
    const row = page.locator('tr[data-person]', { hasText: COLLEAGUE });
    await row.waitFor();
    expect(await row.locator('td').allTextContents()).toEqual([COLLEAGUE, '', 'membre', 'invitée, pas encore identifiée', expect.any(String)]);
    expect(await axeViolations(page)).toEqual([]);
    await shoot(page, 'proconnect-admin-invites');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Invite a person' }).waitFor();
    expect(await row.locator('td').nth(3).textContent()).toBe('invited, not signed in yet');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Français' }).click();
    await page.getByRole('heading', { name: 'Inviter une personne' }).waitFor();

    // Assert: the invitation e-mail, captured, listed first at /dev/mail and opened from there.
    await t.runtime.settle();
    const mail = await newPage();
    await mail.goto(`${t.runtime.url}/dev/mail`);
    const first = mail.locator('tbody tr').first();
    expect(await first.locator('td').nth(1).textContent()).toBe(COLLEAGUE);
    await first.getByRole('link', { name: 'Invitation à rejoindre Eaux du Grand Territoire (délégataire eau potable) sur Comptoir' }).click();
    await mail.getByRole('heading', { name: /^Invitation à rejoindre Eaux du Grand Territoire/ }).waitFor();
    expect(await mail.locator('pre').textContent()).toContain('en tant que membre');
    await mail.getByRole('link', { name: `${t.runtime.url}/` }).first().waitFor();
    expect(errors).toEqual([]);
  });

  it('lets an officer sign in with ProConnect, see the inbox and approve another person’s request, never their own', async () => {
    // Arrange: Camille signs in where the link to the inbox led, and asks for a licence herself
    officer = await newPage();
    await signInWithProConnect(officer, t.runtime.url, '/inbox', 'Camille Martin');
    expect(await officer.locator('#signed-in-as').textContent()).toBe('Camille Martin — Métropole du Grand Territoire, agent de la collectivité');
    const own = await fromPage(officer, 'POST', '/v1/licences', { offerId, purpose: 'pilotage-lecture-publique' }, true);
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    await officer.reload();
    await rendered(officer, '/inbox');

    // Act: approving her own request is refused, approving Nadia's goes through
    await officer.locator(`#approve-${own.body.id}`).getByRole('button', { name: 'Approuver' }).click();
    await officer.locator('#notices .fr-alert--error').getByText(/four eyes/).waitFor();
    await officer.locator(`#approve-${asked}`).getByRole('button', { name: 'Approuver' }).click();
    await officer.getByText('Licence approuvée.').waitFor();
    await shoot(officer, 'proconnect-officer-inbox');

    // Assert
    const state = async (id: string) => (await t.call('GET', `/v1/licences/${id}`, { key: t.keys.officer.key })).body.state;
    expect(await state(own.body.id)).toBe('pending_approval');
    expect(await state(asked)).toBe('awaiting_signature');
    expect(errors).toEqual([]);
  });

  it('refuses a request that changes state with the session cookie but without the CSRF token', async () => {
    // Arrange
    const pending = (await t.call('GET', '/v1/licences?state=pending_approval', { key: t.keys.officer.key })).body.items;
    expect(pending).toHaveLength(1);

    // Act
    const refused = await fromPage(officer, 'POST', `/v1/licences/${pending[0].id}/reject`, { reason: 'sans jeton' }, false);

    // Assert
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('csrf_refused');
    expect((await t.call('GET', `/v1/licences/${pending[0].id}`, { key: t.keys.officer.key })).body.state).toBe('pending_approval');
  });

  it('signs out here and at the provider: the session is over and the next API call is refused', async () => {
    // Arrange
    const cookie = (await officer.context().cookies(t.runtime.url)).find((c) => c.name === 'comptoir-session')!;
    expect(cookie.httpOnly).toBe(true);

    // Act: the console's button, then the provider's own confirmation
    await officer.getByRole('button', { name: 'Se déconnecter' }).click();
    await officer.waitForURL((u) => u.href.startsWith(idp.issuer));
    await officer.getByRole('button', { name: 'Se déconnecter' }).click();
    await officer.waitForURL(`${t.runtime.url}/`);
    await officer.getByRole('link', { name: 'S’identifier avec ProConnect' }).waitFor();
    await shoot(officer, 'proconnect-signed-out');

    // Assert: no session in this browser, and the old cookie opens nothing either
    expect(await officer.locator('#signed-in-as').count()).toBe(0);
    expect(await officer.evaluate(async () => (await fetch('/v1/me')).status)).toBe(401);
    expect((await fetch(`${t.runtime.url}/v1/me`, { headers: { cookie: `comptoir-session=${cookie.value}` } })).status).toBe(401);
    expect(errors).toEqual([]);
  });
  it('sends a person whose session ended back to the sign-in page, saying so', async () => {
    // Arrange: Louis signs in, then his partner's admin removes him (his sessions end at once)
    const page = await newPage();
    await signInWithProConnect(page, t.runtime.url, '/catalogue', 'Louis Petit');
    const personId = (await page.evaluate(async () => ((await (await fetch('/v1/me')).json()) as { person: { id: string } }).person.id));
    expect((await t.call('DELETE', `/v1/people/${personId}`, { key: t.keys.private.key })).status).toBe(204);

    // Act
    await page.getByRole('link', { name: 'Licences' }).click();

    // Assert
    await page.getByText('Votre session a pris fin : identifiez-vous de nouveau.').waitFor();
    await page.getByRole('link', { name: 'S’identifier avec ProConnect' }).waitFor();
    expect(await page.locator('#signed-in-as').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
