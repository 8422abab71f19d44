import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * The item actions each kind of function needs, from the calls our code makes
 * (no Scan, BatchWriteItem or DeleteItem unless a caller makes them):
 * - read: GetItem, TransactGetItems (per item a GetItem) and Query (the gsi1 listings);
 * - write: reads of items plus TransactWriteItems of Put/Update/ConditionCheck and UpdateItem,
 *   what the HTTP write routes and the bus consumers call (a consumer deduplicates in its state
 *   transaction, ADR 18);
 * - idempotent: write plus DeleteItem, which Powertools idempotency calls to drop the record of
 *   an attempt that failed, so the retry runs again (the one consumer that keeps it, the export
 *   callback: plumbing/once-per-event.ts).
 */
export const ITEM_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  write: [
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:ConditionCheckItem',
  ],
  idempotent: [
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:ConditionCheckItem',
    'dynamodb:DeleteItem',
  ],
} as const;

/** Name of the optional secondary index and its keys (see the service layout notes). */
export const GSI1 = { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' } as const;

export interface ServiceTableProps {
  /**
   * The service emits events through the transactional outbox: turns the table's
   * stream on (NEW_IMAGE) for the OutboxPublisher.
   * @default false
   */
  readonly outbox?: boolean;
  /**
   * Adds the `gsi1` index (`gsi1pk` / `gsi1sk`, strings) for a second access path: every
   * attribute projected (`true`), or the keys and only the attributes named in `include`, so
   * each write copies a small item into the index rather than the whole one.
   * @default false
   */
  readonly gsi1?: boolean | { readonly include: readonly string[] };
  /**
   * What happens to the data when the resource leaves the stack.
   * @default RemovalPolicy.RETAIN (use DESTROY for throwaway dev stacks only)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The one table a service owns: partition key `pk` (string) only, on-demand,
 * point-in-time recovery, AWS-managed encryption, TTL on `ttl` (idempotency
 * records, outbox rows and processed markers expire by it).
 */
export class ServiceTable extends Table {
  private readonly withGsi1: boolean;

  constructor(scope: Construct, id: string, props: ServiceTableProps = {}) {
    super(scope, id, {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      // The outbox needs only the inserted row; NEW_IMAGE halves stream record size.
      stream: props.outbox ? StreamViewType.NEW_IMAGE : undefined,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: 'ttl',
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.withGsi1 = !!props.gsi1;
    if (props.gsi1) {
      const include = typeof props.gsi1 === 'object' ? props.gsi1.include : undefined;
      this.addGlobalSecondaryIndex({
        indexName: GSI1.indexName,
        partitionKey: { name: GSI1.partitionKey, type: AttributeType.STRING },
        sortKey: { name: GSI1.sortKey, type: AttributeType.STRING },
        ...(include && {
          projectionType: ProjectionType.INCLUDE,
          nonKeyAttributes: [...include],
        }),
      });
    }
  }

  /** GetItem and (on gsi1) Query: what the read-only routes call. */
  public grantReadItems(grantee: IGrantable) {
    return this.grantItems(grantee, ITEM_ACTIONS.read);
  }

  /** Reads and conditional writes of items: what the HTTP write routes call. */
  public grantWriteItems(grantee: IGrantable) {
    return this.grantItems(grantee, ITEM_ACTIONS.write);
  }

  /** Writes plus the DeleteItem of Powertools idempotency: a consumer whose effect is outside the table. */
  public grantIdempotentItems(grantee: IGrantable) {
    return this.grantItems(grantee, ITEM_ACTIONS.idempotent);
  }

  private grantItems(grantee: IGrantable, actions: readonly string[]) {
    // Query is the one action that reaches the index; the rest name the table only.
    // The index is named, not index/*: a later index is not readable by accident.
    const onIndex = this.withGsi1 && actions.includes('dynamodb:Query');
    return Grant.addToPrincipal({
      grantee,
      actions: [...actions],
      resourceArns: onIndex
        ? [this.tableArn, `${this.tableArn}/index/${GSI1.indexName}`]
        : [this.tableArn],
    });
  }
}
