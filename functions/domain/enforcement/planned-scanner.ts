import { SEMICOLON } from '../ingest/validation/bytes.ts';
import { CsvScanner } from './csv-scanner.ts';
import { ZoneIndex, validLonLat } from './geo.ts';
import { geopointComma, parseNumber, skipSpaces, trimEnd } from './numbers.ts';
import type { PositionRef, TransformPlan } from './types.ts';

/** Columns of one exclusion-zone step; -1 for a column the header lacks. */
interface ZoneColumns {
  readonly geo: number;
  readonly lat: number;
  readonly lon: number;
  readonly index: ZoneIndex;
}

/**
 * A scanner that resolves the plan's row checks against the header and applies them to the ORIGINAL values:
 * exclusion zones (a row whose position is missing or unparseable is treated as inside: fail closed) and the
 * k-anonymity group key. Shared by the counting pass and the transformer so both see the same rows.
 */
export abstract class PlannedScanner extends CsvScanner {
  protected zoneColumns: ZoneColumns[] = [];
  protected quasiColumns = new Int32Array(0);
  /** Smallest group size kept; 0 without k-anonymity. */
  protected k = 0;
  protected decimalComma = false;
  private readonly zones: Array<{ position: PositionRef; index: ZoneIndex }> = [];
  private readonly quasiNames: readonly string[] = [];
  private key = Buffer.alloc(256);

  constructor(protected readonly plan: TransformPlan) {
    super();
    for (const step of plan.steps) {
      if (step.kind === 'exclusion-zones') this.zones.push({ position: step.position, index: new ZoneIndex(step.polygons) });
      else if (step.kind === 'k-anonymity') {
        this.k = step.k;
        this.quasiNames = step.quasiIdentifiers;
      }
    }
  }

  /** Resolves the checks' columns by header name (first occurrence). */
  protected resolveChecks(names: readonly string[]): void {
    const col = (name: string): number => names.indexOf(name);
    this.decimalComma = this.delim === SEMICOLON;
    this.zoneColumns = this.zones.map(({ position, index }) =>
      'geopoint' in position ? { geo: col(position.geopoint), lat: -1, lon: -1, index } : { geo: -1, lat: col(position.lat), lon: col(position.lon), index },
    );
    this.quasiColumns = Int32Array.from(this.quasiNames, col);
  }

  /** True when the current record's position lies in a zone, or cannot be read. */
  protected inZone(buf: Uint8Array): boolean {
    for (const z of this.zoneColumns) {
      let lon: number;
      let lat: number;
      if (z.geo >= 0) {
        this.value(buf, z.geo);
        const b = this.vb;
        const comma = geopointComma(b, this.vs, this.ve);
        if (comma < 0) return true;
        lon = parseNumber(b, this.vs, trimEnd(b, this.vs, comma), false);
        lat = parseNumber(b, skipSpaces(b, comma + 1, this.ve), this.ve, false);
      } else {
        if (z.lat < 0 || z.lon < 0) return true;
        this.value(buf, z.lat);
        lat = parseNumber(this.vb, this.vs, this.ve, this.decimalComma);
        this.value(buf, z.lon);
        lon = parseNumber(this.vb, this.vs, this.ve, this.decimalComma);
      }
      if (!validLonLat(lon, lat) || z.index.contains(lon, lat)) return true;
    }
    return false;
  }

  /** The current record's quasi-identifier values as one unambiguous string (length-prefixed bytes). */
  protected groupKey(buf: Uint8Array): string {
    let w = 0;
    for (let q = 0; q < this.quasiColumns.length; q++) {
      this.value(buf, this.quasiColumns[q]!);
      const len = this.ve - this.vs;
      if (w + len + 4 > this.key.length) {
        const bigger = Buffer.alloc(Math.max(w + len + 4, this.key.length * 2));
        this.key.copy(bigger, 0, 0, w);
        this.key = bigger;
      }
      this.key.writeUInt32LE(len, w);
      this.key.set(this.vb.subarray(this.vs, this.ve), w + 4);
      w += len + 4;
    }
    return this.key.toString('latin1', 0, w);
  }
}
