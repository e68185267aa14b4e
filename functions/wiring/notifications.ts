import { EmlDirectoryMailer } from '../adapters/mail/eml-directory-mailer.ts';
import { createSesClient, SesMailer } from '../adapters/mail/ses-mailer.ts';
import { NotificationService } from '../domain/notifications/notification-service.ts';
import { ConfigError, requireEnv, optionalEnv } from './env.ts';
import { identityStore } from './identity.ts';
import { publicBaseUrl } from './public-url.ts';
import { peopleStore } from './sessions.ts';

const from = requireEnv('COMPTOIR_MAIL_FROM', 'the CDK stack (its MailSender parameter) or the local runtime');
const dir = optionalEnv('COMPTOIR_MAIL_DIR');
const viaSes = optionalEnv('COMPTOIR_MAIL_SES') === 'true';
if (!dir === !viaSes) throw new ConfigError('set exactly one of COMPTOIR_MAIL_DIR (local .eml files) and COMPTOIR_MAIL_SES=true (Amazon SES)');

/** The mailer of this process: `.eml` files on a laptop, Amazon SES in the cloud. */
const mailer = dir ? new EmlDirectoryMailer(dir, from) : new SesMailer(createSesClient(), from);

export const notificationService = new NotificationService({ mailer, people: peopleStore, identity: identityStore, publicUrl: publicBaseUrl });
