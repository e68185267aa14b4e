import type { AuditVerify } from '../../schemas/index.ts';
import type { CommandSpec } from '../command.ts';
import { VerificationError } from '../errors.ts';
import { fields } from '../output.ts';
import { verifyChain } from '../../sdk/flows.ts';

export interface AuditVerdict {
  readonly valid: boolean;
  /** Entries checked, over every page. */
  readonly events: number;
  readonly head: AuditVerify['head'];
  readonly brokenSeq?: number;
  readonly reason?: string;
}

export const auditVerify: CommandSpec = {
  name: 'audit verify',
  summary: 'Recompute the audit hash chain end to end (exit code 7 when it is broken)',
  options: {},
  examples: ['comptoir audit verify', 'comptoir audit verify --json'],
  async run(ctx) {
    const page = await verifyChain(ctx.client());
    const verdict: AuditVerdict = {
      valid: page.valid,
      events: page.events,
      head: page.head,
      ...(page.brokenSeq !== undefined ? { brokenSeq: page.brokenSeq } : {}),
      ...(page.reason ? { reason: page.reason } : {}),
    };
    if (!verdict.valid) {
      throw new VerificationError(`the audit chain is broken at seq ${verdict.brokenSeq ?? '?'}${verdict.reason ? `: ${verdict.reason}` : ''}`, 'audit_chain_broken', verdict);
    }
    ctx.out.result(verdict, () => [
      `The audit chain is intact: ${verdict.events} event(s) checked.`,
      ...fields([
        ['head seq', verdict.head.seq],
        ['head hash', verdict.head.hash],
      ]),
    ]);
  },
};
