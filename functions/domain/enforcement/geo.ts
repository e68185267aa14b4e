import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { GeoJsonPolygonOrMulti } from './types.ts';

/** The polygon type turf takes (GeoJSON, as published in @types/geojson). */
type Polygon = Extract<Parameters<typeof booleanPointInPolygon>[1], { type: 'Polygon' }>;

/** Polygons of one exclusion-zone step, each part behind its bounding box. */
export class ZoneIndex {
  private readonly parts: Polygon[] = [];
  /** minLon, minLat, maxLon, maxLat per part. */
  private readonly boxes: Float64Array;
  private readonly all = [Infinity, Infinity, -Infinity, -Infinity];

  constructor(polygons: readonly GeoJsonPolygonOrMulti[]) {
    for (const p of polygons) {
      const polys = p.type === 'Polygon' ? [p.coordinates] : p.coordinates;
      for (const coordinates of polys) this.parts.push({ type: 'Polygon', coordinates: coordinates as Polygon['coordinates'] });
    }
    this.boxes = new Float64Array(this.parts.length * 4);
    this.parts.forEach((part, n) => {
      const box = [Infinity, Infinity, -Infinity, -Infinity];
      // The outer ring bounds the part; holes lie inside it.
      for (const pos of part.coordinates[0] ?? []) {
        box[0] = Math.min(box[0]!, pos[0]!);
        box[1] = Math.min(box[1]!, pos[1]!);
        box[2] = Math.max(box[2]!, pos[0]!);
        box[3] = Math.max(box[3]!, pos[1]!);
      }
      this.boxes.set(box, n * 4);
      this.all[0] = Math.min(this.all[0]!, box[0]!);
      this.all[1] = Math.min(this.all[1]!, box[1]!);
      this.all[2] = Math.max(this.all[2]!, box[2]!);
      this.all[3] = Math.max(this.all[3]!, box[3]!);
    });
  }

  /** True when (lon, lat) lies inside or on the boundary of any polygon. */
  contains(lon: number, lat: number): boolean {
    const all = this.all;
    if (lon < all[0]! || lat < all[1]! || lon > all[2]! || lat > all[3]!) return false;
    const b = this.boxes;
    for (let n = 0; n < this.parts.length; n++) {
      const at = n * 4;
      if (lon < b[at]! || lat < b[at + 1]! || lon > b[at + 2]! || lat > b[at + 3]!) continue;
      if (booleanPointInPolygon([lon, lat], this.parts[n]!)) return true;
    }
    return false;
  }
}

/** True when (lon, lat) are finite and in range. */
export function validLonLat(lon: number, lat: number): boolean {
  return lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
}
