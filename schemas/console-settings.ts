import * as z from 'zod';

/** The French state's IGN plan (Géoplateforme WMTS, Web Mercator), the default basemap of maps. */
export const DEFAULT_TILE_URL =
  'https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&TILEMATRIXSET=PM&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&FORMAT=image/png';
export const DEFAULT_TILE_ATTRIBUTION = '© IGN — Plan IGN';

/** What the console reads at run time from `/config.json`: written by the deployment, served by the local runtime. */
export const ConsoleSettingsSchema = z.object({
  tileUrl: z
    .string()
    .max(1000)
    .refine((u) => /^https?:\/\/[^/?#]+/.test(u) && u.includes('{z}') && u.includes('{x}') && u.includes('{y}'), 'a tile URL is http(s) and has {z}, {x} and {y}'),
  tileAttribution: z.string().max(300),
});
export type ConsoleSettings = z.infer<typeof ConsoleSettingsSchema>;

/** The settings from a tile URL and attribution (absent: the IGN plan); throws on a URL that is not a tile template. */
export function consoleSettings(tileUrl?: string, tileAttribution?: string): ConsoleSettings {
  return ConsoleSettingsSchema.parse({ tileUrl: tileUrl?.trim() || DEFAULT_TILE_URL, tileAttribution: tileAttribution?.trim() || (tileUrl?.trim() ? '' : DEFAULT_TILE_ATTRIBUTION) });
}

/** The origin tiles come from, which the Content-Security-Policy allows images from. */
export const tileOrigin = (settings: ConsoleSettings): string => /^https?:\/\/[^/?#]+/.exec(settings.tileUrl)![0];
