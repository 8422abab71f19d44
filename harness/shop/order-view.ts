import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadView, readPointer } from '../../functions/views/adapters/dynamo.js';
import { orderSummary } from '../../functions/views/domain/render.js';

/**
 * The console's "order now": the order's view in the read model's active version, read with the
 * views service's own adapters, in the shape `GET /customers/me/orders` lists it (no token
 * needed: the console is local only). Undefined when the correlation id is no order the read
 * model has projected.
 */
export function orderViewReader(endpoint: string, region: string, tableName: string) {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const pointer = readPointer(db, tableName);
  const load = loadView(db, tableName);
  const read = async (orderId: string): Promise<unknown> => {
    const stored = await load((await pointer()).active, orderId);
    return stored ? orderSummary(stored.view) : undefined;
  };
  return { read, close: () => db.destroy() };
}
