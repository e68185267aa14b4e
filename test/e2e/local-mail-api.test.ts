import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../schemas/routes.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * Local mail. Bounces and complaints on the local runtime: mail to SES's mailbox simulator addresses bounces (or
 * draws a complaint) as it would in the cloud, the same handler suppresses the address, and nothing
 * more is sent to it. And `/dev/mail`, the local page that shows the captured messages.
 */
describe('addresses that bounce or complain stop receiving', () => {
  let t: TestRuntime;
  let mailDir: string;
  const BOUNCES = 'bounce@simulator.amazonses.com';
  const COMPLAINS = 'complaint+agent@simulator.amazonses.com';
  const DELIVERED = 'agnes.leroy@grand-territoire.example';

  beforeAll(async () => {
    mailDir = await mkdtemp(join(tmpdir(), 'comptoir-bounces-'));
    t = await startTestRuntime({ mailDir });
  });
  afterAll(async () => {
    await t?.stop();
    await rm(mailDir, { recursive: true, force: true });
  });

  /** The subjects of the messages written for `to`. */
  const subjectsTo = async (to: string): Promise<string[]> => {
    const files = await readdir(mailDir).catch(() => [] as string[]);
    const raws = await Promise.all(files.map((f) => readFile(join(mailDir, f), 'utf8')));
    return raws
      .filter((raw) => raw.includes(`\r\nTo: ${to}\r\n`))
      .map((raw) => /\r\nSubject: (.*)\r\n/.exec(raw)![1]!.replace(/=\?UTF-8\?B\?([^?]+)\?=/g, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8')));
  };

  it('sends the first message, records the bounce or complaint, and sends nothing after it', async () => {
    // Arrange: three officers invited; the invitation is each one's first message.
    for (const email of [BOUNCES, COMPLAINS, DELIVERED]) {
      const invited = await t.call('POST', `/v1/partners/${t.keys.officer.partnerId}/people`, { key: t.keys.officer.key, body: { email, role: 'officer' } });
      expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    }
    await t.runtime.settle();
    for (const email of [BOUNCES, COMPLAINS, DELIVERED]) expect(await subjectsTo(email), email).toEqual(['Invitation à rejoindre Métropole du Grand Territoire sur Comptoir']);

    // Act: a licence request that every officer is told about.
    const dataset = (await t.call('POST', '/v1/datasets', { key: t.keys.public.key, body: { title: 'Lignes', description: 'Lignes', theme: 'mobility', classification: 'shared', format: 'csv', schema: { fields: [{ name: 'ligne', type: 'string' }] } } })).body.id;
    const offer = (await t.call('POST', '/v1/offers', { key: t.keys.public.key, body: { datasetId: dataset, template: 'territorial-restricted', audience: ['private'], approval: 'officer' } })).body.id;
    const request = await t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId: offer, purpose: 'etude-lignes' } });
    expect(request.body.state).toBe('pending_approval');
    await t.runtime.settle();

    // Assert
    expect(await subjectsTo(DELIVERED)).toContain('Une demande de licence attend votre approbation');
    expect(await subjectsTo(BOUNCES)).toHaveLength(1);
    expect(await subjectsTo(COMPLAINS)).toHaveLength(1);
  });

  it('shows the captured e-mails at /dev/mail, newest first, and one of them with its links clickable', async () => {
    // Arrange: a message to read (the previous test's, or this one).
    await t.call('POST', `/v1/partners/${t.keys.officer.partnerId}/people`, { key: t.keys.officer.key, body: { email: 'yves.perrin@grand-territoire.example', role: 'officer' } });
    await t.runtime.settle();

    // Act
    const list = await fetch(`${t.runtime.url}/dev/mail`);
    const html = await list.text();

    // Assert: the newest, Yves's invitation, comes first; every row has date, recipient and subject.
    expect(list.status).toBe(200);
    expect(list.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(list.headers.get('content-security-policy')).toContain("default-src 'none'");
    const rows = [...html.matchAll(/<tr><td><time datetime="([^"]+)">[^<]*<\/time><\/td><td>([^<]*)<\/td><td><a href="([^"]+)">([^<]*)<\/a><\/td><\/tr>/g)];
    expect(rows.length).toBe((await readdir(mailDir)).length);
    expect(rows[0]![2]).toBe('yves.perrin@grand-territoire.example');
    expect(rows[0]![4]).toBe('Invitation à rejoindre Métropole du Grand Territoire sur Comptoir');
    const dates = rows.map((r) => Date.parse(r[1]!));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));

    // Act: open it.
    const one = await fetch(`${t.runtime.url}${rows[0]![3]}`);
    const shown = await one.text();

    // Assert: its text part, with the console's address as a link.
    expect(one.status).toBe(200);
    expect(shown).toContain('<h1>Invitation à rejoindre Métropole du Grand Territoire sur Comptoir</h1>');
    expect(shown).toContain(`<a href="${t.runtime.url}/">${t.runtime.url}/</a>`);
  });

  it('reads nothing outside the mail folder, and is no route of the API (the cloud has no such page)', async () => {
    for (const path of ['/dev/mail/..%2Fsigning-key.pem', '/dev/mail/%2E%2E', '/dev/mail/unknown.eml']) {
      const res = await fetch(`${t.runtime.url}${path}`);
      expect(res.status, path).toBe(404);
    }
    expect(Object.values(routes).filter((r) => r.path.startsWith('/dev'))).toEqual([]);
  });
});
