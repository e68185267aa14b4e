import { LINKED_DATA_MEDIA_TYPES } from '../../schemas/linked-data.ts';
import { preferredMediaType } from './negotiation.ts';
import { HttpReply } from './responses.ts';

/** How long caches may keep a description: the catalogue's own lifetime. */
const MAX_AGE_SECONDS = 300;
// Answers differ by Accept: caches must key on it.
const VARY = { vary: 'accept' };

/**
 * Answers a linked-data URI by content negotiation: a 303 to `htmlPage` when the caller prefers HTML
 * (a browser) and there is such a page, else the JSON-LD description, labelled `application/json`
 * only for callers that asked for that alone.
 */
export async function linkedDataReply(accept: string | undefined, describe: () => Promise<unknown>, htmlPage?: string): Promise<HttpReply> {
  const type = preferredMediaType(accept, [...LINKED_DATA_MEDIA_TYPES, 'text/html']);
  if (type === 'text/html' && htmlPage) return HttpReply.seeOther(htmlPage, VARY);
  return HttpReply.json(await describe(), `${type === 'application/json' ? 'application/json' : 'application/ld+json'}; charset=utf-8`, MAX_AGE_SECONDS, VARY);
}
