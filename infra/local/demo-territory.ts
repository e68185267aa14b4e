import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { IdentityService } from '../../functions/domain/identity/identity-service.ts';
import type { Principal } from '../../functions/domain/model.ts';
import type { CreatePartnerRequest } from '../../schemas/index.ts';

export interface DemoKey {
  readonly partnerId: string;
  readonly partnerName: string;
  readonly role: string;
  readonly key: string;
}

/** The demo keys file: who each key is, so a restart can print them again. */
export type DemoKeys = Record<'officer' | 'dsp' | 'public' | 'private', DemoKey>;

const DEMO_PARTNERS: Record<Exclude<keyof DemoKeys, 'officer'>, CreatePartnerRequest> = {
  dsp: { name: 'Eaux du Grand Territoire (délégataire eau potable)', kind: 'dsp', siren: '812345676', contactEmail: 'donnees@eaux-grand-territoire.example' },
  public: { name: "Agence d'urbanisme du Grand Territoire", kind: 'public', siren: '521436980', contactEmail: 'opendata@agence-urbanisme.example' },
  private: { name: 'Trajets Malins SAS', kind: 'private', siren: '908765431', contactEmail: 'api@trajets-malins.example' },
};

/**
 * Seeds the demo territory on first start (the territory marker makes it happen once) and writes the
 * keys to `keysFile`; on later starts returns the keys from that file.
 */
export async function seedDemoTerritory(identity: IdentityService, keysFile: string, officerKey?: string): Promise<{ keys: DemoKeys; created: boolean } | undefined> {
  const boot = await identity.bootstrapTerritory({
    name: 'Métropole du Grand Territoire',
    contactEmail: 'donnees@grand-territoire.example',
    ...(officerKey ? { officerKey } : {}),
  });
  if (!boot) return existsSync(keysFile) ? { keys: JSON.parse(await readFile(keysFile, 'utf8')) as DemoKeys, created: false } : undefined;

  const officerPrincipal = await identity.authenticate(`Bearer ${boot.officerKey}`);
  if (!officerPrincipal) throw new Error('the first officer key does not authenticate');
  const keys: Partial<DemoKeys> = {
    officer: { partnerId: boot.collectivity.id, partnerName: boot.collectivity.name, role: 'officer', key: boot.officerKey },
  };
  for (const [slot, request] of Object.entries(DEMO_PARTNERS) as [keyof typeof DEMO_PARTNERS, CreatePartnerRequest][]) {
    const created = await identity.createPartner(officerPrincipal satisfies Principal, request);
    keys[slot] = { partnerId: created.partner.id, partnerName: created.partner.name, role: 'admin', key: created.adminKey.key };
  }
  await writeFile(keysFile, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
  return { keys: keys as DemoKeys, created: true };
}
