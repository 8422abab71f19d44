import { BatchWriteCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { VERSION_PREFIX } from '../../functions/views/adapters/keys.js';
import { pause } from '../shared/cli.js';

const BATCH = 25;

/**
 * Deletes every view item of a version other than `keep`: the version a
 * rebuild replaced, and anything an interrupted rebuild or a write racing the
 * take-over left behind. Readers read `keep` only, so this is housekeeping.
 * Returns how many items it deleted.
 */
export async function deleteOtherVersions(
  db: DynamoDBDocumentClient,
  table: string,
  keep: number,
): Promise<number> {
  let deleted = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: table,
        ProjectionExpression: 'pk',
        FilterExpression: 'begins_with(pk, :views) AND projectionVersion <> :keep',
        ExpressionAttributeValues: { ':views': VERSION_PREFIX, ':keep': keep },
        ...(start && { ExclusiveStartKey: start }),
      }),
    );
    const keys = (page.Items ?? []).map((i) => ({ pk: i['pk'] as string }));
    for (let i = 0; i < keys.length; i += BATCH) {
      await deleteAll(db, table, keys.slice(i, i + BATCH));
      deleted += keys.slice(i, i + BATCH).length;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return deleted;
}

async function deleteAll(
  db: DynamoDBDocumentClient,
  table: string,
  keys: { pk: string }[],
): Promise<void> {
  let requests = keys.map((Key) => ({ DeleteRequest: { Key } }));
  for (let attempt = 0; requests.length > 0; attempt++) {
    if (attempt > 0) await pause(Math.min(2_000, 50 * 2 ** attempt));
    const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
    requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
    if (attempt > 10 && requests.length) {
      throw new Error(
        `DynamoDB kept ${requests.length} deletes of old view items unprocessed; run the rebuild's sweep again later.`,
      );
    }
  }
}
