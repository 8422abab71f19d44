import { itemSize, writeUnits, type Item } from './item-size.js';

/**
 * DynamoDB's request units for a cost model. While the meter runs:
 * - reads: the proxy asks DynamoDB Local for `ReturnConsumedCapacity: INDEXES`, adds the
 *   answer here, and strips it again from what a caller that did not ask sees. DynamoDB
 *   Local applies AWS's read rules (4 KB units, eventually consistent at half, transactional
 *   at twice).
 * - writes are computed here, by AWS's rules, from each written item's image before and after
 *   the call (read straight from DynamoDB Local around it): the larger of the two per 1 KB,
 *   at least one unit, every item of a transaction at twice, and each global secondary index
 *   whose entry the write adds, changes or removes (two writes when its key changes).
 *   DynamoDB Local's own write figures cannot be used: for a TransactWriteItems it answers
 *   about one item's units whatever the number of items, and it charges an index on every
 *   write, changed or not.
 * A conditional single-item write whose condition fails is charged the item it checked, as
 * AWS does; a cancelled transaction is charged nothing (AWS bills its attempted items; the
 * shop's happy paths cancel none). The images are read outside the call, so with concurrent
 * writers to one item the figure is approximate; the cost benchmark runs one order at a time.
 * Off by default: it costs a parse per call and two reads per written item.
 */
export interface TableUnits {
  /** Read request units (on-demand) or read capacity units consumed. */
  read: number;
  /** Write request units, GSI writes included. */
  write: number;
}

/** DynamoDB Local, called directly: the meter's reads of images and table descriptions. */
export type EngineCall = (
  action: string,
  input: object,
) => Promise<{ status: number; body: string }>;

/** The actions that accept ReturnConsumedCapacity and read. */
const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
// PartiQL is left out: a statement reads or writes, and the shop sends none.
const WRITES = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);

interface Consumed {
  TableName?: string;
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
}

interface Index {
  keys: string[];
  /** Attributes an entry holds besides the keys; 'ALL' for the whole item. */
  projected: string[] | 'ALL';
}

interface Schema {
  keys: string[];
  indexes: Index[];
}

interface Target {
  table: string;
  key?: Item;
  item?: Item;
  op: 'put' | 'update' | 'delete' | 'check';
  /** 2 inside a transaction. */
  factor: number;
}

type Response = { status: number; body: string };

/** A TransactWriteItems member's kind, as the meter's operation. */
const TRANSACT_OPS = {
  Put: 'put',
  Update: 'update',
  Delete: 'delete',
  ConditionCheck: 'check',
} as const;

export class CapacityMeter {
  private running = false;
  private readonly byTable = new Map<string, TableUnits>();
  private readonly schemas = new Map<string, Promise<Schema>>();

  /** Starts (or goes on) metering; `reset` zeroes what was counted. */
  start(): void {
    this.running = true;
  }

  stop(): void {
    this.running = false;
  }

  reset(): void {
    this.byTable.clear();
    this.schemas.clear();
  }

  /** Units consumed per table since the last reset. */
  totals(): Record<string, TableUnits> {
    return Object.fromEntries([...this.byTable].map(([t, u]) => [t, { ...u }]));
  }

  /** How the meter counts `action` while it runs: a read (`prepare`, `settle`) or a write (`write`). */
  meters(action: string): 'read' | 'write' | undefined {
    if (!this.running) return undefined;
    return READS.has(action) ? 'read' : WRITES.has(action) ? 'write' : undefined;
  }

  /**
   * The request body to send for a read, and whether to strip ConsumedCapacity from the answer;
   * the body unchanged when the action is no read or the meter is off.
   */
  prepare(action: string, body: string): { body: string; strip: boolean } {
    if (!this.running || !READS.has(action)) return { body, strip: false };
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return { body, strip: false };
    }
    const asked = input['ReturnConsumedCapacity'];
    if (asked === 'INDEXES') return { body, strip: false };
    input['ReturnConsumedCapacity'] = 'INDEXES';
    // A caller that asked for TOTAL gets INDEXES' superset; only one that asked for nothing
    // (or NONE) has it taken away again.
    return { body: JSON.stringify(input), strip: asked === undefined || asked === 'NONE' };
  }

  /** Counts a read's ConsumedCapacity; returns the body the caller should see. */
  settle(action: string, status: number, body: string, strip: boolean): string {
    if (!this.running || !READS.has(action) || status !== 200) return body;
    let out: Record<string, unknown>;
    try {
      out = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return body;
    }
    const consumed = out['ConsumedCapacity'] as Consumed | Consumed[] | undefined;
    for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
      this.add(c.TableName ?? '(unknown)', 'read', c.ReadCapacityUnits ?? c.CapacityUnits ?? 0);
    }
    if (!strip) return body;
    delete out['ConsumedCapacity'];
    return JSON.stringify(out);
  }

  /**
   * Runs a write (`forward`) between reads of the images it changes, and counts its units.
   * The call itself goes through unchanged.
   */
  async write<R extends Response>(
    action: string,
    body: string,
    engine: EngineCall,
    forward: () => Promise<R>,
  ): Promise<R> {
    let targets: Target[];
    let schemas: Schema[];
    try {
      targets = writeTargets(action, JSON.parse(body) as Record<string, unknown>);
      schemas = await Promise.all(targets.map((t) => this.schema(t.table, engine)));
      for (const [i, t] of targets.entries()) t.key ??= pick(t.item!, schemas[i]!.keys);
    } catch {
      return forward();
    }
    const before = await Promise.all(targets.map((t) => image(engine, t)));
    const res = await forward();
    if (res.status === 200) {
      const after = await Promise.all(targets.map((t) => image(engine, t)));
      for (const [i, t] of targets.entries()) {
        this.add(t.table, 'write', itemUnits(t, schemas[i]!, before[i], after[i]));
      }
    } else if (
      targets.length === 1 &&
      action !== 'TransactWriteItems' &&
      res.body.includes('ConditionalCheckFailedException')
    ) {
      this.add(targets[0]!.table, 'write', writeUnits(itemSize(before[0])));
    }
    return res;
  }

  private add(table: string, kind: 'read' | 'write', units: number): void {
    const totals = this.byTable.get(table) ?? { read: 0, write: 0 };
    totals[kind] += units;
    this.byTable.set(table, totals);
  }

  private schema(table: string, engine: EngineCall): Promise<Schema> {
    let known = this.schemas.get(table);
    if (!known) {
      known = describe(table, engine);
      known.catch(() => this.schemas.delete(table));
      this.schemas.set(table, known);
    }
    return known;
  }
}

