import { DynamoNotificationPreferenceStore } from '../adapters/dynamo/notification-stores.ts';
import { NotificationPreferencesService } from '../domain/notifications/preferences-service.ts';
import { documentClient, tableName } from './table.ts';

/** The signed-in people's e-mail settings in this process. */
export const notificationPreferenceStore = new DynamoNotificationPreferenceStore(documentClient, tableName);
export const notificationPreferences = new NotificationPreferencesService({ store: notificationPreferenceStore });
