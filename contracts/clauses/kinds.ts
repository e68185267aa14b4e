import type { ClauseKind } from './clause.ts';

/** How a clause is enforced: checked per access, applied to bytes, tracked as a duty, or attested once. */
export type EnforcementMode = 'access' | 'transform' | 'obligation' | 'declaration';

export const PARTNER_KINDS = ['collectivity', 'public', 'dsp', 'private'] as const;

/** The mode of each clause kind; kept apart from the parameter schemas so evaluation needs no zod. */
export const MODE_OF: Record<ClauseKind, EnforcementMode> = {
  purpose: 'access',
  validity: 'access',
  quota: 'access',
  'partner-kinds': 'access',
  'eu-residency': 'access',
  'exclusion-zones': 'transform',
  'k-anonymity': 'transform',
  'drop-fields': 'transform',
  'redact-fields': 'transform',
  'pseudonymise-fields': 'transform',
  'generalise-coordinates': 'transform',
  'share-back': 'obligation',
  attribution: 'obligation',
  'delete-on-expiry': 'obligation',
  'usage-report': 'obligation',
  'no-resale': 'declaration',
  'no-reidentification': 'declaration',
};

/** Every clause kind, in catalogue order (the order merged licences list them in). */
export const CLAUSE_KIND_LIST = Object.keys(MODE_OF) as ClauseKind[];
