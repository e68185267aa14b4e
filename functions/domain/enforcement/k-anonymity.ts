import { PlannedScanner } from './planned-scanner.ts';
import type { GroupCounter, GroupCounts, TransformPlan } from './types.ts';

/**
 * First pass of k-anonymity: counts the rows of each quasi-identifier combination, over the rows that survive the
 * exclusion zones (they run first, so the groups the second pass keeps are groups of the delivered file).
 * Memory grows with the number of distinct combinations, not with the file.
 */
class Counter extends PlannedScanner implements GroupCounter {
  private readonly groups = new Map<string, number>();
  private rows = 0;

  push(chunk: Uint8Array): void {
    this.feed(chunk);
  }

  finish(): GroupCounts {
    this.end();
    return { fingerprint: this.plan.fingerprint, rows: this.rows, groups: this.groups };
  }

  protected onHeader(_buf: Uint8Array, names: string[]): void {
    this.resolveChecks(names);
  }

  protected onRecord(buf: Uint8Array): void {
    if (this.zoneColumns.length > 0 && this.inZone(buf)) return;
    this.rows++;
    const key = this.groupKey(buf);
    this.groups.set(key, (this.groups.get(key) ?? 0) + 1);
  }
}

/** First pass for k-anonymity: counts quasi-identifier groups. */
export function createGroupCounter(plan: TransformPlan): GroupCounter {
  if (!plan.needsTwoPasses) throw new RangeError('the plan has no k-anonymity step to count groups for');
  return new Counter(plan);
}
