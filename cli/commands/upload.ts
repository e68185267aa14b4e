import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DatasetVersion } from '../../schemas/index.ts';
import { ApiError, type ComptoirClient } from '../../sdk/client.ts';
import { arg, booleanFlag, intFlag, type CommandInput, type CommandSpec, type Context } from '../command.ts';
import { UsageError, VerificationError } from '../errors.ts';
import { fields, formatBytes } from '../output.ts';
import { Progress } from '../progress.ts';
import { sha256File } from '../upload/hash.ts';
import { Interruption, InterruptedError, shellWord } from '../upload/interrupt.ts';
import { missingParts, UploadGoneError, uploadMissingParts } from '../upload/multipart.ts';
import { putRange } from '../upload/put.ts';
import { deleteState, readState, StateFile, stateDirectory, statePath, type FileIdentity, type UploadState } from '../upload/state.ts';
import { waitForVersion } from '../upload/wait.ts';

const DEFAULT_CONCURRENCY = 3;
const DEFAULT_TIMEOUT_MINUTES = 30;
const HASH_PROGRESS_FROM = 16 * 1024 * 1024;

interface Delivered {
  readonly version: number;
  readonly sha256: string;
  readonly mode: 'single' | 'multipart';
  readonly partCount: number;
  /** Parts found already uploaded when resuming. */
  readonly resumedParts: number;
  /** The version left `uploading` because storage lost its multipart upload. */
  readonly abandonedVersion?: number;
}

/** The recorded upload of this file if its version still waits for bytes; otherwise the record is dropped. */
async function resumable(ctx: Context, client: ComptoirClient, path: string): Promise<UploadState | undefined> {
  const recorded = await readState(path);
  if (!recorded) return undefined;
  let why: string;
  if (recorded.apiUrl !== ctx.config.url) {
    why = `was made on ${recorded.apiUrl}`;
  } else {
    try {
      const status = (await client.call('getVersion', { params: { id: recorded.datasetId, n: recorded.version } })).status;
      if (status === 'uploading') return recorded;
      why = `is now ${status}`;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
      why = 'no longer exists';
    }
  }
  ctx.out.note(`The upload recorded for this file (version ${recorded.version}) ${why}: starting afresh.`);
  await deleteState(path);
  return undefined;
}

/** Computes the file's SHA-256 once, with a progress line for large files. */
function checksumOf(ctx: Context, id: FileIdentity, signal: AbortSignal, known?: string): () => Promise<string> {
  let sha256: Promise<string> | undefined = known === undefined ? undefined : Promise.resolve(known);
  return () => {
    if (sha256) return sha256;
    // Hashing a small file is instant: a progress line would be noise.
    const hashing = id.size >= HASH_PROGRESS_FROM ? new Progress(ctx.out.streams.stderr, 'checksum', id.size) : undefined;
    sha256 = hashing ? runWith(hashing, () => sha256File(id.file, (n) => hashing.advance(n), signal)) : sha256File(id.file, undefined, signal);
    return sha256;
  };
}

/**
 * Resumes the recorded upload of the file, or starts a new version. When storage has lost a
 * multipart upload (lifecycle rule, or aborted elsewhere) the record is dropped and the file is
 * delivered again, once, as a new version.
 */
async function deliver(ctx: Context, client: ComptoirClient, id: FileIdentity, concurrency: number, signal: AbortSignal): Promise<Delivered> {
  const path = statePath(stateDirectory(ctx.env), id);
  const recorded = await resumable(ctx, client, path);
  // The record was made for this very file (same size and modification time): its checksum holds.
  const checksum = checksumOf(ctx, id, signal, recorded?.sha256);
  // A lost upload's record can never be resumed: drop it whatever happens next.
  const forgettingLost = async (work: () => Promise<Delivered>) => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof UploadGoneError) await deleteState(path);
      throw error;
    }
  };
  try {
    return await forgettingLost(() => (recorded ? resume(ctx, client, id, concurrency, path, recorded, signal) : start(ctx, client, id, concurrency, path, checksum, signal)));
  } catch (error) {
    if (!(error instanceof UploadGoneError)) throw error;
    ctx.out.note(
      `Storage no longer holds the multipart upload of version ${error.version} (the bucket's lifecycle rule aborts incomplete uploads, or it was completed or aborted elsewhere): uploading the file again as a new version; version ${error.version} stays uploading.`,
    );
    return { ...(await forgettingLost(() => start(ctx, client, id, concurrency, path, checksum, signal))), abandonedVersion: error.version };
  }
}

