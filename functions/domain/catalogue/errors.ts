import { BusinessRuleError, ForbiddenError, NotFoundError } from '../errors.ts';

export class DatasetNotFoundError extends NotFoundError {
  constructor(id: string, options?: ErrorOptions) {
    super('dataset', id, options);
  }
}

export class VersionNotFoundError extends NotFoundError {
  constructor(datasetId: string, version: number, options?: ErrorOptions) {
    super(`dataset ${datasetId} version`, String(version), options);
  }
}

/** Only the publishing partner (or an officer, where allowed) may do this. */
export class NotDatasetOwnerError extends ForbiddenError {
  constructor(action: string, options?: ErrorOptions) {
    super(`only the dataset's publisher can ${action}`, 'owner_only', options);
  }
}

/** The uploaded bytes are not all there yet; the version stays `uploading`. */
export class UploadIncompleteError extends BusinessRuleError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'upload_incomplete', options);
  }
}

export class DatasetChangeNotFoundError extends NotFoundError {
  constructor(id: string, options?: ErrorOptions) {
    super('dataset change request', id, options);
  }
}
