import { arg, stringFlag, type CommandSpec } from '../command.ts';
import { CliError, EXIT } from '../errors.ts';
import { fields, table } from '../output.ts';

export const subscribe: CommandSpec = {
  name: 'subscribe',
  summary: 'Have a webhook called for each new version of a dataset you hold a licence on',
  description:
    'Uses your active licence on the dataset (or --licence). Deliveries are signed as Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); the signing secret (whsec_…) is printed once, now: store it. In this command --url is the webhook; give the platform URL with --api-url, COMPTOIR_URL or comptoir login.',
  args: [{ name: 'datasetId', required: true, description: 'the licensed dataset' }],
  options: {
    url: { type: 'string', value: 'webhook', description: 'the https URL to notify (required)' },
    licence: { type: 'string', value: 'id', description: 'the licence to subscribe under (default: your active licence on the dataset)' },
  },
  examples: ['comptoir subscribe ds_01J… --url https://hooks.example.fr/comptoir'],
  async run(ctx, input) {
    const datasetId = arg(input, 'datasetId');
    const webhook = stringFlag(input, 'url');
    if (!webhook) throw new CliError('missing --url <webhook>', 'usage', EXIT.usage);
    const client = ctx.client();
    let licenceId = stringFlag(input, 'licence');
    if (!licenceId) {
      const me = await client.call('me');
      const active = (await client.all('listLicences', { query: { state: 'active' } })).filter((l) => l.datasetId === datasetId && l.licensee.id === me.partner.id);
      const newest = active.sort((a, b) => (b.activatedAt ?? b.createdAt).localeCompare(a.activatedAt ?? a.createdAt))[0];
      if (!newest) throw new CliError(`you hold no active licence on dataset ${datasetId}: request and sign one first`, 'no_active_licence', EXIT.notFound);
      licenceId = newest.id;
    }
    const created = await client.call('createSubscription', { body: { licenceId, webhook: { url: webhook } } });
    const s = created.subscription;
    ctx.out.result(created, () => [
      ...fields([
        ['subscription', s.id],
        ['dataset', s.datasetId],
        ['licence', s.licenceId],
        ['webhook', s.webhook.url],
        ['status', s.status],
      ]),
      '',
      `Signing secret: ${created.secret}`,
      'This secret is shown only now: store it to verify each delivery with a Standard Webhooks library (npm or pip standardwebhooks).',
    ]);
  },
};

export const subscriptionsList: CommandSpec = {
  name: 'subscriptions list',
  summary: 'Your webhook subscriptions',
  options: {},
  examples: ['comptoir subscriptions list', 'comptoir subscriptions list --json'],
  async run(ctx) {
    const { items } = await ctx.client().call('listSubscriptions');
    ctx.out.result({ items }, () =>
      items.length === 0
        ? 'No subscription.'
        : table(['ID', 'STATUS', 'DATASET', 'LICENCE', 'WEBHOOK'], items.map((s) => [s.id, s.status + (s.statusReason ? ` (${s.statusReason})` : ''), s.datasetId, s.licenceId, s.webhook.url])),
    );
  },
};
