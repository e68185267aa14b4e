import type { DeliveryMode, MailLanguage, NotificationKind } from '../../../schemas/index.ts';

/** An e-mail's words: its subject and its plain-text body. */
export interface MailText {
  readonly subject: string;
  readonly text: string;
}

/** What one notification says, before the why: its subject, its paragraphs, and the console page it points to. */
export interface Notice {
  readonly subject: string;
  readonly body: readonly string[];
  /** The words before the link (« Pour l’examiner », "To review it"). */
  readonly action: string;
  readonly link: string;
}

type Params = Readonly<Record<string, string>>;
interface Words {
  /** The setting's name, as the console shows it. */
  readonly label: string;
  /** Why this person gets it (their role), after « parce que » / "because". */
  readonly reason: string;
  readonly notice: (p: Params) => Omit<Notice, 'link'>;
}

const ROLES: Record<MailLanguage, Record<string, string>> = {
  fr: { officer: 'agent de la collectivité', admin: 'administrateur', member: 'membre' },
  en: { officer: 'officer of the collectivity', admin: 'admin', member: 'member' },
};
const day = (instant: string | undefined) => (instant ?? '').slice(0, 10);

const OUTCOME: Record<MailLanguage, Record<string, { subject: string; line: (id: string) => string }>> = {
  fr: {
    approved: { subject: 'Votre demande de licence est approuvée', line: (id) => `La demande de licence ${id} est approuvée par un agent de la collectivité : elle attend maintenant votre signature.` },
    rejected: { subject: 'Votre demande de licence est refusée', line: (id) => `La demande de licence ${id} est refusée par un agent de la collectivité.` },
    declined: { subject: 'Votre demande de licence est déclinée', line: (id) => `La demande de licence ${id} est déclinée par le détenteur des données.` },
  },
  en: {
    approved: { subject: 'Your licence request is approved', line: (id) => `Licence request ${id} is approved by an officer of the collectivity: it now waits for your signature.` },
    rejected: { subject: 'Your licence request is rejected', line: (id) => `Licence request ${id} is rejected by an officer of the collectivity.` },
    declined: { subject: 'Your licence request is declined', line: (id) => `Licence request ${id} is declined by the data holder.` },
  },
};
const because = (p: Params, lang: MailLanguage) => (p.reason ? (lang === 'fr' ? [`Motif : ${p.reason}`] : [`Reason: ${p.reason}`]) : []);

