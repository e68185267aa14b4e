const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Lower-case, accent-free word tokens of a text ("Vélos à Évry" → ["velos", "a", "evry"]). */
export function foldedTokens(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0);
}

/** The stored search field: every distinct token, space-delimited so a query token matches word prefixes. */
export function searchTextOf(parts: readonly string[]): string {
  return ` ${[...new Set(parts.flatMap(foldedTokens))].join(' ')} `;
}

/** Query tokens worth matching (single letters would match almost everything). */
export function queryTokens(q: string | undefined): string[] {
  return q ? [...new Set(foldedTokens(q).filter((t) => t.length >= 2))].slice(0, 8) : [];
}
