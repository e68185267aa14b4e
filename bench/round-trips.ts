import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The partition family of a key: `SUB#abc` → `SUB`, `DATASET#x#SUBS` → `DATASET`. */
const family = (key: unknown): string => {
  const pk = (key as { pk?: unknown } | undefined)?.pk;
  return String((pk as { S?: string } | undefined)?.S ?? pk ?? '?').split('#')[0]!;
};

/** What one command touches, as `Command(FAMILY+FAMILY…)`, so a count says who made it. */
function describe(commandName: string, input: Record<string, any>): string {
  const name = commandName.replace(/Command$/, '');
  if (input.TransactItems) return `${name}(${(input.TransactItems as Record<string, any>[]).map((i) => family(Object.values(i)[0]?.Key ?? Object.values(i)[0]?.Item)).sort().join('+')})`;
  if (input.RequestItems) return `${name}(${Object.values(input.RequestItems as Record<string, any>).flatMap((r) => (r.Keys ?? r).map((k: any) => family(k.PutRequest?.Item ?? k.DeleteRequest?.Key ?? k))).filter((f, i, all) => all.indexOf(f) === i).sort().join('+')})`;
  if (input.IndexName) return `${name}(${input.IndexName}:${family({ pk: Object.values(input.ExpressionAttributeValues ?? {})[0] })})`;
  return `${name}(${family(input.Key ?? input.Item ?? { pk: input.ExpressionAttributeValues?.[':pk'] })})`;
}

/** Counts the round trips the process makes to the table, per command and key family, between start and stop. */
export class RoundTrips {
  private counts = new Map<string, number>();
  private on = false;

  constructor(client: DynamoDBDocumentClient) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (this.on) {
          const what = describe(context.commandName ?? '?', args.input as Record<string, any>);
          this.counts.set(what, (this.counts.get(what) ?? 0) + 1);
        }
        return next(args);
      },
      { step: 'initialize', name: 'benchRoundTrips' },
    );
  }

  start(): void {
    this.counts = new Map();
    this.on = true;
  }

  stop(): Map<string, number> {
    this.on = false;
    return this.counts;
  }
}
