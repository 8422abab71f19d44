/**
 * DynamoDB's request units as DynamoDB Local computes them, for a cost model: while the
 * meter runs, the proxy asks for `ReturnConsumedCapacity: INDEXES` on every call that takes
 * it, adds the answer here, and strips it again from what a caller that did not ask sees.
 * DynamoDB Local applies AWS's rules (writes per 1 KB, reads per 4 KB, eventually consistent
 * reads at half, transactions at twice, each GSI written to), so the units are AWS's, not ours.
 * Off by default: it costs a parse and a serialisation per call.
 */
export interface TableUnits {
  /** Read request units (on-demand) or read capacity units consumed. */
  read: number;
  /** Write request units, GSI writes included. */
  write: number;
}

/** The actions that accept ReturnConsumedCapacity, and whether what they consume is read or write. */
const METERED: Readonly<Record<string, 'read' | 'write'>> = {
  GetItem: 'read',
  BatchGetItem: 'read',
  Query: 'read',
  Scan: 'read',
  TransactGetItems: 'read',
  PutItem: 'write',
  UpdateItem: 'write',
  DeleteItem: 'write',
  BatchWriteItem: 'write',
  TransactWriteItems: 'write',
  // PartiQL is left out: a statement reads or writes, and the shop sends none.
};

interface Consumed {
  TableName?: string;
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

export class CapacityMeter {
  private running = false;
  private readonly byTable = new Map<string, TableUnits>();

  /** Starts (or goes on) metering; `reset` zeroes what was counted. */
  start(): void {
    this.running = true;
  }

  stop(): void {
    this.running = false;
  }

  reset(): void {
    this.byTable.clear();
  }

  get enabled(): boolean {
    return this.running;
  }

  /** Units consumed per table since the last reset. */
  totals(): Record<string, TableUnits> {
    return Object.fromEntries([...this.byTable].map(([t, u]) => [t, { ...u }]));
  }

  /**
   * The request body to send, and whether to strip ConsumedCapacity from the answer; the body
   * unchanged when the action takes no ReturnConsumedCapacity or the meter is off.
   */
  prepare(action: string, body: string): { body: string; strip: boolean } {
    if (!this.running || !METERED[action]) return { body, strip: false };
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

  /** Counts the answer's ConsumedCapacity; returns the body the caller should see. */
  settle(action: string, status: number, body: string, strip: boolean): string {
    const kind = METERED[action];
    if (!this.running || !kind || status !== 200) return body;
    let out: Record<string, unknown>;
    try {
      out = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return body;
    }
    const consumed = out['ConsumedCapacity'] as Consumed | Consumed[] | undefined;
    for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
      const table = c.TableName ?? '(unknown)';
      const units = this.byTable.get(table) ?? { read: 0, write: 0 };
      // Transactions and PartiQL answer a total only; reads and writes come apart by action.
      const total = c.CapacityUnits ?? 0;
      if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
        units.read += c.ReadCapacityUnits ?? 0;
        units.write += c.WriteCapacityUnits ?? 0;
      } else units[kind] += total;
      this.byTable.set(table, units);
    }
    if (!strip) return body;
    delete out['ConsumedCapacity'];
    return JSON.stringify(out);
  }
}