const WORDS: Record<NotificationKind, Record<MailLanguage, Words>> = {
  'licence.waiting': {
    fr: {
      label: 'Demandes de licence à approuver',
      reason: 'vous êtes agent de la collectivité : les demandes à approuver vous sont signalées',
      notice: (p) => ({
        subject: 'Une demande de licence attend votre approbation',
        body: [`Une demande de licence (${p.licenceId}, finalité « ${p.purpose} ») attend l’approbation d’un agent de la collectivité.`, 'La personne qui l’a faite ne peut pas l’approuver elle-même.'],
        action: 'Pour l’examiner',
      }),
    },
    en: {
      label: 'Licence requests to approve',
      reason: 'you are an officer of the collectivity: requests to approve are reported to you',
      notice: (p) => ({
        subject: 'A licence request waits for your approval',
        body: [`A licence request (${p.licenceId}, purpose “${p.purpose}”) waits for an officer’s approval.`, 'The person who made it cannot approve it themselves.'],
        action: 'To review it',
      }),
    },
  },
  'barter.waiting': {
    fr: {
      label: 'Échanges à approuver',
      reason: 'vous êtes agent de la collectivité : les échanges à approuver vous sont signalés',
      notice: (p) => ({ subject: 'Un échange de données attend votre approbation', body: [`L’échange ${p.barterId} entre ${p.partyA} et ${p.partyB} attend l’approbation d’un agent de la collectivité.`], action: 'Pour l’examiner' }),
    },
    en: {
      label: 'Barters to approve',
      reason: 'you are an officer of the collectivity: barters to approve are reported to you',
      notice: (p) => ({ subject: 'A data barter waits for your approval', body: [`Barter ${p.barterId} between ${p.partyA} and ${p.partyB} waits for an officer’s approval.`], action: 'To review it' }),
    },
  },
  'dataset.change.waiting': {
    fr: {
      label: 'Baisses de confidentialité à approuver',
      reason: 'vous êtes agent de la collectivité : les baisses de confidentialité à approuver vous sont signalées',
      notice: (p) => ({
        subject: 'Une baisse de confidentialité attend votre approbation',
        body: [`Une modification du jeu de données « ${p.dataset} » (${p.changeId}) abaisse sa protection : elle n’est appliquée qu’après l’approbation d’un agent de la collectivité.`],
        action: 'Pour l’examiner',
      }),
    },
    en: {
      label: 'Privacy downgrades to approve',
      reason: 'you are an officer of the collectivity: privacy downgrades to approve are reported to you',
      notice: (p) => ({
        subject: 'A privacy downgrade waits for your approval',
        body: [`A change to dataset “${p.dataset}” (${p.changeId}) lowers its protection: it applies only once an officer approves it.`],
        action: 'To review it',
      }),
    },
  },
  'delivery.late': {
    fr: {
      label: 'Livraisons DSP en retard',
      reason: 'vous suivez ce contrat, comme agent de la collectivité ou administrateur du délégataire',
      notice: (p) => ({
        subject: 'Une livraison prévue au contrat DSP est en retard',
        body: [`La livraison de données « ${p.obligationId} » que le contrat de délégation de service public prévoit était due le ${day(p.due)} ; elle n’est pas arrivée.`],
        action: 'Pour voir le suivi du contrat',
      }),
    },
    en: {
      label: 'Late DSP deliveries',
      reason: 'you follow this contract, as an officer of the collectivity or an admin of the operator',
      notice: (p) => ({
        subject: 'A delivery the DSP contract requires is late',
        body: [`The data delivery “${p.obligationId}” the public service delegation contract requires was due on ${day(p.due)}; it has not arrived.`],
        action: 'To follow the contract',
      }),
    },
  },
  'delivery.due': {
    fr: {
      label: 'Livraisons DSP à venir',
      reason: 'vous administrez le compte du délégataire de ce contrat',
      notice: (p) => ({
        subject: 'Une livraison prévue au contrat DSP arrive à échéance',
        body: [`La livraison de données « ${p.title} » (${p.obligationId}) que le contrat de délégation de service public prévoit est due le ${day(p.due)} ; elle n’est pas encore arrivée.`],
        action: 'Pour voir le suivi du contrat',
      }),
    },
    en: {
      label: 'DSP deliveries coming due',
      reason: 'you administer the account of this contract’s operator',
      notice: (p) => ({
        subject: 'A delivery the DSP contract requires is coming due',
        body: [`The data delivery “${p.title}” (${p.obligationId}) the public service delegation contract requires is due on ${day(p.due)}; it has not arrived yet.`],
        action: 'To follow the contract',
      }),
    },
  },
  'licence.decided': {
    fr: {
      label: 'Réponses à vos demandes de licence',
      reason: 'vous avez fait cette demande, ou vous administrez le compte de votre organisation qui l’a faite',
      notice: (p) => ({ subject: OUTCOME.fr[p.outcome!]!.subject, body: [OUTCOME.fr[p.outcome!]!.line(p.licenceId!), ...because(p, 'fr')], action: 'Pour voir la licence' }),
    },
    en: {
      label: 'Answers to your licence requests',
      reason: 'you made this request, or you administer the account of your organisation that made it',
      notice: (p) => ({ subject: OUTCOME.en[p.outcome!]!.subject, body: [OUTCOME.en[p.outcome!]!.line(p.licenceId!), ...because(p, 'en')], action: 'To see the licence' }),
    },
  },
  'duty.due': {
    fr: {
      label: 'Obligations à échéance proche',
      reason: 'vous administrez le compte de votre organisation, bénéficiaire de cette licence',
      notice: (p) => ({
        subject: 'Une obligation de votre licence arrive à échéance',
        body: [`L’obligation « ${p.dutyId} » de la licence ${p.licenceId} est due le ${day(p.dueAt)}. Passé ce délai, la licence est suspendue jusqu’à ce qu’elle soit remplie.`],
        action: 'Pour voir la licence et ses obligations',
      }),
    },
    en: {
      label: 'Duties due soon',
      reason: 'you administer the account of your organisation, which holds this licence',
      notice: (p) => ({
        subject: 'A duty of your licence is coming due',
        body: [`Duty “${p.dutyId}” of licence ${p.licenceId} is due on ${day(p.dueAt)}. After that, the licence is suspended until the duty is met.`],
        action: 'To see the licence and its duties',
      }),
    },
  },
  'duty.overdue': {
    fr: {
      label: 'Obligations en retard',
      reason: 'vous administrez le compte de votre organisation, bénéficiaire de cette licence',
      notice: (p) => ({
        subject: 'Une obligation de votre licence est en retard : la licence est suspendue',
        body: [`L’obligation « ${p.dutyId} » de la licence ${p.licenceId} a dépassé son échéance. La licence est suspendue : l’accès aux données reprend dès que l’obligation est remplie.`],
        action: 'Pour voir la licence et ses obligations',
      }),
    },
    en: {
      label: 'Overdue duties',
      reason: 'you administer the account of your organisation, which holds this licence',
      notice: (p) => ({
        subject: 'A duty of your licence is overdue: the licence is suspended',
        body: [`Duty “${p.dutyId}” of licence ${p.licenceId} is past its deadline. The licence is suspended: access to the data resumes as soon as the duty is met.`],
        action: 'To see the licence and its duties',
      }),
    },
  },
  'licence.expiring': {
    fr: {
      label: 'Licences qui expirent',
      reason: 'vous administrez le compte de votre organisation, bénéficiaire de cette licence',
      notice: (p) => ({ subject: 'Votre licence expire bientôt', body: [`La licence ${p.licenceId} expire le ${day(p.expiresAt)}. Pour continuer à utiliser les données, demandez une nouvelle licence avant cette date.`], action: 'Pour voir la licence' }),
    },
    en: {
      label: 'Licences expiring',
      reason: 'you administer the account of your organisation, which holds this licence',
      notice: (p) => ({ subject: 'Your licence expires soon', body: [`Licence ${p.licenceId} expires on ${day(p.expiresAt)}. To keep using the data, request a new licence before then.`], action: 'To see the licence' }),
    },
  },
  'subscription.failing': {
    fr: {
      label: 'Abonnements en échec',
      reason: 'vous administrez le compte de votre organisation, titulaire de cet abonnement',
      notice: (p) => ({
        subject: 'Un abonnement de votre organisation est en échec',
        body: [`Les livraisons de l’abonnement ${p.subscriptionId} échouent : ${p.reason}. Vérifiez que votre serveur répond, puis consultez les livraisons.`],
        action: 'Pour voir vos abonnements',
      }),
    },
    en: {
      label: 'Failing subscriptions',
      reason: 'you administer the account of your organisation, which holds this subscription',
      notice: (p) => ({
        subject: 'A subscription of your organisation is failing',
        body: [`Deliveries of subscription ${p.subscriptionId} fail: ${p.reason}. Check that your server answers, then look at the deliveries.`],
        action: 'To see your subscriptions',
      }),
    },
  },
};

