import { createHash } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { readIfPresent, writePrivateFile } from '../private-file.ts';

/**
 * What a multipart upload has done so far, kept on disk: the S3 emulator cannot list the parts of
 * an upload, so the ETags recorded here are the only memory of them.
 */
export interface UploadState {
  readonly datasetId: string;
  /** Absolute path, size and modification time identify the file. */
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly apiUrl: string;
  readonly version: number;
  readonly uploadId: string;
  readonly partSize: number;
  readonly partCount: number;
  readonly sha256: string;
  /** ETag of each part uploaded, by part number. */
  readonly etags: Record<string, string>;
  readonly startedAt: string;
}

export interface FileIdentity {
  readonly datasetId: string;
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** `$COMPTOIR_STATE_DIR`, else `$XDG_STATE_HOME/comptoir/uploads`, else `~/.local/state/comptoir/uploads`. */
export function stateDirectory(env: NodeJS.ProcessEnv): string {
  if (env.COMPTOIR_STATE_DIR) return env.COMPTOIR_STATE_DIR;
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(base, 'comptoir', 'uploads');
}

/** One file per (dataset, absolute path, size, mtime). */
export function statePath(directory: string, id: FileIdentity): string {
  const digest = createHash('sha256').update(JSON.stringify([id.datasetId, id.file, id.size, id.mtimeMs])).digest('hex').slice(0, 32);
  return join(directory, `${digest}.json`);
}

export async function readState(path: string): Promise<UploadState | undefined> {
  await removeOrphanedWrites(path);
  const text = await readIfPresent(path);
  if (text === undefined) return undefined;
  try {
    const state = JSON.parse(text) as UploadState;
    return typeof state.version === 'number' && typeof state.uploadId === 'string' && state.etags && typeof state.etags === 'object' ? state : undefined;
  } catch {
    // A state file that does not parse cannot be resumed from: the upload starts afresh.
    return undefined;
  }
}

export async function deleteState(path: string): Promise<void> {
  await rm(path, { force: true });
  await removeOrphanedWrites(path);
}

/** A process killed while writing the state leaves `<state>.<pid>.tmp`: once that pid is gone, nobody will finish it. */
async function removeOrphanedWrites(path: string): Promise<void> {
  const prefix = `${basename(path)}.`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  for (const name of names) {
    const pid = name.startsWith(prefix) && name.endsWith('.tmp') ? Number(name.slice(prefix.length, -'.tmp'.length)) : NaN;
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) await rm(join(dirname(path), name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Writes the state file atomically, one write at a time, so a kill at any moment leaves either the
 * previous record or the new one.
 */
export class StateFile {
  private queue: Promise<void> = Promise.resolve();
  private etags: Record<string, string>;

  constructor(
    readonly path: string,
    private state: UploadState,
  ) {
    this.etags = { ...state.etags };
  }

  get current(): UploadState {
    return { ...this.state, etags: { ...this.etags } };
  }

  /** Writes the state as it is (creating the folder). */
  save(): Promise<void> {
    return this.enqueue();
  }

  /** Records a part's ETag; resolves once it is on disk. */
  recordPart(partNumber: number, etag: string): Promise<void> {
    this.etags[String(partNumber)] = etag;
    return this.enqueue();
  }

  private enqueue(): Promise<void> {
    const write = this.queue.then(() => writePrivateFile(this.path, `${JSON.stringify(this.current, null, 2)}\n`));
    this.queue = write.catch(() => undefined);
    return write;
  }
}
