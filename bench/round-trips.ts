import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The partition family of a key: `SUB#abc` → `SUB`, `DATASET#x#SUBS` → `DATASET`. */
const family = (key: unknown): string => {
  const pk = (key as { pk?: unknown } | undefined)?.pk;
  return String((pk as { S?: string } | undefined)?.S ?? pk ?? '?').split('#')[0]!;
};

/** What one command touches, as `Command(FAMILY+FAMILY…)`, so a count says who made it. */
function describe(commandName: string, input: Record<string, any>): string {
  const name = commandName.replace(/Command$/, '');
  if (input.TransactItems) return `${name}(${[...new Set((input.TransactItems as Record<string, any>[]).map((i) => family(Object.values(i)[0]?.Key ?? Object.values(i)[0]?.Item)))].sort().join('+')})`;
  if (input.RequestItems) return `${name}(${Object.values(input.RequestItems as Record<string, any>).flatMap((r) => (r.Keys ?? r).map((k: any) => family(k.PutRequest?.Item ?? k.DeleteRequest?.Key ?? k))).filter((f, i, all) => all.indexOf(f) === i).sort().join('+')})`;
  if (input.IndexName) return `${name}(${input.IndexName}:${family({ pk: Object.values(input.ExpressionAttributeValues ?? {})[0] })})`;
  return `${name}(${family(input.Key ?? input.Item ?? { pk: input.ExpressionAttributeValues?.[':pk'] })})`;
}

function itemsOf(input: Record<string, any>): number {
  if (input.TransactItems) return (input.TransactItems as unknown[]).length;
  if (input.RequestItems) return Object.values(input.RequestItems as Record<string, any>).reduce((n: number, r) => n + (r.Keys ?? r).length, 0);
  return 1;
}

/** Counts the round trips the process makes to the table, per command and key family, between start and stop. */
export class RoundTrips {
  private static readonly byClient = new WeakMap<DynamoDBDocumentClient, RoundTrips>();

  /** The one counter of a client: a client's middleware names are unique, and every bench part counts on the same client. */
  static of(client: DynamoDBDocumentClient): RoundTrips {
    const known = RoundTrips.byClient.get(client);
    if (known) return known;
    const made = new RoundTrips(client);
    RoundTrips.byClient.set(client, made);
    return made;
  }

  private counts = new Map<string, number>();
  /** Items each command named (a transaction's items, a batch's keys), per command and key family. */
  private items = new Map<string, number>();
  private on = false;

  private constructor(client: DynamoDBDocumentClient) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (this.on) {
          const what = describe(context.commandName ?? '?', args.input as Record<string, any>);
          this.counts.set(what, (this.counts.get(what) ?? 0) + 1);
          this.items.set(what, (this.items.get(what) ?? 0) + itemsOf(args.input as Record<string, any>));
        }
        return next(args);
      },
      { step: 'initialize', name: 'benchRoundTrips' },
    );
  }

  start(): void {
    this.counts = new Map();
    this.items = new Map();
    this.on = true;
  }

  stop(): { trips: Map<string, number>; items: Map<string, number> } {
    this.on = false;
    return { trips: this.counts, items: this.items };
  }
}
