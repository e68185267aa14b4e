import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardedWebhookTransport } from '../../functions/adapters/net/webhook-client.ts';
import { forbiddenAddress } from '../../functions/domain/feeds/webhook-url.ts';

describe('guarded webhook transport', () => {
  let server: Server;
  let port: number;
  const bodies: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks).toString());
        if (req.url === '/slow') return void setTimeout(() => res.writeHead(200).end(), 500);
        if (req.url === '/moved') return void res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
        res.writeHead(req.url === '/fail' ? 503 : 204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const local = new GuardedWebhookTransport((a) => forbiddenAddress(a, true));
  const cloud = new GuardedWebhookTransport((a) => forbiddenAddress(a, false));

  it('posts the body and reports the status and latency', async () => {
    const r = await local.post(`http://localhost:${port}/ok`, { 'content-type': 'application/json' }, '{"a":1}', 2_000);
    expect(r).toMatchObject({ statusCode: 204 });
    expect(bodies.at(-1)).toBe('{"a":1}');
    expect((await local.post(`http://localhost:${port}/fail`, {}, '{}', 2_000)) as { statusCode: number }).toMatchObject({ statusCode: 503 });
  });

  it('refuses to connect when the name resolves to a forbidden address at connection time', async () => {
    const before = bodies.length;
    const r = await cloud.post(`http://localhost:${port}/ok`, {}, '{}', 2_000);
    expect(r).toMatchObject({ error: expect.stringContaining('refused to connect to localhost') });
    expect(bodies).toHaveLength(before);
  });

  it('does not follow redirects', async () => {
    expect(await local.post(`http://localhost:${port}/moved`, {}, '{}', 2_000)).toMatchObject({ statusCode: 302 });
  });

  it('gives up after the timeout', async () => {
    const r = await local.post(`http://localhost:${port}/slow`, {}, '{}', 100);
    expect(r).toMatchObject({ error: 'timed out after 100 ms' });
    expect(r.latencyMs).toBeLessThan(450);
  });

  it('reports a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const free = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await local.post(`http://localhost:${free}/`, {}, '{}', 1_000)).toMatchObject({ error: 'ECONNREFUSED' });
  });
});
