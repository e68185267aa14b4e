interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
}

function rangesOf(accept: string): MediaRange[] {
  return accept.split(',').flatMap((part) => {
    const [range, ...params] = part.split(';').map((s) => s.trim());
    const [type, subtype] = (range ?? '').toLowerCase().split('/');
    if (!type || !subtype) return [];
    const q = params.map((p) => /^q=([0-9.]+)$/i.exec(p)).find(Boolean);
    const weight = q ? Number(q[1]) : 1;
    return Number.isFinite(weight) ? [{ type, subtype, q: Math.min(1, weight) }] : [];
  });
}

/** The weight `Accept` gives a media type: that of its most specific matching range (RFC 9110 §12.5.1); 0 when none matches. */
function weightOf(mediaType: string, ranges: readonly MediaRange[]): number {
  const [type, subtype] = mediaType.split('/');
  let best: { specificity: number; q: number } | undefined;
  for (const r of ranges) {
    const specificity = r.type === type && r.subtype === subtype ? 2 : r.type === type && r.subtype === '*' ? 1 : r.type === '*' && r.subtype === '*' ? 0 : -1;
    if (specificity >= 0 && (!best || specificity > best.specificity)) best = { specificity, q: r.q };
  }
  return best?.q ?? 0;
}

/**
 * The offer the `Accept` header prefers: highest weight, ties to the earlier offer. Without a header,
 * or when nothing offered is acceptable, the first offer (a server may disregard Accept rather than answer 406).
 */
export function preferredMediaType<T extends string>(accept: string | undefined, offers: readonly [T, ...T[]]): T {
  if (!accept?.trim()) return offers[0];
  const ranges = rangesOf(accept);
  let chosen = offers[0];
  let weight = 0;
  for (const offer of offers) {
    const w = weightOf(offer, ranges);
    if (w > weight) [chosen, weight] = [offer, w];
  }
  return chosen;
}
