import { Readable } from 'node:stream';
import type { TransformSpec } from '../functions/domain/enforcement/index.ts';
import type { SchemaField } from '../schemas/index.ts';

/** Vehicle traces: the columns a mobility licence transforms. */
export const VARIANT_FIELDS: SchemaField[] = [
  { name: 'vehicle_id', type: 'string', personal: true },
  { name: 'driver_name', type: 'string' },
  { name: 'lat', type: 'number' },
  { name: 'lon', type: 'number' },
  { name: 'speed', type: 'number' },
  { name: 'ts', type: 'datetime' },
];

/** The four transforms the issue measures: drop, redact, pseudonymise, round. */
export const VARIANT_SPECS: TransformSpec[] = [
  { kind: 'drop-fields', fields: ['speed'] },
  { kind: 'redact-fields', fields: ['driver_name'] },
  { kind: 'pseudonymise-fields', fields: ['vehicle_id'] },
  { kind: 'generalise-coordinates', position: { lat: 'lat', lon: 'lon' }, decimals: 3 },
];

const DRIVERS = ['Jeanne Martin', 'Paul Dubois', '"Dupont, Luc"', 'Zoë Garnier', 'Anaïs Bernard'];

/** About `bytes` of traces, ~10 % distinct vehicle ids, produced 1 MiB at a time. */
export function vehicleTraces(bytes: number): Readable {
  const rowsWanted = Math.ceil(bytes / 70);
  const distinct = Math.max(1, Math.round(rowsWanted / 10));
  return Readable.from(
    (function* () {
      yield Buffer.from('vehicle_id,driver_name,lat,lon,speed,ts\n');
      let produced = 0;
      let i = 0;
      while (produced < bytes) {
        const parts: string[] = [];
        let size = 0;
        while (size < 1 << 20 && produced + size < bytes) {
          const row = `VH-${(i * 7919) % distinct},${DRIVERS[i % DRIVERS.length]},${(48.8 + (i % 1000) / 10000).toFixed(6)},${(2.3 + (i % 997) / 10000).toFixed(6)},${i % 90},2026-11-29T10:${String(i % 60).padStart(2, '0')}:00Z\n`;
          parts.push(row);
          size += row.length;
          i += 1;
        }
        produced += size;
        yield Buffer.from(parts.join(''));
      }
    })(),
  );
}
