import { DynamoLicenceStore } from '../adapters/dynamo/licence-store.ts';
import { DynamoDigestQueue } from '../adapters/dynamo/notification-stores.ts';
import { DynamoSentMailStore } from '../adapters/dynamo/sent-mail-store.ts';
import { clock } from './core.ts';
import { EmlDirectoryMailer } from '../adapters/mail/eml-directory-mailer.ts';
import { createSesClient, SesMailer } from '../adapters/mail/ses-mailer.ts';
import { SimulatedFeedbackMailer } from '../adapters/mail/simulated-feedback-mailer.ts';
import { NotificationService } from '../domain/notifications/notification-service.ts';
import { SuppressingMailer } from '../domain/notifications/suppressing-mailer.ts';
import { logger } from '../http/logger.ts';
import { mailSuppressions, receiveSesNotification } from './mail-feedback.ts';
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

const configurationSet = optionalEnv('COMPTOIR_MAIL_CONFIGURATION_SET');

/**
 * The mailer of this process: `.eml` files on a laptop (where SES's mailbox simulator addresses bounce
 * through the bounces function's entry), Amazon SES in the cloud; none without a sender. Either way no
 * message goes to an address that bounced or complained.
 */
const mailer = !from
  ? undefined
  : new SuppressingMailer(
      dir ? new SimulatedFeedbackMailer(new EmlDirectoryMailer(dir, from), receiveSesNotification) : new SesMailer(createSesClient(), from, configurationSet),
      mailSuppressions,
      (message, fields) => logger.warn(message, fields),
    );

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
