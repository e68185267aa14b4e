// ASCII codes the scanners compare bytes against.

/** Line feed. */
export const LF = 0x0a;
/** Carriage return. */
export const CR = 0x0d;
/** Double quote. */
export const QUOTE = 0x22;
/** Plus sign. */
export const PLUS = 0x2b;
/** Comma. */
export const COMMA = 0x2c;
/** Minus sign. */
export const MINUS = 0x2d;
/** Full stop. */
export const DOT = 0x2e;
/** Colon. */
export const COLON = 0x3a;
/** Semicolon. */
export const SEMICOLON = 0x3b;
/** Space. */
export const SPACE = 0x20;
/** Backslash. */
export const BACKSLASH = 0x5c;
/** Opening square bracket. */
export const LBRACKET = 0x5b;
/** Closing square bracket. */
export const RBRACKET = 0x5d;
/** Opening curly brace. */
export const LBRACE = 0x7b;
/** Closing curly brace. */
export const RBRACE = 0x7d;
