import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { QuerySpec } from './grammar.ts';

/** Where each row's point is: its geopoint column, or its longitude and latitude columns. */
export type Position = NonNullable<QuerySpec['position']>;

const HEAD = '{"type":"FeatureCollection","features":[';

/** A feature per NDJSON row: the point as its geometry (null when the row has none), every other column as properties. */
function feature(row: Record<string, unknown>, position: Position): string {
  let lon: unknown;
  let lat: unknown;
  let properties = row;
  if ('geopoint' in position) {
    const { [position.geopoint]: point, ...rest } = row;
    properties = rest;
    ({ lon, lat } = (point ?? {}) as { lon?: unknown; lat?: unknown });
  } else {
    lon = row[position.lon];
    lat = row[position.lat];
  }
  const geometry = typeof lon === 'number' && typeof lat === 'number' ? { type: 'Point', coordinates: [lon, lat] } : null;
  return JSON.stringify({ type: 'Feature', geometry, properties });
}

/** Turns the engine's NDJSON answer into one GeoJSON FeatureCollection (RFC 7946), a line at a time. */
export function ndjsonToFeatureCollection(position: Position): Transform {
  // A decoder, so a character split between two chunks is read whole.
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let first = true;
  const emit = (line: string, push: (text: string) => void) => {
    if (line.trim() === '') return;
    push(`${first ? '' : ','}\n${feature(JSON.parse(line) as Record<string, unknown>, position)}`);
    first = false;
  };
  return new Transform({
    construct(callback) {
      this.push(HEAD);
      callback();
    },
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      const lines = (pending + decoder.write(chunk)).split('\n');
      pending = lines.pop()!;
      try {
        for (const line of lines) emit(line, (t) => this.push(t));
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        emit(pending + decoder.end(), (t) => this.push(t));
        this.push('\n]}\n');
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}
