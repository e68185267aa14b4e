import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../functions/domain/cursor.ts';
import { InvalidRequestError } from '../../functions/domain/errors.ts';

describe('cursors', () => {
  it('round-trip a position', () => {
    expect(decodeCursor(encodeCursor({ seq: 42, hash: 'ab' }), { seq: 'number', hash: 'string' })).toEqual({ seq: 42, hash: 'ab' });
  });

  it.each([['not base64 json!'], [encodeCursor({ seq: 'x' })], [Buffer.from('[1]').toString('base64url')], [encodeCursor({})]])(
    'shouldRefuse_when the cursor is %s',
    (cursor) => {
      expect(() => decodeCursor(cursor, { seq: 'number' })).toThrow(InvalidRequestError);
    },
  );
});
