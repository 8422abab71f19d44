import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FIRST_VERSION, POINTER_KEY } from '../../functions/views/adapters/keys.js';
import { CliError } from '../shared/cli.js';

export interface Pointer {
  readonly active: number;
  readonly building?: number;
}

export async function readPointer(db: DynamoDBDocumentClient, table: string): Promise<Pointer> {
  const { Item } = await db.send(
    new GetCommand({ TableName: table, Key: POINTER_KEY, ConsistentRead: true }),
  );
  const active = Item?.['active'];
  const building = Item?.['building'];
  return {
    active: typeof active === 'number' ? active : FIRST_VERSION,
    ...(typeof building === 'number' && { building }),
  };
}

/** Names `next` the building version, if the pointer is still what was read. */
export async function startBuilding(
  db: DynamoDBDocumentClient,
  table: string,
  read: Pointer,
  next: number,
): Promise<void> {
  await conditional(
    db.send(
      new UpdateCommand({
        TableName: table,
        Key: POINTER_KEY,
        UpdateExpression:
          'SET active = if_not_exists(active, :active), building = :next, kind = :kind',
        ConditionExpression:
          '(attribute_not_exists(active) OR active = :active) AND ' +
          (read.building === undefined ? 'attribute_not_exists(building)' : 'building = :was'),
        ExpressionAttributeValues: {
          ':active': read.active,
          ':next': next,
          ':kind': 'projection-pointer',
          ...(read.building !== undefined && { ':was': read.building }),
        },
      }),
    ),
    'start building',
  );
}

/** The take-over: `building` becomes active and is no longer building, in one conditional write. */
export async function flipActive(
  db: DynamoDBDocumentClient,
  table: string,
  from: number,
  to: number,
): Promise<void> {
  await conditional(
    db.send(
      new UpdateCommand({
        TableName: table,
        Key: POINTER_KEY,
        UpdateExpression: 'SET active = :to REMOVE building',
        ConditionExpression: '(attribute_not_exists(active) OR active = :from) AND building = :to',
        ExpressionAttributeValues: { ':from': from, ':to': to },
      }),
    ),
    `make version ${to} active`,
  );
}

/** Stops feeding `building` (a cancelled or failed rebuild); readers never saw it. */
export async function abandonBuilding(
  db: DynamoDBDocumentClient,
  table: string,
  building: number,
): Promise<void> {
  await conditional(
    db.send(
      new UpdateCommand({
        TableName: table,
        Key: POINTER_KEY,
        UpdateExpression: 'REMOVE building',
        ConditionExpression: 'building = :building',
        ExpressionAttributeValues: { ':building': building },
      }),
    ),
    `abandon version ${building}`,
  );
}

async function conditional(write: Promise<unknown>, what: string): Promise<void> {
  try {
    await write;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) {
      throw new CliError(
        `Could not ${what}: the projection pointer changed meanwhile (another rebuild is running?). ` +
          `Nothing readers use was changed; check with --dry-run and run again.`,
      );
    }
    throw err;
  }
}
