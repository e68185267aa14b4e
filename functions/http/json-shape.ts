import { JSON_BODY_LIMITS } from '../../schemas/common.ts';
import { DomainError } from '../domain/errors.ts';

/** A request body nested deeper, or with a longer array, than the edge accepts (400 `json_too_complex`). */
export class JsonTooComplexError extends DomainError {
  readonly kind = 'invalid';
  readonly code = 'json_too_complex';
}

const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

/**
 * Checks the nesting depth and array lengths of a JSON text in one pass without recursion, before it is
 * parsed, so no schema, serialiser or domain walk ever recurses through an attacker's million brackets.
 * Malformed text is left for the parser to refuse.
 */
export function assertJsonShape(text: string, limits: { readonly depth: number; readonly arrayItems: number } = JSON_BODY_LIMITS): void {
  // Per open container: -1 for an object, else the commas seen so far in that array.
  const open: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (open.length >= limits.depth) {
        throw new JsonTooComplexError(`the request body is nested more than ${limits.depth} levels deep`, { details: [{ limit: 'depth', max: limits.depth }] });
      }
      open.push(c === OPEN_OBJECT ? -1 : 0);
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) open.pop();
    else if (c === COMMA && open.length > 0 && open[open.length - 1]! >= 0) {
      const commas = ++open[open.length - 1]!;
      if (commas >= limits.arrayItems) {
        throw new JsonTooComplexError(`an array in the request body has more than ${limits.arrayItems} items`, { details: [{ limit: 'arrayItems', max: limits.arrayItems }] });
      }
    }
  }
}
