import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';

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
   * Adds the `gsi1` index (`gsi1pk` / `gsi1sk`, strings, all attributes projected)
   * for a second access path.
   * @default false
   */
  readonly gsi1?: boolean;
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
    if (props.gsi1) {
      this.addGlobalSecondaryIndex({
        indexName: GSI1.indexName,
        partitionKey: { name: GSI1.partitionKey, type: AttributeType.STRING },
        sortKey: { name: GSI1.sortKey, type: AttributeType.STRING },
      });
    }
  }
}
