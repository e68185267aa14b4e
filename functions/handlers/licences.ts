import { routes } from '../../schemas/routes.ts';
import { dispatch } from '../http/dispatch.ts';
import { HttpReply } from '../http/responses.ts';
import { implement } from '../http/route-handler.ts';
import { publicBaseUrl } from '../wiring/public-url.ts';
import { maskService as masks } from '../wiring/register-masks.ts';
import { barterService as barters, ledgerService as ledger, licenceLifecycle as lifecycle, licenceService as licences, offerService as offers, policyPreviewService as policyPreview } from '../wiring/licensing.ts';

export const createOffer = implement(routes.createOffer, ({ principal, body }) => offers.create(principal, body));
export const listOffers = implement(routes.listOffers, ({ principal, query }) => offers.list(principal, query.datasetId, query));
export const previewPolicy = implement(routes.previewPolicy, ({ principal, body }) => policyPreview.preview(principal, body));
export const withdrawOffer = implement(routes.withdrawOffer, ({ principal, params }) => offers.withdraw(principal, params.id));
export const requestLicence = implement(routes.requestLicence, ({ principal, body }) => licences.request(principal, body));
export const listLicences = implement(routes.listLicences, ({ principal, query }) => licences.list(principal, query.state, query));
export const getLicence = implement(routes.getLicence, ({ principal, params }) => licences.get(principal, params.id));
export const approveLicence = implement(routes.approveLicence, ({ principal, params, body }) => licences.approve(principal, params.id, body.reason));
export const rejectLicence = implement(routes.rejectLicence, ({ principal, params, body }) => licences.reject(principal, params.id, body.reason));
export const declineLicence = implement(routes.declineLicence, ({ principal, params, body }) => licences.decline(principal, params.id, body.reason));
export const signLicence = implement(routes.signLicence, ({ principal, params, headers }) => licences.sign(principal, params.id, headers['idempotency-key']));
export const getLedger = implement(routes.getLedger, ({ principal, query }) => ledger.statement(principal, query.partnerId, query));
export const grantCredits = implement(routes.grantCredits, ({ principal, body, headers }) => ledger.grant(principal, body, headers['idempotency-key']));
export const revokeLicence = implement(routes.revokeLicence, ({ principal, params, body }) => licences.revoke(principal, params.id, body.reason));
export const terminateLicence = implement(routes.terminateLicence, ({ principal, params, body }) => licences.terminate(principal, params.id, body.reason));
export const proposeBarter = implement(routes.proposeBarter, ({ principal, body, headers }) => barters.propose(principal, body, headers['idempotency-key']));
export const listBarters = implement(routes.listBarters, ({ principal, query }) => barters.list(principal, query));
export const getBarter = implement(routes.getBarter, ({ principal, params }) => barters.get(principal, params.id));
export const approveBarter = implement(routes.approveBarter, ({ principal, params, body }) => barters.approve(principal, params.id, body.side, body.reason));
export const rejectBarter = implement(routes.rejectBarter, ({ principal, params, body }) => barters.reject(principal, params.id, body.reason));
export const acceptBarter = implement(routes.acceptBarter, ({ principal, params, body, headers }) => barters.accept(principal, params.id, body, headers['idempotency-key']));
export const declineBarter = implement(routes.declineBarter, ({ principal, params, body }) => barters.decline(principal, params.id, body.reason));
export const listDuties = implement(routes.listDuties, ({ principal, params }) => lifecycle.list(principal, params.id));
export const attestDuty = implement(routes.attestDuty, ({ principal, params, body }) => lifecycle.attest(principal, params.id, params.dutyId, body.statement));
export const getLicenceOdrl = implement(routes.getLicenceOdrl, async ({ principal, params }) =>
  HttpReply.json(await licences.odrl(principal, params.id, publicBaseUrl), 'application/ld+json; charset=utf-8'),
);
export const requestRegisterMask = implement(routes.requestRegisterMask, ({ principal, params, body }) => masks.request(principal, params.id, body));
export const approveRegisterMask = implement(routes.approveRegisterMask, ({ principal, params }) => masks.approve(principal, params.id));
export const rejectRegisterMask = implement(routes.rejectRegisterMask, ({ principal, params, body }) => masks.reject(principal, params.id, body.reason));

/** Lambda entry of the `licences` function group. */
export const handler = dispatch('licences', {
  createOffer, listOffers, withdrawOffer, previewPolicy, requestLicence, listLicences, getLicence, approveLicence, rejectLicence, declineLicence, signLicence, revokeLicence, getLicenceOdrl, listDuties, attestDuty, terminateLicence, getLedger, grantCredits,
  proposeBarter, listBarters, getBarter, approveBarter, rejectBarter, acceptBarter, declineBarter, requestRegisterMask, approveRegisterMask, rejectRegisterMask,
});
