import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (file: string) => JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'));

// `npm install` rewrites a lock file that disagrees with package.json: a newcomer's first command must leave the tree clean.
describe('the committed lock file', () => {
  it('records the package exactly as package.json declares it: bin, dependencies and devDependencies', () => {
    const pkg = read('package.json');
    const root = read('package-lock.json').packages[''];
    expect(root.bin).toEqual(pkg.bin);
    expect(root.dependencies).toEqual(pkg.dependencies);
    expect(root.devDependencies).toEqual(pkg.devDependencies);
    expect(root.engines).toEqual(pkg.engines);
  });
});