/** The units one item's write costs: the table's, and each index entry it adds, changes or drops. */
export function itemUnits(
  target: Pick<Target, 'op' | 'factor'>,
  schema: Schema,
  before: Item | undefined,
  after: Item | undefined,
): number {
  const size =
    target.op === 'delete' || target.op === 'check'
      ? itemSize(before)
      : Math.max(itemSize(before), itemSize(after));
  let units = writeUnits(size);
  if (target.op !== 'check') {
    for (const index of schema.indexes) {
      const was = project(before, schema.keys, index);
      const is = project(after, schema.keys, index);
      if (!was && !is) continue;
      if (!was) units += writeUnits(itemSize(is));
      else if (!is) units += writeUnits(itemSize(was));
      else if (index.keys.some((k) => stable(was[k]) !== stable(is[k]))) {
        units += writeUnits(itemSize(was)) + writeUnits(itemSize(is));
      } else if (stable(was) !== stable(is)) units += writeUnits(itemSize(is));
    }
  }
  return units * target.factor;
}

function writeTargets(action: string, input: Record<string, unknown>): Target[] {
  const table = input['TableName'] as string;
  switch (action) {
    case 'PutItem':
      return [{ table, item: input['Item'] as Item, op: 'put', factor: 1 }];
    case 'UpdateItem':
      return [{ table, key: input['Key'] as Item, op: 'update', factor: 1 }];
    case 'DeleteItem':
      return [{ table, key: input['Key'] as Item, op: 'delete', factor: 1 }];
    case 'BatchWriteItem':
      return Object.entries(
        input['RequestItems'] as Record<string, Record<string, { Item?: Item; Key?: Item }>[]>,
      ).flatMap(([name, requests]) =>
        requests.map((r): Target =>
          r['PutRequest']
            ? { table: name, item: r['PutRequest'].Item!, op: 'put', factor: 1 }
            : { table: name, key: r['DeleteRequest']!.Key!, op: 'delete', factor: 1 },
        ),
      );
    case 'TransactWriteItems':
      return (
        input['TransactItems'] as Record<string, { TableName: string; Item?: Item; Key?: Item }>[]
      ).map((t): Target => {
        const [kind, op] = Object.entries(t)[0]!;
        return {
          table: op.TableName,
          key: op.Key,
          item: op.Item,
          op: TRANSACT_OPS[kind as keyof typeof TRANSACT_OPS],
          factor: 2,
        };
      });
    default:
      return [];
  }
}

async function describe(table: string, engine: EngineCall): Promise<Schema> {
  const res = await engine('DescribeTable', { TableName: table });
  if (res.status !== 200) throw new Error(`DescribeTable ${table}: ${res.status}`);
  const t = (
    JSON.parse(res.body) as {
      Table: {
        KeySchema: { AttributeName: string }[];
        GlobalSecondaryIndexes?: {
          KeySchema: { AttributeName: string }[];
          Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] };
        }[];
      };
    }
  ).Table;
  return {
    keys: t.KeySchema.map((k) => k.AttributeName),
    indexes: (t.GlobalSecondaryIndexes ?? []).map((g) => ({
      keys: g.KeySchema.map((k) => k.AttributeName),
      projected:
        g.Projection?.ProjectionType === 'ALL'
          ? 'ALL'
          : g.Projection?.ProjectionType === 'INCLUDE'
            ? (g.Projection.NonKeyAttributes ?? [])
            : [],
    })),
  };
}

async function image(engine: EngineCall, target: Target): Promise<Item | undefined> {
  const res = await engine('GetItem', {
    TableName: target.table,
    Key: target.key,
    ConsistentRead: true,
  });
  if (res.status !== 200) return undefined;
  return (JSON.parse(res.body) as { Item?: Item }).Item;
}

/** An item's entry in an index: undefined when the item lacks one of the index's keys. */
function project(item: Item | undefined, tableKeys: string[], index: Index): Item | undefined {
  if (!item || index.keys.some((k) => item[k] === undefined)) return undefined;
  if (index.projected === 'ALL') return item;
  return pick(item, [...new Set([...tableKeys, ...index.keys, ...index.projected])]);
}

function pick(item: Item, names: readonly string[]): Item {
  return Object.fromEntries(names.filter((n) => item[n] !== undefined).map((n) => [n, item[n]!]));
}

/** JSON with object keys sorted, so two images compare by content. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
