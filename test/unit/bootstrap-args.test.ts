import { describe, expect, it } from 'vitest';
import { parseBootstrapArgs } from '../../scripts/bootstrap-territory-cli.ts';

describe('bootstrap-territory arguments', () => {
  it('reads a name and a contact email as a bootstrap', () => {
    expect(parseBootstrapArgs(['Métropole de Test', 'donnees@metropole.example'])).toEqual({ kind: 'bootstrap', name: 'Métropole de Test', contactEmail: 'donnees@metropole.example' });
  });

  it('reads --officer-email as the first officer to invite in person, lower-cased', () => {
    expect(parseBootstrapArgs(['Métropole', 'donnees@metropole.example', '--officer-email', 'Agent@Metropole.example'])).toEqual({ kind: 'bootstrap', name: 'Métropole', contactEmail: 'donnees@metropole.example', officerEmail: 'agent@metropole.example' });
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
    ['--officer-email without an address', ['Métropole', 'a@b.example', '--officer-email']],
    ['--officer-email with no e-mail address', ['Métropole', 'a@b.example', '--officer-email', 'agent']],
    ['something after the officer e-mail', ['Métropole', 'a@b.example', '--officer-email', 'o@b.example', 'x']],
  ])('asks for the usage given %s', (_what, args) => {
    expect(parseBootstrapArgs(args)).toEqual({ kind: 'usage' });
  });
});
