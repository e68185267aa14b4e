import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** A PUT to storage that did not answer 2xx (or could not be sent). */
export class TransferError extends Error {
  override readonly name = 'TransferError';
  constructor(
    message: string,
    /** 0 when storage could not be reached. */
    readonly status: number,
    /** The `<Code>` of storage's XML error body, when it gave one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface ByteRange {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

/** A byte range of a file as a web stream, reporting each chunk to `onBytes`. */
function rangeStream(path: string, range: ByteRange, onBytes: (n: number) => void): WebReadableStream<Uint8Array> {
  const source = Readable.toWeb(createReadStream(path, { start: range.start, end: range.end - 1, highWaterMark: 256 * 1024 })) as WebReadableStream<Uint8Array>;
  return source.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        onBytes(chunk.byteLength);
        controller.enqueue(chunk);
      },
    }) as unknown as import('node:stream/web').TransformStream<Uint8Array, Uint8Array>,
  );
}

/**
 * Streams `range` of the file to a presigned URL with PUT and answers the ETag. The body is never
 * held in memory; `content-length` is set so storage does not need chunked encoding. When `signal`
 * aborts, the PUT is dropped and its reason thrown.
 */
export async function putRange(url: string, path: string, range: ByteRange, headers: Record<string, string>, onBytes: (n: number) => void, signal?: AbortSignal): Promise<string> {
  let response: Response;
  try {
    const init = {
      method: 'PUT',
      headers: { ...headers, 'content-length': String(range.end - range.start) },
      body: rangeStream(path, range, onBytes),
      duplex: 'half',
      ...(signal ? { signal } : {}),
    };
    response = await fetch(url, init as unknown as RequestInit);
  } catch (error) {
    signal?.throwIfAborted();
    throw new TransferError(`cannot reach storage: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`, 0);
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
    throw new TransferError(`storage answered ${response.status}${code ? ` ${code}` : ''}`, response.status, code);
  }
  return response.headers.get('etag') ?? '';
}