async function resume(ctx: Context, client: ComptoirClient, id: FileIdentity, concurrency: number, path: string, recorded: UploadState, signal: AbortSignal): Promise<Delivered> {
  const state = new StateFile(path, recorded);
  const done = recorded.partCount - missingParts(recorded.etags, recorded.partCount).length;
  ctx.out.note(`Resuming version ${recorded.version} of ${id.datasetId}: ${done} of ${recorded.partCount} parts already uploaded.`);
  const already = Object.keys(recorded.etags).reduce((sum, n) => sum + Math.max(0, Math.min(id.size, Number(n) * recorded.partSize) - (Number(n) - 1) * recorded.partSize), 0);
  const progress = new Progress(ctx.out.streams.stderr, 'upload', id.size, already);
  const parts = await runWith(progress, () => uploadMissingParts({ client, file: id.file, state, concurrency, progress, signal }));
  await completeParts(client, { id: id.datasetId, n: recorded.version }, parts, path);
  return { version: recorded.version, sha256: recorded.sha256, mode: 'multipart', partCount: recorded.partCount, resumedParts: done };
}

async function start(ctx: Context, client: ComptoirClient, id: FileIdentity, concurrency: number, path: string, checksum: () => Promise<string>, signal: AbortSignal): Promise<Delivered> {
  const sha256 = await checksum();
  const created = await client.call('createVersion', { params: { id: id.datasetId }, body: { bytes: id.size, sha256 } });
  const n = created.version.version;
  const upload = created.upload;
  const progress = new Progress(ctx.out.streams.stderr, 'upload', id.size);

  if ('method' in upload) {
    await runWith(progress, () => putRange(upload.url, id.file, { start: 0, end: id.size }, upload.headers, (b) => progress.advance(b), signal));
    await client.call('completeUpload', { params: { id: id.datasetId, n }, body: {} });
    return { version: n, sha256, mode: 'single', partCount: 1, resumedParts: 0 };
  }

  const state = new StateFile(path, {
    ...id,
    apiUrl: ctx.config.url,
    version: n,
    uploadId: upload.uploadId,
    partSize: upload.partSize,
    partCount: upload.partCount,
    sha256,
    etags: {},
    startedAt: new Date().toISOString(),
  });
  await state.save();
  const urls = new Map(upload.parts.map((p) => [p.partNumber, p.url] as const));
  const parts = await runWith(progress, () => uploadMissingParts({ client, file: id.file, state, urls, concurrency, progress, signal }));
  await completeParts(client, { id: id.datasetId, n }, parts, path);
  return { version: n, sha256, mode: 'multipart', partCount: upload.partCount, resumedParts: 0 };
}

/**
 * Completes a multipart upload and forgets its record. When the platform refuses the completion
 * (409/422) the record cannot lead anywhere either: it is dropped, so the next run starts afresh.
 */
async function completeParts(client: ComptoirClient, params: { id: string; n: number }, parts: { partNumber: number; etag: string }[], path: string): Promise<void> {
  try {
    await client.call('completeUpload', { params, body: { parts } });
  } catch (error) {
    if (error instanceof ApiError && (error.status === 409 || error.status === 422)) {
      await deleteState(path);
      // The platform passes on storage's NoSuchUpload when the upload was aborted after the last part.
      if (error.message.includes('NoSuchUpload')) throw new UploadGoneError(params.n);
    }
    throw error;
  }
  await deleteState(path);
}

