import { NotFoundError } from '../errors.ts';

export class LicenceNotFoundError extends NotFoundError {
  constructor(id: string, options?: ErrorOptions) {
    super('licence', id, options);
  }
}
