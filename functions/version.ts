import pkg from '../package.json' with { type: 'json' };

/** The release, as package.json names it. */
export const VERSION: string = pkg.version;
