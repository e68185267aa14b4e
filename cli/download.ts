import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { CliError, EXIT } from './errors.ts';
import type { Progress } from './progress.ts';

export interface Downloaded {
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * Streams a URL's bytes into `file` (through `file.part`, renamed at the end), hashing them on the
 * way; nothing is held in memory.
 */
export async function downloadTo(url: string, file: string, progress: (total: number | undefined) => Progress): Promise<Downloaded> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new CliError(`cannot reach storage: ${(error as Error).message}`, 'storage_unreachable', EXIT.unreachable);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw new CliError(`storage answered ${response.status} to the download`, 'storage_refused', response.status === 403 ? EXIT.auth : response.status === 404 ? EXIT.notFound : EXIT.unexpected);
  }
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  const bar = progress(Number.isFinite(length) ? length : undefined);
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      bar.advance(chunk.length);
      callback(null, chunk);
    },
  });
  const partial = `${file}.part`;
  try {
    await pipeline(Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>), tap, createWriteStream(partial, { mode: 0o600 }));
    await rename(partial, file);
  } catch (error) {
    bar.abort();
    await rm(partial, { force: true });
    throw error;
  }
  bar.finish();
  return { file, bytes, sha256: hash.digest('hex') };
}
