import { readdir, readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';

/** One captured e-mail, as far as the pages show it. */
interface CapturedMail {
  readonly file: string;
  readonly subject: string;
  readonly to: string;
  readonly from: string;
  readonly date: Date;
  readonly text: string;
  /** When the file was written: orders messages of the same second (the Date header has no finer grain). */
  readonly writtenAt?: number;
}

const FILE_NAME = /^[\w.@-]+\.eml$/;
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const decodeWords = (value: string) => value.replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));

/** Headers (unfolded), the RFC 2047 subject decoded, and the body (base64 or as is) in UTF-8. */
function parseEml(file: string, raw: string): CapturedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split < 0 ? raw.length : split).replace(/\r\n[ \t]+/g, ' ');
  const body = split < 0 ? '' : raw.slice(split + 4);
  const headers = new Map(head.split('\r\n').map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  const base64 = headers.get('content-transfer-encoding')?.toLowerCase() === 'base64';
  const date = new Date(headers.get('date') ?? 0);
  return {
    file,
    subject: decodeWords(headers.get('subject') ?? ''),
    to: headers.get('to') ?? '',
    from: decodeWords(headers.get('from') ?? ''),
    date: Number.isNaN(date.getTime()) ? new Date(0) : date,
    text: (base64 ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body).replace(/\r\n/g, '\n'),
  };
}

/** The text with its http(s) links made clickable, everything else escaped. */
function linkify(text: string): string {
  return text
    .split(/(https?:\/\/[^\s<>"]+)/g)
    .map((part, i) => (i % 2 === 1 ? `<a href="${escape(part)}">${escape(part)}</a>` : escape(part)))
    .join('');
}

const page = (title: string, body: string) =>
  `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><main>${body}</main></body></html>`;

/**
 * `/dev/mail` on the local runtime only: the e-mails written as `.eml` files, newest first, and one
 * of them with its text part, its links clickable. The cloud has no such route (SES sends the mail).
 */
export class DevMailPages {
  constructor(private readonly dir: string) {}

  /** Answers `/dev/mail` and `/dev/mail/<file>`; false for any other path. */
  async serve(pathname: string, res: ServerResponse): Promise<boolean> {
    if (pathname === '/dev/mail' || pathname === '/dev/mail/') return this.send(res, 200, await this.listPage());
    const match = /^\/dev\/mail\/([^/]+)$/.exec(pathname);
    if (!match) return false;
    let file: string;
    try {
      file = decodeURIComponent(match[1]!);
    } catch {
      file = '';
    }
    // Only a name the folder lists: nothing outside it can be read.
    const files = await this.files();
    if (!FILE_NAME.test(file) || !files.includes(file)) return this.send(res, 404, page('Message introuvable', '<h1>Message introuvable</h1><p><a href="/dev/mail">Tous les messages</a></p>'));
    const mail = parseEml(file, await readFile(join(this.dir, file), 'utf8'));
    return this.send(
      res,
      200,
      page(
        mail.subject,
        `<p><a href="/dev/mail">Tous les messages</a></p><h1>${escape(mail.subject)}</h1>
<dl><dt>De</dt><dd>${escape(mail.from)}</dd><dt>À</dt><dd>${escape(mail.to)}</dd><dt>Date</dt><dd><time datetime="${mail.date.toISOString()}">${escape(mail.date.toISOString())}</time></dd></dl>
<pre>${linkify(mail.text)}</pre>`,
      ),
    );
  }

  private async files(): Promise<string[]> {
    return (await readdir(this.dir).catch(() => [] as string[])).filter((f) => FILE_NAME.test(f));
  }

  private async listPage(): Promise<string> {
    const mails = await Promise.all(
      (await this.files()).map(async (f) => ({ ...parseEml(f, await readFile(join(this.dir, f), 'utf8')), writtenAt: (await stat(join(this.dir, f))).mtimeMs })),
    );
    mails.sort((a, b) => b.date.getTime() - a.date.getTime() || b.writtenAt - a.writtenAt || a.file.localeCompare(b.file));
    const rows = mails
      .map((m) => `<tr><td><time datetime="${m.date.toISOString()}">${escape(m.date.toISOString())}</time></td><td>${escape(m.to)}</td><td><a href="/dev/mail/${encodeURIComponent(m.file)}">${escape(m.subject || '(sans objet)')}</a></td></tr>`)
      .join('');
    return page(
      'E-mails capturés',
      `<h1>E-mails capturés (runtime local)</h1><p>${mails.length} message(s) dans ${escape(this.dir)}, du plus récent au plus ancien.</p>
<table><thead><tr><th scope="col">Date</th><th scope="col">À</th><th scope="col">Objet</th></tr></thead><tbody>${rows}</tbody></table>`,
    );
  }

  private send(res: ServerResponse, status: number, html: string): true {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // No script, no style, no frame: the page only shows text and links.
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
    });
    res.end(html);
    return true;
  }
}
