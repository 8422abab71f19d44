import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { FIRST_VERSION, POINTER_KEY, viewKey } from '../../functions/views/adapters/keys.js';
import { viewFromItem } from '../../functions/views/adapters/view-item.js';
import { orderSummary } from '../../functions/views/domain/render.js';

/**
 * The console's "order now": the order's view in the read model's active version, read from the
 * views table, in the shape `GET /customers/me/orders` lists it (no token needed: the console is
 * local only).
 * Undefined when the correlation id is no order the read model has projected.
 */
export function orderViewReader(endpoint: string, region: string, tableName: string) {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const read = async (orderId: string): Promise<unknown> => {
    const { Item: pointer } = await db.send(
      new GetCommand({ TableName: tableName, Key: POINTER_KEY }),
    );
    const active = typeof pointer?.['active'] === 'number' ? pointer['active'] : FIRST_VERSION;
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: viewKey(active, orderId) }),
    );
    return Item ? orderSummary(viewFromItem(Item).view) : undefined;
  };
  return { read, close: () => db.destroy() };
}
