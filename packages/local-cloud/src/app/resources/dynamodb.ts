/** AWS::DynamoDB::Table and AWS::DynamoDB::GlobalTable (CDK's TableV2), created on the edge. */
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { prop, type ResourceContext, type ResourceHandler } from './types.js';

type Obj = Record<string, unknown>;

const num = (v: unknown) => (v === undefined ? undefined : Number(v));

function throughput(
  v: unknown,
  fallback?: { ReadCapacityUnits: number; WriteCapacityUnits: number },
) {
  const p = v as Obj | undefined;
  if (!p) return fallback;
  return {
    ReadCapacityUnits: num(p['ReadCapacityUnits'])!,
    WriteCapacityUnits: num(p['WriteCapacityUnits'])!,
  };
}

/** Keeps only what CreateTable takes from an index definition. */
function index(i: Obj, provisioned: boolean) {
  return {
    IndexName: i['IndexName'] as string,
    KeySchema: i['KeySchema'] as CreateTableCommandInput['KeySchema'],
    Projection: i['Projection'] as Obj,
    ...(provisioned
      ? {
          ProvisionedThroughput: throughput(i['ProvisionedThroughput'], {
            ReadCapacityUnits: 5,
            WriteCapacityUnits: 5,
          }),
        }
      : {}),
  };
}

async function createTable(ctx: ResourceContext, input: CreateTableCommandInput, ttl?: Obj) {
  const ddb = ctx.env.dynamodb;
  let table: TableDescription | undefined;
  try {
    table = (await ddb.send(new CreateTableCommand(input))).TableDescription;
  } catch (e) {
    // Kept from an earlier run (--persist): the stable generated name finds it again.
    if (!(e instanceof ResourceInUseException)) throw e;
    ctx.env.log(`${ctx.where}: table ${input.TableName} already exists; kept as it is`);
  }
  for (let i = 0; i < 100 && table?.TableStatus !== 'ACTIVE'; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 50));
    table = (await ddb.send(new DescribeTableCommand({ TableName: input.TableName }))).Table;
  }
  if (ttl && (ttl['Enabled'] === true || ttl['Enabled'] === 'true')) {
    await ddb
      .send(
        new UpdateTimeToLiveCommand({
          TableName: input.TableName,
          TimeToLiveSpecification: { AttributeName: ttl['AttributeName'] as string, Enabled: true },
        }),
      )
      .catch((e: Error) => {
        // Re-enabling TTL on a kept table is refused; anything else is real.
        if (!/already enabled/i.test(e.message)) throw e;
      });
  }
  return {
    physicalId: input.TableName!,
    attributes: {
      Arn: table?.TableArn,
      StreamArn: table?.LatestStreamArn,
      TableId: table?.TableId,
    },
  };
}

export const table: ResourceHandler = async (ctx) => {
  // GlobalTable has no ProvisionedThroughput (autoscaling settings instead): 5/5 then.
  const p = ctx.properties;
  const billing = prop(ctx, 'BillingMode', 'string') ?? 'PROVISIONED';
  const provisioned = billing === 'PROVISIONED';
  const stream = p['StreamSpecification'] as Obj | undefined;
  const input: CreateTableCommandInput = {
    TableName: prop(ctx, 'TableName', 'string') ?? ctx.generateName(),
    KeySchema: p['KeySchema'] as CreateTableCommandInput['KeySchema'],
    AttributeDefinitions: p[
      'AttributeDefinitions'
    ] as CreateTableCommandInput['AttributeDefinitions'],
    BillingMode: billing as 'PROVISIONED' | 'PAY_PER_REQUEST',
    ...(provisioned
      ? {
          ProvisionedThroughput: throughput(p['ProvisionedThroughput'], {
            ReadCapacityUnits: 5,
            WriteCapacityUnits: 5,
          }),
        }
      : {}),
    ...(p['GlobalSecondaryIndexes']
      ? {
          GlobalSecondaryIndexes: (p['GlobalSecondaryIndexes'] as Obj[]).map((i) =>
            index(i, provisioned),
          ),
        }
      : {}),
    ...(p['LocalSecondaryIndexes']
      ? { LocalSecondaryIndexes: (p['LocalSecondaryIndexes'] as Obj[]).map((i) => index(i, false)) }
      : {}),
    ...(stream?.['StreamViewType']
      ? {
          StreamSpecification: {
            StreamEnabled: true,
            StreamViewType: stream['StreamViewType'] as 'NEW_IMAGE',
          },
        }
      : {}),
  };
  return createTable(ctx, input, p['TimeToLiveSpecification'] as Obj | undefined);
};

/**
 * TableV2 synthesizes a GlobalTable: the same keys, indexes, stream and TTL.
 * One replica exists here (the local region); its capacity settings default to 5/5.
 */
export const globalTable: ResourceHandler = table;
