import { routes } from '../../schemas/routes.ts';
import { dispatch } from '../http/dispatch.ts';
import { implement } from '../http/route-handler.ts';
import { contractService as contracts } from '../wiring/contracts.ts';

export const createContract = implement(routes.createContract, ({ principal, body }) => contracts.create(principal, body));
export const listContracts = implement(routes.listContracts, ({ principal, query }) => contracts.list(principal, query));
export const getContract = implement(routes.getContract, ({ principal, params }) => contracts.get(principal, params.id));
export const contractCompliance = implement(routes.contractCompliance, ({ principal, params, query }) => contracts.compliance(principal, params.id, query.at));

/** Lambda entry of the `contracts` function group. */
export const handler = dispatch('contracts', { createContract, listContracts, getContract, contractCompliance });
