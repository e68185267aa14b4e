import { Transform } from 'node:stream';

/** A CSV field quoted as RFC 4180 writes it. */
const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Replaces the first line of a CSV stream with `names`, quoted; the rest passes through untouched.
 * For engines whose answers lower-case the header (Athena), so an export names its columns as the schema does.
 */
export function withCsvHeader(names: readonly string[]): Transform {
  let pending: Buffer | undefined = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (!pending) return done(null, chunk);
      const joined = Buffer.concat([pending, chunk]);
      const end = joined.indexOf(0x0a);
      if (end < 0) {
        pending = joined;
        return done();
      }
      pending = undefined;
      done(null, Buffer.concat([Buffer.from(`${names.map(quoted).join(',')}\n`), joined.subarray(end + 1)]));
    },
    flush(done) {
      // An answer of a header and no line break still gets the header.
      if (pending) this.push(`${names.map(quoted).join(',')}\n`);
      done();
    },
  });
}
