/**
 * Creates the collectivity and its first officer key in a deployed Comptoir table, once.
 * Usage: TABLE_NAME=comptoir-prod npm run bootstrap-territory -- "Métropole de …" donnees@metropole.fr
 */
import { identityService } from '../functions/wiring/identity.ts';

const [name, contactEmail] = process.argv.slice(2);
if (!name || !contactEmail) {
  console.error('usage: npm run bootstrap-territory -- "<collectivity name>" <contact email>');
  process.exit(2);
}
const officerKey = process.env.COMPTOIR_ADMIN_KEY?.trim() || undefined;
const result = await identityService.bootstrapTerritory({ name, contactEmail, ...(officerKey ? { officerKey } : {}) });
if (!result) {
  console.error('This table already has a territory: nothing was changed.');
  process.exit(1);
}
console.log(`Collectivity ${result.collectivity.name} (${result.collectivity.id}) created.`);
console.log(`First officer key (shown once, store it in a secret manager): ${result.officerKey}`);
