import { Transform } from 'node:stream';
import { GeoJsonValidator } from '../ingest/validation/geojson.ts';
import { parseSlice } from '../ingest/validation/json-scan.ts';

/** Walks a FeatureCollection with the ingest validator's scanner and collects each feature as one flat line. */
class FeatureLines extends GeoJsonValidator {
  readonly lines: string[] = [];

  constructor() {
    // The scanner only needs the limits here: the version was validated at ingest.
    super([], { maxErrors: 0, maxRecordBytes: 4 * 1024 * 1024 });
  }

  protected override onValue(b: Uint8Array, s: number, e: number): void {
    // here() > 0 only inside `features`: every other value is a member of the collection.
    if (s >= 0 && this.here() > 0) {
      const feature = parseSlice(b, s, e) as { properties?: unknown; geometry?: { type?: unknown; coordinates?: unknown } | null } | symbol;
      if (typeof feature === 'object' && feature !== null) this.lines.push(lineOf(feature));
    }
    super.onValue(b, s, e);
  }
}

function lineOf(feature: { properties?: unknown; geometry?: { type?: unknown; coordinates?: unknown } | null }): string {
  const g = feature.geometry;
  const point = g?.type === 'Point' && Array.isArray(g.coordinates) && typeof g.coordinates[0] === 'number' && typeof g.coordinates[1] === 'number';
  const properties = typeof feature.properties === 'object' && feature.properties !== null ? feature.properties : {};
  return `${JSON.stringify({ properties, lon: point ? (g.coordinates as number[])[0] : null, lat: point ? (g.coordinates as number[])[1] : null })}\n`;
}

/** Streams a GeoJSON FeatureCollection as NDJSON `{properties, lon, lat}` lines (point geometries; null otherwise), in bounded memory. */
export function geojsonToRows(): Transform {
  const scanner = new FeatureLines();
  const drain = () => {
    const out = scanner.lines.join('');
    scanner.lines.length = 0;
    return out.length ? out : undefined;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      scanner.push(chunk);
      done(null, drain());
    },
    flush(done) {
      scanner.finish();
      done(null, drain());
    },
  });
}
