import { createHash, createHmac, timingSafeEqual, type BinaryLike } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';

/** The only key pair local storage accepts (the local runtime's clients use it). */
export interface StorageCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** A refusal as S3 words it: status, error code and message. */
export class StorageRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The request parts a SigV4 check reads: path and query exactly as sent, headers lower-cased. */
export interface SignedRequestParts {
  readonly method: string;
  /** Path and query as they arrived (still percent-encoded). */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** What the front learnt from a valid signature: whether the body must still match a signed hash. */
export interface VerifiedRequest {
  /** Hex SHA-256 the body must have (header-signed requests that signed their payload), else undefined. */
  readonly payloadHash: string | undefined;
}

const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;
/** S3 refuses header-signed requests dated more than 15 minutes from its clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;
const UNVERIFIED_PAYLOADS = new Set(['UNSIGNED-PAYLOAD', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER']);
const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** The hash the signer needs: SHA-256, or HMAC-SHA-256 when given a secret. */
export class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
}

const bytes = (data: string | ArrayBuffer | ArrayBufferView): BinaryLike =>
  typeof data === 'string' ? data : data instanceof ArrayBuffer ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);

const denied = (message: string) => new StorageRefusal(403, 'AccessDenied', message);
const mismatch = () => new StorageRefusal(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');

/** Percent-decoding as SigV4 expects it (`+` is a literal plus, never a space). */
function parseQuery(search: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const [key, value] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
    query[decodeURIComponent(key)] = decodeURIComponent(value);
  }
  return query;
}

/** `20261207T064100Z` as a Date; invalid input gives an invalid Date. */
function parseAmzDate(value: string | undefined): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : new Date(Number.NaN);
}

