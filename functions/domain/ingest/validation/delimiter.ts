import { COMMA, LF, QUOTE, SEMICOLON } from './bytes.ts';

/** Decides a CSV delimiter from its header line (`;` when it outnumbers `,` outside quotes), across chunks. */
export class DelimiterSniffer {
  private seek = 0;
  private quoted = false;
  private commas = 0;
  private semicolons = 0;

  /** Scans the buffered header bytes from where the last call stopped; the delimiter once the line ends (or the input does). */
  sniff(buf: Uint8Array, atEnd: boolean): number | undefined {
    let quoted = this.quoted;
    let i = this.seek;
    let found = false;
    for (; i < buf.length; i++) {
      const c = buf[i];
      if (c === QUOTE) quoted = !quoted;
      else if (!quoted) {
        if (c === COMMA) this.commas++;
        else if (c === SEMICOLON) this.semicolons++;
        else if (c === LF) {
          found = true;
          break;
        }
      }
    }
    this.seek = i;
    this.quoted = quoted;
    if (!found && !atEnd) return undefined;
    return this.semicolons > this.commas ? SEMICOLON : COMMA;
  }
}

/** Bytes of a UTF-8 byte-order mark at the start of `buf` (3 or 0). */
export const bomLength = (buf: Uint8Array): number => (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0);
