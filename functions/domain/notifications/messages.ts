/** An e-mail's words: its subject and its plain-text body. */
export interface MailText {
  readonly subject: string;
  readonly text: string;
}

const ROLES: Record<string, string> = { officer: 'agent de la collectivité', admin: 'administrateur', member: 'membre' };
const FOOTER = 'Vous recevez ce message parce que vous avez un compte sur Comptoir, la plateforme de données du territoire.';

/** To officers: a licence request waits for their approval. */
export function licenceWaitingMail(o: { licenceId: string; purpose: string; link: string }): MailText {
  return {
    subject: 'Une demande de licence attend votre approbation',
    text: [
      'Bonjour,',
      '',
      `Une demande de licence (${o.licenceId}, finalité « ${o.purpose} ») attend l’approbation d’un agent de la collectivité.`,
      'La personne qui l’a faite ne peut pas l’approuver elle-même.',
      '',
      `Pour l’examiner : ${o.link}`,
      '',
      `${FOOTER} Vous êtes agent de la collectivité : les demandes à approuver vous sont signalées.`,
    ].join('\n'),
  };
}

/** To a person just invited: for whom, with which role, and where to sign in. */
export function invitationMail(o: { partner: string; role: string; link: string }): MailText {
  return {
    subject: `Invitation à rejoindre ${o.partner} sur Comptoir`,
    text: [
      'Bonjour,',
      '',
      `Vous êtes invité à rejoindre ${o.partner} sur Comptoir, en tant que ${ROLES[o.role] ?? o.role}.`,
      'Identifiez-vous avec ProConnect, avec l’adresse électronique à laquelle ce message vous parvient.',
      '',
      `Pour vous connecter : ${o.link}`,
      '',
      'Vous recevez ce message parce qu’un administrateur de votre organisation ou un agent de la collectivité vous a invité.',
    ].join('\n'),
  };
}

/** To officers and the operator's admins: a delivery the DSP contract requires is late. */
export function deliveryLateMail(o: { obligationId: string; due: string; link: string }): MailText {
  return {
    subject: 'Une livraison prévue au contrat DSP est en retard',
    text: [
      'Bonjour,',
      '',
      `La livraison de données « ${o.obligationId} » que le contrat de délégation de service public prévoit était due le ${o.due.slice(0, 10)} ; elle n’est pas arrivée.`,
      '',
      `Pour voir le suivi du contrat : ${o.link}`,
      '',
      `${FOOTER} Vous suivez ce contrat, comme agent de la collectivité ou administrateur du délégataire.`,
    ].join('\n'),
  };
}

/** To the licensee's admins: a duty of their licence is overdue, and the licence is suspended until it is met. */
export function dutyOverdueMail(o: { licenceId: string; dutyId: string; link: string }): MailText {
  return {
    subject: 'Une obligation de votre licence est en retard : la licence est suspendue',
    text: [
      'Bonjour,',
      '',
      `L’obligation « ${o.dutyId} » de la licence ${o.licenceId} a dépassé son échéance. La licence est suspendue : l’accès aux données reprend dès que l’obligation est remplie.`,
      '',
      `Pour voir la licence et ses obligations : ${o.link}`,
      '',
      `${FOOTER} Vous administrez le compte de votre organisation, bénéficiaire de cette licence.`,
    ].join('\n'),
  };
}
