import { DynamoLicenceStore } from '../adapters/dynamo/licence-store.ts';
import { DynamoRegisterMaskStore } from '../adapters/dynamo/register-mask-store.ts';
import { MaskService } from '../domain/register/mask-service.ts';
import { catalogueStore as catalogue } from './catalogue-store.ts';
import { auditTrail as audit, clock } from './core.ts';
import { policyStore as policies } from './policy-store.ts';
import { documentClient, tableName } from './table.ts';

/** The maskings of register entries in the table. */
export const registerMasks = new DynamoRegisterMaskStore(documentClient, tableName);

/** Officers' masking of register entries (four eyes). */
export const maskService = new MaskService({ masks: registerMasks, licences: new DynamoLicenceStore(documentClient, tableName), catalogue, policies, audit, clock });
