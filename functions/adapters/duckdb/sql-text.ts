/** A DuckDB identifier: always quoted, inner quotes doubled, so any schema name is one identifier. */
export const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** A DuckDB string literal for our own text (temporary paths, metadata): quotes doubled, no escapes exist. */
export const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;
