import { DynamoDutyStore } from '../adapters/dynamo/duty-store.ts';
import { DynamoLicenceStore } from '../adapters/dynamo/licence-store.ts';
import { DynamoReminderMarks } from '../adapters/dynamo/notification-stores.ts';
import { DEFAULT_HORIZONS, ReminderService } from '../domain/notifications/reminders.ts';
import { contractStore } from './contract-store.ts';
import { auditTrail as audit } from './core.ts';
import { ConfigError, optionalEnv } from './env.ts';
import { documentClient, tableName } from './table.ts';

const days = optionalEnv('COMPTOIR_DELIVERY_REMINDER_DAYS');
if (days !== undefined && !/^[1-9]\d{0,2}$/.test(days)) throw new ConfigError(`COMPTOIR_DELIVERY_REMINDER_DAYS must be a whole number of days from 1 to 999, not ${days}`);

/** The schedule's reminders of deadlines ahead; a DSP delivery is reminded `COMPTOIR_DELIVERY_REMINDER_DAYS` days before (7 by default). */
export const reminderService = new ReminderService({
  contracts: contractStore,
  duties: new DynamoDutyStore(documentClient, tableName),
  licences: new DynamoLicenceStore(documentClient, tableName),
  marks: new DynamoReminderMarks(documentClient, tableName),
  audit,
  horizons: { ...DEFAULT_HORIZONS, ...(days ? { deliveryDays: Number(days) } : {}) },
});
