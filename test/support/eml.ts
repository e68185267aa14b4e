/** One captured e-mail as a mail client reads it: headers, the RFC 2047 subject decoded, the base64 UTF-8 body. */
export interface Eml {
  readonly headers: Record<string, string>;
  readonly to: string;
  readonly subject: string;
  /** The text part, line ends as `\n`. */
  readonly text: string;
}

/** Parses an RFC 5322 `.eml` file the local mailer wrote. */
export function parseEml(raw: string): Eml {
  const [head, body] = raw.split('\r\n\r\n', 2) as [string, string];
  const headers = Object.fromEntries(head.split('\r\n').map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  const subject = headers.subject!.replace(/=\?UTF-8\?B\?([^?]+)\?=/g, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));
  return { headers, to: headers.to!, subject, text: Buffer.from(body.replace(/\r\n/g, ''), 'base64').toString('utf8').replace(/\r\n/g, '\n') };
}
