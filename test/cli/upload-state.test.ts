import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deleteState, readState } from '../../cli/upload/state.ts';

describe('upload state files', () => {
  it('removes the half-written copy a killed upload left behind, never one a live process is writing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'comptoir-state-'));
    try {
      // A pid that has certainly exited: a child that ran and was reaped.
      const dead = spawnSync(process.execPath, ['-e', '']).pid!;
      const path = join(dir, 'a'.repeat(32) + '.json');
      await Promise.all([writeFile(`${path}.${dead}.tmp`, '{'), writeFile(`${path}.${process.pid}.tmp`, '{'), writeFile(join(dir, `${'b'.repeat(32)}.json.${dead}.tmp`), '{')]);

      expect(await readState(path)).toBeUndefined();
      expect((await readdir(dir)).sort()).toEqual([`${'a'.repeat(32)}.json.${process.pid}.tmp`, `${'b'.repeat(32)}.json.${dead}.tmp`]);
      await deleteState(join(dir, `${'b'.repeat(32)}.json`));
      expect(await readdir(dir)).toEqual([`${'a'.repeat(32)}.json.${process.pid}.tmp`]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
