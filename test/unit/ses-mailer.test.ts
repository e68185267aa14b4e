import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesMailer } from '../../functions/adapters/mail/ses-mailer.ts';
import { DependencyError } from '../../functions/domain/errors.ts';

/** The SES adapter with the real SDK client against a local endpoint that records requests and answers as told. */
describe('SesMailer', () => {
  let server: Server;
  let endpoint: string;
  const seen: { path: string; body: any }[] = [];
  let answer: { status: number; body: object; headers?: Record<string, string> } = { status: 200, body: { MessageId: 'm-1' } };

  const bodyOf = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      void bodyOf(req).then((body) => {
        seen.push({ path: req.url ?? '', body });
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const mailer = () =>
    new SesMailer(new SESv2Client({ endpoint, region: 'eu-west-3', maxAttempts: 1, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }), 'Comptoir <ne-pas-repondre@donnees.example.fr>');
  const message = { to: 'camille.martin@grand-territoire.example', subject: 'Une demande de licence attend votre approbation', text: 'Bonjour,\n\nÀ examiner.', messageId: 'evt-1.psn-1@comptoir' };

  it('sends one plain-text UTF-8 message from the configured sender to the one person', async () => {
    // Act
    await mailer().send(message);

    // Assert
    expect(seen.at(-1)!.path).toBe('/v2/email/outbound-emails');
    expect(seen.at(-1)!.body).toEqual({
      FromEmailAddress: 'Comptoir <ne-pas-repondre@donnees.example.fr>',
      Destination: { ToAddresses: ['camille.martin@grand-territoire.example'] },
      Content: { Simple: { Subject: { Data: message.subject, Charset: 'UTF-8' }, Body: { Text: { Data: message.text, Charset: 'UTF-8' } } } },
    });
  });

  it('turns a refusal of SES into the domain error for an unavailable dependency, keeping the cause', async () => {
    // Arrange
    answer = { status: 400, body: { message: 'Sending paused for this account' }, headers: { 'x-amzn-errortype': 'SendingPausedException' } };

    // Act
    const error = await mailer().send(message).catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(DependencyError);
    expect((error as Error).message).toContain('SendingPausedException');
    expect(((error as Error).cause as Error).name).toBe('SendingPausedException');
  });
});
