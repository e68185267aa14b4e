import type { TemplateResult } from 'lit';
import type { RouteEntry } from './router.ts';
import type { PublicPageContext } from './pages/register.ts';

/** Every page of the console; each is loaded on first visit. */
export const ROUTES: readonly RouteEntry[] = [
  { pattern: '/', page: async () => (await import('./pages/home.ts')).homePage },
  { pattern: '/catalogue', page: async () => (await import('./pages/catalogue.ts')).cataloguePage },
  { pattern: '/datasets/new', page: async () => (await import('./pages/dataset-create.ts')).datasetCreatePage },
  { pattern: '/datasets/:id', page: async () => (await import('./pages/dataset.ts')).datasetPage },
  { pattern: '/offers', page: async () => (await import('./pages/offers.ts')).offersPage },
  { pattern: '/licences', page: async () => (await import('./pages/licences.ts')).licencesPage },
  { pattern: '/licences/:id', page: async () => (await import('./pages/licence.ts')).licencePage },
  { pattern: '/inbox', page: async () => (await import('./pages/inbox.ts')).inboxPage },
  { pattern: '/partners', page: async () => (await import('./pages/partners.ts')).partnersPage },
  { pattern: '/partners/:id', page: async () => (await import('./pages/partner.ts')).partnerPage },
  { pattern: '/policy', page: async () => (await import('./pages/policy.ts')).policyPage },
  { pattern: '/contracts', page: async () => (await import('./pages/contracts.ts')).contractsPage },
  { pattern: '/contracts/:id', page: async () => (await import('./pages/contract.ts')).contractPage },
  { pattern: '/audit', page: async () => (await import('./pages/audit.ts')).auditPage },
  { pattern: '/ledger', page: async () => (await import('./pages/ledger.ts')).ledgerPage },
  { pattern: '/barters', page: async () => (await import('./pages/barters.ts')).bartersPage },
  { pattern: '/subscriptions', page: async () => (await import('./pages/subscriptions.ts')).subscriptionsPage },
];

/** Pages anyone reads without signing in. */
export const PUBLIC_ROUTES: readonly { pattern: string; page: () => Promise<(ctx: PublicPageContext & { readonly params: Readonly<Record<string, string>> }) => Promise<TemplateResult>> }[] = [
  { pattern: '/registre', page: async () => (await import('./pages/register.ts')).registerPage },
  { pattern: '/accessibilite', page: async () => (await import('./pages/accessibility.ts')).accessibilityPage },
  { pattern: '/donnees/:id', page: async () => (await import('./pages/open-dataset.ts')).openDatasetPage },
];
