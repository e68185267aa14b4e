import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { CERTIFICATION_DIRIGEANT, type DemoPerson } from './demo-people.ts';

/** A real OpenID provider on a local port, for `npm start` and the tests: the whole sign-in flow, not a stub. */
export interface LocalOpenIdProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Registers Comptoir as the one client, once its address is known; the provider answers from then on. */
  register(comptoirUrl: string): void;
  close(): Promise<void>;
}

const SCOPES = ['openid', 'email', 'given_name', 'usual_name', 'siret'];
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function loginPage(uid: string, people: readonly DemoPerson[]): string {
  const buttons = people
    .map((p) => `<li><button type="submit" name="accountId" value="${escape(p.accountId)}">${escape(`${p.givenName} ${p.usualName}`)}</button> <small>${escape(p.email)}</small></li>`)
    .join('');
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Fournisseur d'identité local</title></head><body>
<h1>Fournisseur d'identité local (démonstration)</h1><p>Choisissez la personne qui se connecte. Aucun mot de passe : ce fournisseur ne sert qu'en local.</p>
<form method="post" action="/interaction/${escape(uid)}/login"><ul>${buttons}</ul></form></body></html>`;
}

/** The first level the sign-in asks for that the person holds, else `eidas1`: a person without it answers weaker, as at ProConnect. */
function acrFor(person: DemoPerson, params: Record<string, unknown>): string {
  const asked = typeof params.acr_values === 'string' ? params.acr_values.split(' ') : [];
  return asked.find((acr) => person.acr?.includes(acr)) ?? 'eidas1';
}

/** Starts listening at once (the issuer is needed before Comptoir starts); answers once {@link LocalOpenIdProvider.register} ran. */
export async function startLocalOpenIdProvider(options: { people: readonly DemoPerson[]; port?: number; log?: (line: string) => void }): Promise<LocalOpenIdProvider> {
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server: Server = createServer((req, res) => {
    if (handle) return handle(req, res);
    res.writeHead(503, { 'content-type': 'text/plain' }).end('the local provider is starting');
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'comptoir-local';
  const clientSecret = randomBytes(24).toString('base64url');
  const accounts = new Map(options.people.map((p) => [p.accountId, p]));

  const register = (comptoirUrl: string) => {
    const signingKey = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' };
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: clientId,
          client_secret: clientSecret,
          redirect_uris: [`${comptoirUrl}/auth/callback`],
          post_logout_redirect_uris: [`${comptoirUrl}/`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_post',
        },
      ],
      jwks: { keys: [signingKey] },
      cookies: { keys: [randomBytes(32).toString('base64url')] },
      pkce: { required: () => true },
      scopes: SCOPES,
      // ProConnect's way: each claim is asked for by a scope of its name.
      claims: { openid: ['sub'], email: ['email', 'email_verified'], given_name: ['given_name'], usual_name: ['usual_name'], siret: ['siret'] },
      acrValues: ['eidas1', 'eidas2', 'eidas3', CERTIFICATION_DIRIGEANT],
      features: {
        devInteractions: { enabled: false },
        claimsParameter: { enabled: true },
        rpInitiatedLogout: {
          enabled: true,
          logoutSource: async (ctx: { body: string }, form: string) => {
            ctx.body = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Déconnexion</title></head><body><h1>Se déconnecter du fournisseur local ?</h1>${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Se déconnecter</button></body></html>`;
          },
        },
      },
      // Short lives, as a real provider's: these are the defaults' orders of magnitude, stated.
      ttl: { Interaction: 600, Session: 8 * 3600, Grant: 8 * 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
      findAccount: async (_ctx: unknown, id: string) => {
        const person = accounts.get(id);
        if (!person) return undefined;
        return {
          accountId: id,
          claims: async () => ({ sub: id, email: person.email, email_verified: true, given_name: person.givenName, usual_name: person.usualName, ...(person.siret ? { siret: person.siret } : {}) }),
        };
      },
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
      // A first-party client: consent is given once for every scope it may ask.
      loadExistingGrant: async (ctx: any) => {
        const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
        if (grantId) return ctx.oidc.provider.Grant.find(grantId);
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
        grant.addOIDCScope(SCOPES.join(' '));
        grant.addOIDCClaims(['acr']);
        await grant.save();
        return grant;
      },
    });
    provider.on('server_error', (_ctx, error) => options.log?.(`local OpenID provider: ${String(error)}`));
    const callback = provider.callback();
    handle = (req, res) => {
      const url = new URL(req.url ?? '/', issuer);
      const match = url.pathname.match(/^\/interaction\/([\w-]+)(\/login)?$/);
      if (!match) return callback(req, res);
      void (async () => {
        const details = await provider.interactionDetails(req, res);
        if (req.method === 'POST' && match[2]) {
          const accountId = (await formOf(req)).get('accountId') ?? '';
          if (!accounts.has(accountId)) return void res.writeHead(400, { 'content-type': 'text/plain' }).end('unknown person');
          return provider.interactionFinished(req, res, { login: { accountId, acr: acrFor(accounts.get(accountId)!, details.params) } }, { mergeWithLastSubmission: false });
        }
        if (details.prompt.name !== 'login') return provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(details.uid, options.people));
      })().catch((error: unknown) => {
        options.log?.(`local OpenID provider interaction: ${String(error)}`);
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' }).end(String((error as Error).message ?? error));
      });
    };
  };

  return {
    issuer,
    clientId,
    clientSecret,
    register,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
