import type { FieldType } from '../../../../schemas/dataset.ts';

// Small integers so the hot loops switch on numbers, not strings.

/** Type code: string. */
export const T_STRING = 0;
/** Type code: integer. */
export const T_INTEGER = 1;
/** Type code: number. */
export const T_NUMBER = 2;
/** Type code: boolean. */
export const T_BOOLEAN = 3;
/** Type code: date. */
export const T_DATE = 4;
/** Type code: datetime. */
export const T_DATETIME = 5;
/** Type code: geopoint. */
export const T_GEOPOINT = 6;
/** A column that is not in the schema: not checked. */
export const T_IGNORED = 7;

/** Type code of each schema field type. */
export const TYPE_CODE: Readonly<Record<FieldType, number>> = {
  string: T_STRING,
  integer: T_INTEGER,
  number: T_NUMBER,
  boolean: T_BOOLEAN,
  date: T_DATE,
  datetime: T_DATETIME,
  geopoint: T_GEOPOINT,
};

/** Error reason for a value that does not match its type code. */
export const REASON: readonly string[] = [
  'not a string',
  'not an integer',
  'not a number',
  'not a boolean',
  'not a date (YYYY-MM-DD)',
  'not a datetime (ISO 8601)',
  'not a geopoint (lon, lat)',
];

/** Reason for a required field left empty or null. */
export const REQUIRED = 'required';