const MODE: Record<MailLanguage, Record<DeliveryMode, string>> = {
  fr: { immediate: 'e-mail immédiat', digest: 'résumé quotidien' },
  en: { immediate: 'immediate e-mail', digest: 'daily digest' },
};

/** The setting's name of a kind, in a language. */
export const kindLabel = (kind: NotificationKind, lang: MailLanguage): string => WORDS[kind][lang].label;

/** What a notification of `kind` says, in `lang`, pointing to `link`. */
export function noticeOf(kind: NotificationKind, lang: MailLanguage, params: Params, link: string): Notice {
  return { ...WORDS[kind][lang].notice(params), link };
}

/** Why it was sent: the person's role, the setting that sent it, and where to change it. */
function why(kind: NotificationKind, lang: MailLanguage, settingsLink: string): string[] {
  const w = WORDS[kind][lang];
  return lang === 'fr'
    ? [`Vous recevez ce message parce que ${w.reason}. Votre réglage « ${w.label} » est : ${MODE.fr.immediate}.`, `Pour changer vos notifications (résumé quotidien, langue), ouvrez « Mes notifications » dans la console : ${settingsLink}`]
    : [`You receive this message because ${w.reason}. Your setting “${w.label}” is: ${MODE.en.immediate}.`, `To change your notifications (daily digest, language), open “My notifications” in the console: ${settingsLink}`];
}

