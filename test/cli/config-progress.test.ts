import { chmod, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../sdk/client.ts';
import { resolveConfig, writeCredentials } from '../../cli/config.ts';
import { reportOf } from '../../cli/errors.ts';
import { Output } from '../../cli/output.ts';
import { writePrivateFile } from '../../cli/private-file.ts';
import { Progress } from '../../cli/progress.ts';

describe('configuration precedence', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'comptoir-config-'));
    await writeCredentials(join(dir, 'comptoir', 'credentials.json'), { url: 'http://stored.example', key: 'cpt_stored' });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('takes flags, then the environment, then the credentials file, then the local default', async () => {
    const env = { XDG_CONFIG_HOME: dir };
    expect(await resolveConfig({}, env)).toMatchObject({ url: 'http://stored.example', key: 'cpt_stored', keySource: 'credentials file' });
    expect(await resolveConfig({}, { ...env, COMPTOIR_KEY: 'cpt_env' })).toMatchObject({ url: 'http://stored.example', key: 'cpt_env', keySource: 'environment' });
    expect(await resolveConfig({ url: 'http://flag.example/', key: 'cpt_flag' }, { ...env, COMPTOIR_URL: 'http://env.example', COMPTOIR_KEY: 'cpt_env' })).toMatchObject({ url: 'http://flag.example', key: 'cpt_flag', urlSource: 'flag' });
    expect(await resolveConfig({}, { XDG_CONFIG_HOME: join(dir, 'none') })).toMatchObject({ url: 'http://127.0.0.1:3000', urlSource: 'default' });
    expect((await resolveConfig({}, { XDG_CONFIG_HOME: join(dir, 'none') })).key).toBeUndefined();
  });

  it('never sends the stored key to another URL', async () => {
    const config = await resolveConfig({}, { XDG_CONFIG_HOME: dir, COMPTOIR_URL: 'http://elsewhere.example' });
    expect(config.url).toBe('http://elsewhere.example');
    expect(config.key).toBeUndefined();
  });
});

describe('private files', () => {
  it('replaces a file atomically with mode 0600, in a 0700 folder, leaving no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'comptoir-private-'));
    try {
      const path = join(dir, 'nested', 'state.json');
      await writePrivateFile(path, 'first\n');
      await chmod(path, 0o644);
      const umask = process.umask(0o000);
      try {
        await writePrivateFile(path, 'second\n');
      } finally {
        process.umask(umask);
      }
      expect(await readFile(path, 'utf8')).toBe('second\n');
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, 'nested'))).mode & 0o777).toBe(0o700);
      expect(await readdir(join(dir, 'nested'))).toEqual(['state.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('error reports', () => {
  const printed = (error: unknown) => {
    const out = { stdout: '', stderr: '' };
    const sink = (name: 'stdout' | 'stderr') => ({ write: (s: string) => ((out[name] += s), true) }) as never;
    new Output(true, { stdout: sink('stdout'), stderr: sink('stderr') }).error(reportOf(error));
    return { stderr: out.stderr, json: JSON.parse(out.stdout).error };
  };

  it('quote the correlation id of a 5xx answer, and only of a 5xx answer', () => {
    const internal = printed(new ApiError(500, 'internal_error', 'The request could not be completed', undefined, undefined, 'abc'));
    expect(internal.stderr).toBe('comptoir: The request could not be completed (internal_error, correlation id abc)\n');
    expect(internal.json).toEqual({ code: 'internal_error', message: 'The request could not be completed', status: 500, correlationId: 'abc', exitCode: 1 });
    expect(printed(new ApiError(500, 'internal_error', 'The request could not be completed')).stderr).toBe('comptoir: The request could not be completed (internal_error)\n');
    const refused = printed(new ApiError(409, 'conflict', 'already signed', undefined, undefined, 'abc'));
    expect(refused.stderr).toBe('comptoir: already signed (conflict)\n');
    expect(refused.json).not.toHaveProperty('correlationId');
  });
});

describe('progress', () => {
  const sink = (isTTY: boolean) => {
    const written: string[] = [];
    return { written, stream: { isTTY, columns: 100, write: (s: string) => written.push(s) } };
  };

  it('writes a line per 10 % at most when stderr is not a terminal, with bytes and rate', () => {
    const { written, stream } = sink(false);
    const progress = new Progress(stream, 'upload', 1000);
    for (let i = 0; i < 200; i++) progress.advance(5);
    progress.finish();
    expect(written).toHaveLength(10);
    expect(written[0]).toMatch(/^upload  10%  100 B \/ 1000 B  .*\/s\n$/);
    expect(written[9]).toMatch(/^upload 100%  1000 B \/ 1000 B/);
  });

  it('starts from what a resumed upload already sent', () => {
    const { written, stream } = sink(false);
    const progress = new Progress(stream, 'upload', 1000, 450);
    progress.advance(60);
    expect(written).toEqual([expect.stringMatching(/^upload  51%/)]);
  });

  it('redraws one line on a terminal', () => {
    const { written, stream } = sink(true);
    const progress = new Progress(stream, 'download', 2048);
    progress.advance(1024);
    progress.advance(1024);
    progress.finish();
    expect(written.join('')).toMatch(/^\r\[#+\.+\] download  50%.*\r\[#+\] download 100%  2\.0 KiB \/ 2\.0 KiB.*\n$/s);
  });
});
