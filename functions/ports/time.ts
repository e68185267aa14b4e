/** Source of the current time, injected so tests and the schedule can drive it. */
export interface Clock {
  now(): Date;
}

/** Prefixed, time-sortable ids (`prt_…`, `key_…`, `evt_…`). */
export interface IdGenerator {
  next(prefix: string): string;
}