/** Finishes the bar on success, ends its line on failure. */
async function runWith<T>(progress: Progress, work: () => Promise<T>): Promise<T> {
  try {
    const result = await work();
    progress.finish();
    return result;
  } catch (error) {
    progress.abort();
    throw error;
  }
}

/** The command that picks this upload up again, from any directory (the key given with --key is not repeated on screen). */
function resumeCommand(input: CommandInput, datasetId: string, file: string): string {
  const words = ['comptoir', 'upload', datasetId, file].map(shellWord);
  for (const [name, value] of Object.entries(input.flags)) {
    if (value === undefined || value === false) continue;
    if (name === 'key') words.push('--key', '<key>');
    else words.push(`--${name}`, ...(value === true ? [] : [value].flat().map(shellWord)));
  }
  return words.join(' ');
}

/** What a stopped upload tells its user: the command that resumes it, or follows the version it delivered. */
async function interrupted(ctx: Context, input: CommandInput, id: FileIdentity, delivered: Delivered | undefined): Promise<InterruptedError> {
  if (delivered) {
    const n = delivered.version;
    return new InterruptedError(`interrupted; version ${n} is uploaded and the platform is validating it: follow it with comptoir versions status ${id.datasetId} ${n}`, { version: n });
  }
  const command = resumeCommand(input, id.datasetId, id.file);
  const recorded = await readState(statePath(stateDirectory(ctx.env), id));
  if (!recorded) return new InterruptedError(`interrupted before any part was recorded; upload the file again with: ${command}`, { command });
  const uploaded = recorded.partCount - missingParts(recorded.etags, recorded.partCount).length;
  return new InterruptedError(`interrupted with ${uploaded} of ${recorded.partCount} parts of version ${recorded.version} uploaded and recorded; resume with: ${command}`, {
    command,
    version: recorded.version,
    uploadedParts: uploaded,
    partCount: recorded.partCount,
  });
}

/** Published with the local checksum, or a verification failure naming why. */
function verify(version: DatasetVersion, sha256: string): void {
  if (version.status === 'published') {
    if (version.sha256 !== sha256) {
      throw new VerificationError(`version ${version.version} was published with SHA-256 ${version.sha256}, but the local file's is ${sha256}`, 'checksum_mismatch', { version });
    }
    return;
  }
  const issues = (version.quality?.errors ?? []).slice(0, 5).map((e) => `row ${e.row}${e.field ? ` ${e.field}` : ''}: ${e.reason}`);
  const more = version.quality && version.quality.errorCount > issues.length ? `; ${version.quality.errorCount - issues.length} more` : '';
  throw new VerificationError(
    // A failed version's reason says to upload again: the platform gave it up, the file may be fine.
    `version ${version.version} ${version.status === 'failed' ? 'failed' : `was ${version.status}`}${version.reason ? `: ${version.reason}` : ''}${issues.length ? ` — ${issues.join('; ')}${more}` : ''}`,
    `version_${version.status}`,
    { version },
  );
}

