import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { sdkClientConfig } from '../sdk-timeouts.ts';
import { DependencyError } from '../../domain/errors.ts';
import type { Mailer, MailMessage } from '../../ports/mailer.ts';

/** Amazon SES (API v2) from one verified sender, through the configuration set that reports bounces; throttling and outages become the domain's "unavailable". */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly from: string,
    /** Its bounce and complaint events reach the bounces function (through SNS). */
    private readonly configurationSet?: string,
  ) {}

  async send(message: MailMessage): Promise<void> {
    try {
      await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
          Destination: { ToAddresses: [message.to] },
          Content: { Simple: { Subject: { Data: message.subject, Charset: 'UTF-8' }, Body: { Text: { Data: message.text, Charset: 'UTF-8' } } } },
        }),
      );
    } catch (error) {
      throw new DependencyError(`SES refused or failed to send to ${message.to}: ${(error as Error).name}`, { cause: error });
    }
  }
}

/** The SES client of a process (its region is the function's, an EU one); create it once. */
export const createSesClient = (): SESv2Client => new SESv2Client(sdkClientConfig('other'));
