import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StorageProxy {
  /** The S3 endpoint to give the runtime: presigned URLs then point here too. */
  readonly endpoint: string;
  /** Upload ids aborted through the proxy. */
  readonly aborted: Set<string>;
  /** Answers 500 InternalError to the requests it matches (the runtime's SDK retries, then gives up). */
  failWhen?: ((method: string, url: URL) => boolean) | undefined;
  close(): Promise<void>;
}

function answer(res: ServerResponse, status: number, code?: string, message?: string): void {
  res.writeHead(status, code ? { 'content-type': 'application/xml' } : {});
  res.end(code ? `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>` : undefined);
}

/**
 * An HTTP proxy in front of the S3 emulator that adds what s3rver 3.7 lacks: AbortMultipartUpload
 * (it answers 405 and keeps accepting parts), after which parts and completion get 404 NoSuchUpload
 * as on S3. Everything else is forwarded untouched, Host header included, so signatures still hold.
 */
export async function startStorageProxy(target: string): Promise<StorageProxy> {
  const upstream = new URL(target);
  const aborted = new Set<string>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const uploadId = url.searchParams.get('uploadId');
    const refuse = (status: number, code?: string, message?: string) => {
      req.resume();
      req.on('end', () => answer(res, status, code, message));
    };
    if (req.method === 'DELETE' && uploadId) {
      aborted.add(uploadId);
      return refuse(204);
    }
    if (uploadId && aborted.has(uploadId)) {
      return refuse(404, 'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.');
    }
    if (proxy.failWhen?.(req.method ?? 'GET', url)) return refuse(500, 'InternalError', 'We encountered an internal error. Please try again.');
    const forwarded = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (upstreamRes) => {
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
      upstreamRes.pipe(res);
    });
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy: StorageProxy = {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    aborted,
    failWhen: undefined,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return proxy;
}
