import { DynamoDutyStore } from '../adapters/dynamo/duty-store.ts';
import { DynamoLicenceStore } from '../adapters/dynamo/licence-store.ts';
import { DynamoReminderMarks } from '../adapters/dynamo/notification-stores.ts';
import { DEFAULT_HORIZONS, deliveryDaysFrom, ReminderService } from '../domain/notifications/reminders.ts';
import { contractStore } from './contract-store.ts';
import { auditTrail as audit } from './core.ts';
import { ConfigError, optionalEnv } from './env.ts';
import { documentClient, tableName } from './table.ts';

const deliveryDays = (() => {
  try {
    return deliveryDaysFrom(optionalEnv('COMPTOIR_DELIVERY_REMINDER_DAYS'));
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
})();

/** The schedule's reminders of deadlines ahead; a DSP delivery is reminded `COMPTOIR_DELIVERY_REMINDER_DAYS` days before (7 by default). */
export const reminderService = new ReminderService({
  contracts: contractStore,
  duties: new DynamoDutyStore(documentClient, tableName),
  licences: new DynamoLicenceStore(documentClient, tableName),
  marks: new DynamoReminderMarks(documentClient, tableName),
  audit,
  horizons: { ...DEFAULT_HORIZONS, deliveryDays },
});
