/** How long a builder holds an enforced variant: past it, another build may take over, and a poller knows the builder is gone. */
export const VARIANT_LEASE_MS = 15 * 60_000;