function sameSignature(expected: string, provided: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(provided);
  return a.length === b.length && timingSafeEqual(a, b);
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/**
 * Verifies a request's SigV4 signature as S3 does, recomputing it with the SDK's own signer: header or
 * query (presigned) authentication, the one key pair, the credential scope, the signed headers, expiry.
 */
export class SigV4Verifier {
  constructor(
    private readonly credentials: StorageCredentials,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async verify(req: SignedRequestParts): Promise<VerifiedRequest> {
    const { pathname, search } = new URL(req.url, 'http://storage');
    const rawPath = req.url.split('?')[0] ?? pathname;
    const query = parseQuery(search);
    const authorization = headerValue(req.headers, 'authorization');
    if (authorization !== undefined && query['X-Amz-Algorithm'] !== undefined) throw new StorageRefusal(400, 'InvalidArgument', 'Only one auth mechanism allowed');
    if (authorization !== undefined) return this.verifyHeader(req, rawPath, query, authorization);
    if (query['X-Amz-Algorithm'] !== undefined) return this.verifyPresigned(req, rawPath, query);
    throw denied('Anonymous requests are not allowed: sign the request or use a presigned URL.');
  }

  private async verifyHeader(req: SignedRequestParts, path: string, query: Record<string, string>, authorization: string): Promise<VerifiedRequest> {
    const m = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(authorization);
    if (!m) throw new StorageRefusal(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed; only AWS4-HMAC-SHA256 is accepted.');
    const [, credential, signedHeaderList, provided] = m as unknown as [string, string, string, string];
    const scope = this.checkScope(credential);
    const date = parseAmzDate(headerValue(req.headers, 'x-amz-date'));
    if (Number.isNaN(date.getTime())) throw denied('The request has no valid x-amz-date header.');
    if (Math.abs(this.now().getTime() - date.getTime()) > MAX_SKEW_MS) throw new StorageRefusal(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
    const payload = headerValue(req.headers, 'x-amz-content-sha256');
    if (payload === undefined || (!UNVERIFIED_PAYLOADS.has(payload) && !HEX_SHA256.test(payload))) {
      throw new StorageRefusal(400, 'InvalidRequest', 'x-amz-content-sha256 must be a hex SHA-256, UNSIGNED-PAYLOAD or STREAMING-UNSIGNED-PAYLOAD-TRAILER.');
    }
    const signedHeaders = signedHeaderList.split(';');
    const signed = await this.signer(scope.region).sign(
      { method: req.method, protocol: 'http:', hostname: 'storage', path, query, headers: this.pick(req.headers, signedHeaders) },
      { signingDate: date, signableHeaders: new Set(signedHeaders) },
    );
    const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1] ?? '';
    // The signature covers the signed-header list, so a list edited after signing fails here too.
    if (!sameSignature(expected, provided)) throw mismatch();
    return { payloadHash: HEX_SHA256.test(payload) ? payload : undefined };
  }

  private async verifyPresigned(req: SignedRequestParts, path: string, query: Record<string, string>): Promise<VerifiedRequest> {
    const { 'X-Amz-Algorithm': algorithm, 'X-Amz-Credential': credential, 'X-Amz-Date': amzDate, 'X-Amz-Expires': expires, 'X-Amz-SignedHeaders': signedHeaderList, 'X-Amz-Signature': provided } = query;
    if (algorithm !== 'AWS4-HMAC-SHA256' || !credential || !amzDate || !expires || !signedHeaderList || !provided) {
      throw new StorageRefusal(400, 'AuthorizationQueryParametersError', 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
    }
    const scope = this.checkScope(credential);
    const date = parseAmzDate(amzDate);
    const seconds = Number(expires);
    if (Number.isNaN(date.getTime()) || !Number.isInteger(seconds) || seconds < 1 || seconds > MAX_PRESIGNED_SECONDS) {
      throw new StorageRefusal(400, 'AuthorizationQueryParametersError', 'X-Amz-Date or X-Amz-Expires is invalid (at most 604800 seconds).');
    }
    if (this.now().getTime() > date.getTime() + seconds * 1000) throw denied('Request has expired');
    const signedHeaders = signedHeaderList.split(';');
    const { 'X-Amz-Signature': _signature, 'X-Amz-Content-Sha256': payload, ...unsigned } = query;
    // Hoisted back into the query under the name the SDK's presigner gives it (query order is case-sensitive).
    const headers = { ...this.pick(req.headers, signedHeaders), 'X-Amz-Content-Sha256': payload ?? 'UNSIGNED-PAYLOAD' };
    const presigned = await this.signer(scope.region).presign(
      { method: req.method, protocol: 'http:', hostname: 'storage', path, query: unsigned, headers },
      { signingDate: date, expiresIn: seconds, unsignableHeaders: new Set(Object.keys(req.headers).filter((h) => !signedHeaders.includes(h))) },
    );
    const expected = String(presigned.query?.['X-Amz-Signature'] ?? '');
    if (!sameSignature(expected, provided)) throw mismatch();
    return { payloadHash: undefined };
  }

  /** `AKID/yyyymmdd/region/s3/aws4_request`, with the one key id this storage knows. */
  private checkScope(credential: string): { region: string } {
    const [accessKeyId, , region, service, terminator] = credential.split('/');
    if (accessKeyId !== this.credentials.accessKeyId) throw new StorageRefusal(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    if (!region || service !== 's3' || terminator !== 'aws4_request') throw new StorageRefusal(400, 'AuthorizationHeaderMalformed', 'The credential scope must be <key>/<date>/<region>/s3/aws4_request.');
    return { region };
  }

  private pick(headers: IncomingHttpHeaders, names: readonly string[]): Record<string, string> {
    const picked: Record<string, string> = {};
    for (const name of names) {
      const value = headerValue(headers, name);
      // A signed header the request does not carry drops out of the recomputed list, so the signatures differ.
      if (value !== undefined) picked[name] = value;
    }
    return picked;
  }

  private signer(region: string): SignatureV4 {
    return new SignatureV4({ credentials: this.credentials, region, service: 's3', sha256: NodeSha256, uriEscapePath: false, applyChecksum: false });
  }
}

/** The emulator echoes raw UTF-8 into some headers (a download name); Node refuses to send some of those characters again. */
const latin1 = (value: string) => value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '_');

function refuse(res: ServerResponse, refusal: StorageRefusal): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refusal.code}</Code><Message>${refusal.message.replace(/[<&>]/g, '')}</Message></Error>`;
  res.writeHead(refusal.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), connection: 'close' });
  res.end(body);
}

/** Reads a header-signed body whole and checks it against its signed hash (the SDK signs only in-memory bodies). */
async function checkedBody(req: IncomingMessage, payloadHash: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  if (createHash('sha256').update(body).digest('hex') !== payloadHash) throw new StorageRefusal(400, 'XAmzContentSHA256Mismatch', 'The provided x-amz-content-sha256 header does not match what was computed.');
  return body;
}

/** A PutObject with `If-None-Match: *`: S3 writes it only where no object exists (the emulator ignores the header). */
const isCreateOnly = (req: IncomingMessage) => req.method === 'PUT' && req.headers['if-none-match'] === '*' && !/[?&](uploadId|partNumber)=/.test(req.url ?? '');

/** Create-only writes to one key, one at a time: the existence check and the write cannot interleave with another. */
class ConditionalWrites {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly upstream: URL) {}

  /** Runs `write` when the key is free, or refuses it with 412 as S3 does; `write` calls `done` once answered. */
  once(url: string, write: (done: () => void) => void): Promise<void> {
    const key = url.split('?')[0] ?? url;
    const run = (this.tails.get(key) ?? Promise.resolve()).then(async () => {
      if (await this.exists(key)) throw new StorageRefusal(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
      await new Promise<void>((resolve) => write(resolve));
    });
    const tail = run.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => this.tails.get(key) === tail && this.tails.delete(key));
    return run;
  }

  private exists(path: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const head = request({ host: this.upstream.hostname, port: this.upstream.port, method: 'HEAD', path }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      head.on('error', reject);
      head.end();
    });
  }
}

/**
 * An HTTP front for the S3 emulator that checks every request's signature as S3 would (the emulator skips
 * SigV4 and serves anonymous requests), then forwards it untouched, streaming. CORS preflights pass unsigned, as on S3.
 */
export async function startVerifyingStorage(target: string, credentials: StorageCredentials, port = 0): Promise<{ endpoint: string; server: Server }> {
  const upstream = new URL(target);
  const verifier = new SigV4Verifier(credentials);
  const forward = (req: IncomingMessage, res: ServerResponse, body?: Buffer) => {
    const upstreamReq = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (upstreamRes) => {
      for (const [name, value] of Object.entries(upstreamRes.headers)) if (value !== undefined) res.setHeader(name, Array.isArray(value) ? value.map(latin1) : latin1(value));
      res.writeHead(upstreamRes.statusCode ?? 502);
      upstreamRes.pipe(res);
    });
    upstreamReq.on('error', () => res.destroy());
    res.on('close', () => upstreamReq.destroy());
    if (body) upstreamReq.end(body);
    else req.pipe(upstreamReq);
  };
  const conditional = new ConditionalWrites(upstream);
  const server = createServer((req, res) => {
    if (req.method === 'OPTIONS') return forward(req, res);
    verifier
      .verify({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers })
      .then(async ({ payloadHash }) => {
        const body = payloadHash ? await checkedBody(req, payloadHash) : undefined;
        if (!isCreateOnly(req)) return forward(req, res, body);
        return conditional.once(req.url ?? '/', (done) => {
          res.on('close', done);
          forward(req, res, body);
        });
      })
      .catch((error: unknown) => {
        if (!(error instanceof StorageRefusal)) return res.destroy(error as Error);
        // The body is not read: the connection closes after the answer, as S3 does on an early refusal.
        refuse(res, error);
      });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
