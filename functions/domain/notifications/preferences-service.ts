import type { NotificationPreferences, PutNotificationPreferencesRequest } from '../../../schemas/index.ts';
import type { NotificationPreferenceStore } from '../../ports/notifications.ts';
import { BusinessRuleError } from '../errors.ts';
import type { Principal } from '../model.ts';
import { mergePreferences, preferencesView } from './audience.ts';

/** A signed-in person's e-mail settings (an API key has no person, so none). */
export class NotificationPreferencesService {
  constructor(private readonly deps: { store: NotificationPreferenceStore }) {}

  async get(principal: Principal): Promise<NotificationPreferences> {
    return preferencesView(await this.deps.store.getPreferences(personOf(principal)));
  }

  async put(principal: Principal, change: PutNotificationPreferencesRequest): Promise<NotificationPreferences> {
    const personId = personOf(principal);
    const next = mergePreferences(await this.deps.store.getPreferences(personId), change);
    await this.deps.store.putPreferences(personId, next);
    return preferencesView(next);
  }
}

function personOf(principal: Principal): string {
  if (!principal.session) throw new BusinessRuleError('an API key has no person, so no e-mail settings: sign in as a person to read or change them', 'not_a_person');
  return principal.session.personId;
}
