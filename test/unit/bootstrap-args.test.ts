import { describe, expect, it } from 'vitest';
import { parseBootstrapArgs } from '../../scripts/bootstrap-territory-cli.ts';

describe('bootstrap-territory arguments', () => {
  it('reads a name and a contact email as a bootstrap', () => {
    expect(parseBootstrapArgs(['Métropole de Test', 'donnees@metropole.example'])).toEqual({ kind: 'bootstrap', name: 'Métropole de Test', contactEmail: 'donnees@metropole.example' });
  });

  it('reads --recover alone as the break-glass recovery', () => {
    expect(parseBootstrapArgs(['--recover'])).toEqual({ kind: 'recover' });
  });

  it.each([
    ['nothing', []],
    ['a name without email', ['Métropole']],
    ['--recover with a name', ['--recover', 'Métropole', 'a@b.example']],
    ['a name after --recover', ['Métropole', '--recover']],
    ['an unknown flag', ['--recovr', 'a@b.example']],
    ['--help', ['--help']],
    ['a third argument', ['Métropole', 'a@b.example', 'extra']],
  ])('asks for the usage given %s', (_what, args) => {
    expect(parseBootstrapArgs(args)).toEqual({ kind: 'usage' });
  });
});
