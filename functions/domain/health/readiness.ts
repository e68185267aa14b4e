import type { Clock } from '../../ports/time.ts';
import type { DependencyProbe } from '../../ports/readiness.ts';

export type DependencyName = 'table' | 'bucket';
export type DependencyState = 'up' | 'down';

/** What one readiness check found. */
export interface ReadinessReport {
  readonly ok: boolean;
  readonly checks: Readonly<Record<DependencyName, DependencyState>>;
}

/** How long a report is reused: a burst of probes costs the dependencies one call each per second. */
export const READINESS_CACHE_MS = 1_000;

/** Probes the table and the bucket together; reports are cached for a second and concurrent callers share one check. */
export class Readiness {
  private cached: { report: ReadinessReport; at: number } | undefined;
  private inFlight: Promise<ReadinessReport> | undefined;

  constructor(private readonly deps: { probes: Readonly<Record<DependencyName, DependencyProbe>>; clock: Clock }) {}

  /** The current report, from the cache when it is under a second old. */
  check(): Promise<ReadinessReport> {
    const now = this.deps.clock.now().getTime();
    if (this.cached && now - this.cached.at < READINESS_CACHE_MS) return Promise.resolve(this.cached.report);
    this.inFlight ??= this.probeAll().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async probeAll(): Promise<ReadinessReport> {
    const names = Object.keys(this.deps.probes) as DependencyName[];
    const states = await Promise.all(
      names.map((name) =>
        this.deps.probes[name].probe().then(
          (): DependencyState => 'up',
          (): DependencyState => 'down',
        ),
      ),
    );
    const checks = Object.fromEntries(names.map((name, i) => [name, states[i]])) as Record<DependencyName, DependencyState>;
    const report = { ok: states.every((s) => s === 'up'), checks };
    this.cached = { report, at: this.deps.clock.now().getTime() };
    return report;
  }
}
