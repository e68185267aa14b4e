import { DynamoLicenceStore } from '../adapters/dynamo/licence-store.ts';
import { DynamoDigestQueue } from '../adapters/dynamo/notification-stores.ts';
import { DynamoSentMailStore } from '../adapters/dynamo/sent-mail-store.ts';
import { clock } from './core.ts';
import { EmlDirectoryMailer } from '../adapters/mail/eml-directory-mailer.ts';
import { createSesClient, SesMailer } from '../adapters/mail/ses-mailer.ts';
import { NotificationService } from '../domain/notifications/notification-service.ts';
import { ConfigError, optionalEnv } from './env.ts';
import { identityStore } from './identity.ts';
import { notificationPreferenceStore } from './notification-preferences.ts';
import { publicBaseUrl } from './public-url.ts';
import { peopleStore } from './sessions.ts';
import { documentClient, tableName } from './table.ts';

// Empty until the stack's MailSender parameter is set: e-mail is then off, and the events pass unsent.
const from = optionalEnv('COMPTOIR_MAIL_FROM');
const dir = optionalEnv('COMPTOIR_MAIL_DIR');
const viaSes = optionalEnv('COMPTOIR_MAIL_SES') === 'true';
if (dir && viaSes) throw new ConfigError('set COMPTOIR_MAIL_DIR (local .eml files) or COMPTOIR_MAIL_SES=true (Amazon SES), not both');
if (from && !dir && !viaSes) throw new ConfigError('COMPTOIR_MAIL_FROM needs COMPTOIR_MAIL_DIR (local .eml files) or COMPTOIR_MAIL_SES=true (Amazon SES)');

/** The mailer of this process: `.eml` files on a laptop, Amazon SES in the cloud; none without a sender. */
const mailer = !from ? undefined : dir ? new EmlDirectoryMailer(dir, from) : new SesMailer(createSesClient(), from);

/** Undefined while e-mail is off (no sender configured). */
export const notificationService = mailer
  ? new NotificationService({
      mailer,
      sent: new DynamoSentMailStore(documentClient, tableName),
      clock,
      people: peopleStore,
      identity: identityStore,
      licences: new DynamoLicenceStore(documentClient, tableName),
      preferences: notificationPreferenceStore,
      digests: new DynamoDigestQueue(documentClient, tableName),
      publicUrl: publicBaseUrl,
    })
  : undefined;