/** One notification as its own e-mail, in the person's language. */
export function immediateMail(kind: NotificationKind, lang: MailLanguage, notice: Notice, settingsLink: string): MailText {
  const hello = lang === 'fr' ? 'Bonjour,' : 'Hello,';
  const colon = lang === 'fr' ? ' :' : ':';
  return { subject: notice.subject, text: [hello, '', ...notice.body, '', `${notice.action}${colon} ${notice.link}`, '', ...why(kind, lang, settingsLink)].join('\n') };
}

/** One e-mail gathering the day's notifications a person chose to get as a digest. */
export function digestMail(lang: MailLanguage, items: readonly { kind: NotificationKind; subject: string; link: string }[], settingsLink: string): MailText {
  const kinds = [...new Set(items.map((i) => i.kind))].map((k) => WORDS[k][lang].label);
  const lines = items.flatMap((i) => [`- ${i.subject}`, `  ${i.link}`]);
  return lang === 'fr'
    ? {
        subject: items.length === 1 ? 'Comptoir : votre résumé du jour (1 notification)' : `Comptoir : votre résumé du jour (${items.length} notifications)`,
        text: ['Bonjour,', '', items.length === 1 ? 'Voici la notification du jour :' : `Voici les ${items.length} notifications du jour :`, '', ...lines, '', `Vous recevez ce résumé parce que vous avez choisi le ${MODE.fr.digest} pour : ${kinds.map((k) => `« ${k} »`).join(', ')}.`, `Pour changer vos notifications (e-mail immédiat, langue), ouvrez « Mes notifications » dans la console : ${settingsLink}`].join('\n'),
      }
    : {
        subject: items.length === 1 ? 'Comptoir: your daily digest (1 notification)' : `Comptoir: your daily digest (${items.length} notifications)`,
        text: ['Hello,', '', items.length === 1 ? 'Here is today’s notification:' : `Here are today’s ${items.length} notifications:`, '', ...lines, '', `You receive this digest because you chose the ${MODE.en.digest} for: ${kinds.map((k) => `“${k}”`).join(', ')}.`, `To change your notifications (immediate e-mail, language), open “My notifications” in the console: ${settingsLink}`].join('\n'),
      };
}

/** To a person just invited: for whom, with which role, and where to sign in (always French and at once: no settings yet). */
export function invitationMail(o: { partner: string; role: string; link: string }): MailText {
  return {
    subject: `Invitation à rejoindre ${o.partner} sur Comptoir`,
    text: [
      'Bonjour,',
      '',
      `Vous êtes invité à rejoindre ${o.partner} sur Comptoir, en tant que ${ROLES.fr[o.role] ?? o.role}.`,
      'Identifiez-vous avec ProConnect, avec l’adresse électronique à laquelle ce message vous parvient.',
      '',
      `Pour vous connecter : ${o.link}`,
      '',
      'Vous recevez ce message parce qu’un administrateur de votre organisation ou un agent de la collectivité vous a invité.',
      '',
      '---',
      `You are invited to join ${o.partner} on Comptoir, as ${ROLES.en[o.role] ?? o.role}. Sign in with ProConnect, with the address this message reached: ${o.link}`,
    ].join('\n'),
  };
}
