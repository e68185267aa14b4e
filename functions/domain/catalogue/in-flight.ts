/**
 * The deadlines of a version in flight (`uploading`, `validating`), all in one place: the CDK stack
 * reads the ingest timeout from here, the versions service the URL lifetime, the sweeper the rest.
 */

/** How long a presigned upload URL (single PUT or part) stays valid. */
export const UPLOAD_URL_SECONDS = 3600;
/** The ingest function's timeout: no ingest runs longer, so its lease may lapse then. */
export const INGEST_TIMEOUT_SECONDS = 15 * 60;
/** Slack past each deadline: one period of the schedule (5 minutes), so clock skew never ends a live upload. */
export const SWEEP_GRACE_SECONDS = 5 * 60;
/** Re-drives of a validation before the version ends `failed`. */
export const MAX_REDRIVES = 3;

const after = (from: Date, seconds: number) => new Date(from.getTime() + seconds * 1000).toISOString();

/** An upload not completed by then can no longer be: its last URL has expired. */
export const uploadDeadline = (urlsIssuedAt: Date) => after(urlsIssuedAt, UPLOAD_URL_SECONDS + SWEEP_GRACE_SECONDS);
/** How long one ingest attempt holds the version: the function's timeout. */
export const ingestLeaseUntil = (claimedAt: Date) => after(claimedAt, INGEST_TIMEOUT_SECONDS);
/** A validation that has not finished by then was cut off (event lost, function killed): the sweeper re-drives it. */
export const validationDeadline = (drivenAt: Date) => after(drivenAt, INGEST_TIMEOUT_SECONDS + SWEEP_GRACE_SECONDS);

/** The events that start an ingest: a completed upload, and the sweeper's re-drive of a cut-off validation. */
export const INGEST_TRIGGERS = ['dataset.version.uploaded', 'dataset.version.redriven'] as const;
