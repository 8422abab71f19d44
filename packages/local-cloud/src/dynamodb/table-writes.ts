/**
 * Which tables were just written to, for the stream event-source mappings: they read a
 * stream at once after a write instead of waiting out their poll interval. AWS's stream
 * pollers see a record within about 200 ms of the write; a fixed local 250 ms poll made
 * each outbox hop wait 125 ms on average, several times per order.
 */
export class TableWrites {
  private readonly listeners = new Map<string, Set<() => void>>();

  /** Calls `listener` after each successful write to `tableName`; returns the unsubscribe. */
  onWrite(tableName: string, listener: () => void): () => void {
    let set = this.listeners.get(tableName);
    if (!set) this.listeners.set(tableName, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** After a write to these tables; `'*'` when the tables are not known (PartiQL). */
  notify(tableNames: readonly string[] | '*'): void {
    if (tableNames === '*') {
      for (const set of this.listeners.values()) for (const l of set) l();
      return;
    }
    for (const name of tableNames) for (const l of this.listeners.get(name) ?? []) l();
  }
}

const SINGLE_ITEM_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);
const PARTIQL_WRITES = new Set(['ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction']);

/**
 * The tables a DynamoDB request writes to, read from its JSON body; undefined for an action
 * that writes nothing. PartiQL names its tables inside statements: '*' (wake every reader).
 */
export function writtenTables(action: string, body: string): readonly string[] | '*' | undefined {
  if (PARTIQL_WRITES.has(action)) return '*';
  const single = SINGLE_ITEM_WRITES.has(action);
  if (!single && action !== 'BatchWriteItem' && action !== 'TransactWriteItems') return undefined;
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (single) return typeof input['TableName'] === 'string' ? [input['TableName']] : [];
  if (action === 'BatchWriteItem') return Object.keys((input['RequestItems'] as object) ?? {});
  const names = new Set<string>();
  for (const item of (input['TransactItems'] as Record<string, { TableName?: unknown }>[]) ?? []) {
    for (const op of Object.values(item ?? {})) {
      if (typeof op?.TableName === 'string') names.add(op.TableName);
    }
  }
  return [...names];
}

/** `arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>` -> `<name>`. */
export function tableOfStreamArn(streamArn: string): string | undefined {
  return /:table\/([^/]+)\/stream\//.exec(streamArn)?.[1];
}