/** Prints the delivered upload, once the platform published it unless --no-wait. */
async function finish(ctx: Context, input: CommandInput, client: ComptoirClient, id: FileIdentity, delivered: Delivered, timeoutMinutes: number, signal: AbortSignal): Promise<void> {
  const { datasetId, file, size } = id;
  const summary = {
    file,
    datasetId,
    bytes: size,
    sha256: delivered.sha256,
    mode: delivered.mode,
    partCount: delivered.partCount,
    resumedParts: delivered.resumedParts,
    ...(delivered.abandonedVersion !== undefined ? { abandonedVersion: delivered.abandonedVersion } : {}),
  };

  if (booleanFlag(input, 'no-wait')) {
    const version = await client.call('getVersion', { params: { id: datasetId, n: delivered.version } });
    ctx.out.result({ ...summary, version }, () => [
      `Uploaded ${formatBytes(size)} as version ${delivered.version} of ${datasetId}; the platform is validating it (${version.status}).`,
      `Follow it with: comptoir versions status ${datasetId} ${delivered.version}`,
    ]);
    return;
  }
  ctx.out.note(`Uploaded version ${delivered.version}; waiting for the platform to validate it…`);
  const version = await waitForVersion(client, datasetId, delivered.version, { timeoutMs: timeoutMinutes * 60_000, signal });
  verify(version, delivered.sha256);
  ctx.out.result({ ...summary, verified: true, version }, () => [
    `Version ${version.version} of ${datasetId} is published.`,
    ...fields([
      ['bytes', version.bytes],
      ['rows', version.rows],
      ['sha256', `${version.sha256} (matches the local file)`],
      ['open data', version.open ? 'yes' : version.openFrom ? `from ${version.openFrom}` : 'no'],
    ]),
  ]);
}

export const upload: CommandSpec = {
  name: 'upload',
  summary: 'Upload a file as a new version, resumably, and wait for its publication',
  description: [
    'The file is read once to compute its SHA-256, then streamed to storage: one presigned PUT up to 64 MiB,',
    'a multipart upload above, a few parts at a time. Each part uploaded is recorded in a state file',
    '($COMPTOIR_STATE_DIR, else $XDG_STATE_HOME/comptoir/uploads); running the same command again after an',
    'interruption resumes with the missing parts only. Unless --no-wait, waits until the platform publishes or',
    'rejects the version and checks the published SHA-256 against the local one (exit code 7 if they differ',
    'or the version is rejected, or failed: then run the command again to upload the file as a new version),',
    'for at most --timeout minutes (then exit code 8: the file is delivered, follow the version with',
    'comptoir versions status). If storage has lost a multipart upload being resumed (the',
    "bucket's lifecycle rule aborts incomplete uploads), the file is uploaded again as a new version.",
  ].join('\n'),
  args: [
    { name: 'datasetId', required: true, description: 'the dataset the version belongs to' },
    { name: 'file', required: true, description: 'the file to upload' },
  ],
  options: {
    'no-wait': { type: 'boolean', description: 'return once the upload is complete, without waiting for validation' },
    concurrency: { type: 'string', value: 'n', description: `parts in flight at once, 2 to 4 (default ${DEFAULT_CONCURRENCY})` },
    timeout: { type: 'string', value: 'minutes', description: `how long to wait for publication (default ${DEFAULT_TIMEOUT_MINUTES}); exit code 8 when it runs out` },
  },
  examples: ['comptoir upload ds_01J… releves-2026-11.csv', 'comptoir upload ds_01J… reseau.zip --no-wait --json'],
  async run(ctx, input) {
    const datasetId = arg(input, 'datasetId');
    const file = resolve(arg(input, 'file'));
    const concurrency = intFlag(input, 'concurrency', { min: 2, max: 4 }) ?? DEFAULT_CONCURRENCY;
    const timeoutMinutes = intFlag(input, 'timeout', { min: 1, max: 7 * 24 * 60 }) ?? DEFAULT_TIMEOUT_MINUTES;
    const info = await stat(file);
    if (!info.isFile()) throw new UsageError(`${file} is not a file`);
    if (info.size === 0) throw new UsageError(`${file} is empty`);
    const client = ctx.client();
    const id = { datasetId, file, size: info.size, mtimeMs: info.mtimeMs };
    const interruption = new Interruption();
    let delivered: Delivered | undefined;
    try {
      delivered = await deliver(ctx, client, id, concurrency, interruption.signal);
      await finish(ctx, input, client, id, delivered, timeoutMinutes, interruption.signal);
    } catch (error) {
      if (interruption.signal.aborted) throw await interrupted(ctx, input, id, delivered);
      throw error;
    } finally {
      interruption.dispose();
    }
  },
};
