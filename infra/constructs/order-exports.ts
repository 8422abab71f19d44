import { Duration } from 'aws-cdk-lib';
import { HttpMethod, type IHttpApi, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { ProjectionType } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { exportCallbackConsumes, exportJobConsumes } from '../../functions/orders/consumes.js';
import { handlerEntry } from '../paths.js';
import { ApiRoute } from './api-route.js';
import type { OrderExportsBucket } from './order-exports-bucket.js';
import { PII_CONTEXT_KEY } from './pii.js';
import { ServiceFunction, type ServiceLogLevel } from './service-function.js';
import type { ServiceTable } from './service-table.js';
import { Subscription } from './subscription.js';

/** The indexes of the orders table that exports read by, and what they project. */
export const ORDER_EXPORT_INDEXES = {
  byCustomer: { indexName: 'ordersByCustomer', partitionKey: 'customerId', sortKey: 'placedAt' },
  byDay: { indexName: 'ordersByDay', partitionKey: 'placedDay', sortKey: 'placedAt' },
} as const;
/** What an export row needs; the sealed address and token stay out of the indexes. */
const PROJECTED = ['orderId', 'status', 'lines', 'pricing', 'reason'];

/** The KMS encryption context an export's callback secret is sealed under. */
export const CALLBACK_SECRET_CONTEXT = 'exportCallbackSecret';

/**
 * Receives of a callback before it is dead-lettered: with the backoff of
 * functions/orders/domain/exports/callback-backoff.ts (10 s doubling to 1 h,
 * jittered to 80-100%), 35 receives span 21 to 26 hours. The queue keeps a
 * message 4 days (SQS's default), longer than that.
 */
export const CALLBACK_MAX_RECEIVES = 35;

export interface OrderExportsProps {
  /** The orders table: exports are items of it, and the orders are read from its indexes. */
  readonly table: ServiceTable;
  readonly bucket: OrderExportsBucket;
  readonly bus: IEventBus;
  /** The platform's key; the callback secret is sealed under it with its own context. */
  readonly piiKey: IKey;
  readonly httpApi: IHttpApi;
  readonly authorizer: IHttpRouteAuthorizer;
  /**
   * Accept callback URLs on http:// to a loopback host: for a local run only
   * (everything else must be https://).
   * @default false
   */
  readonly allowLoopbackCallbacks?: boolean;
  /** Most export jobs running at once: the backpressure on the table and the bucket. @default 2 */
  readonly maxConcurrentExports?: number;
  readonly logLevel?: ServiceLogLevel;
  readonly logRetention?: RetentionDays;
}

/**
 * Order exports, the asynchronous request-reply of the orders service
 * (docs/adr/0015-exports-asynchronous-request-reply.md): POST /exports and
 * GET /exports/{exportId}; ExportRequested routed to a jobs queue drained by
 * the export worker; ExportSucceeded / ExportFailed of exports with a callback
 * routed to a callbacks queue drained by the export callback. Each function
 * gets the one grant it needs: only the worker writes the bucket, only the
 * status route reads it.
 */
export class OrderExports extends Construct {
  public readonly placeExport: ServiceFunction;
  public readonly getExport: ServiceFunction;
  public readonly worker: ServiceFunction;
  public readonly callback: ServiceFunction;
  public readonly jobs: Subscription;
  public readonly callbacks: Subscription;
  public readonly routes: ApiRoute[];

  constructor(scope: Construct, id: string, props: OrderExportsProps) {
    super(scope, id);
    const { table, bucket } = props;
    for (const index of Object.values(ORDER_EXPORT_INDEXES)) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.INCLUDE,
        // The day index is everyone's orders: it needs whose each one is.
        nonKeyAttributes:
          index === ORDER_EXPORT_INDEXES.byDay ? [...PROJECTED, 'customerId'] : PROJECTED,
      });
    }

    const fn = (
      fnId: string,
      handler: string,
      more: Partial<{
        timeout: Duration;
        memorySize: number;
        environment: Record<string, string>;
      }> = {},
    ) =>
      new ServiceFunction(this, fnId, {
        service: 'orders',
        entry: handlerEntry('orders', handler),
        logLevel: props.logLevel,
        logRetention: props.logRetention,
        timeout: more.timeout,
        memorySize: more.memorySize,
        environment: { TABLE_NAME: table.tableName, ...more.environment },
      });

    this.placeExport = fn('PlaceExport', 'place-export', {
      environment: {
        PII_KEY_ARN: props.piiKey.keyArn,
        ALLOW_LOOPBACK_CALLBACKS: String(props.allowLoopbackCallbacks ?? false),
      },
    });
    table.grantWriteItems(this.placeExport);
    // Seals a new secret, and opens it again to answer an idempotent replay the same.
    grantCallbackSecret(props.piiKey, this.placeExport, ['kms:GenerateDataKey', 'kms:Decrypt']);

    this.getExport = fn('GetExport', 'get-export', {
      environment: { EXPORTS_BUCKET: bucket.bucketName },
    });
    table.grantReadItems(this.getExport);
    bucket.grantReadExports(this.getExport);

    this.worker = fn('ExportWorker', 'export-worker', {
      timeout: Duration.minutes(5),
      memorySize: 1024,
      environment: {
        EXPORTS_BUCKET: bucket.bucketName,
        ORDERS_BY_CUSTOMER_INDEX: ORDER_EXPORT_INDEXES.byCustomer.indexName,
        ORDERS_BY_DAY_INDEX: ORDER_EXPORT_INDEXES.byDay.indexName,
      },
    });
    table.grantWriteItems(this.worker);
    Grant.addToPrincipal({
      grantee: this.worker,
      actions: ['dynamodb:Query'],
      resourceArns: Object.values(ORDER_EXPORT_INDEXES).map(
        (i) => `${table.tableArn}/index/${i.indexName}`,
      ),
    });
    bucket.grantWriteExports(this.worker);

    this.callback = fn('ExportCallback', 'export-callback', {
      timeout: Duration.seconds(15),
      environment: { PII_KEY_ARN: props.piiKey.keyArn },
    });
    // Powertools idempotency records and their DeleteItem on failure.
    table.grantIdempotentItems(this.callback);
    grantCallbackSecret(props.piiKey, this.callback, ['kms:Decrypt']);

    // One job per invocation: a job is long, and the mapping's concurrency is the backpressure.
    this.jobs = new Subscription(this, 'Jobs', {
      bus: props.bus,
      consumes: exportJobConsumes,
      consumer: this.worker,
      batchSize: 1,
      maxConcurrency: props.maxConcurrentExports ?? 2,
    });

    // One notice per invocation: a slow receiver holds up no one else's.
    this.callbacks = new Subscription(this, 'Callbacks', {
      bus: props.bus,
      consumes: exportCallbackConsumes,
      consumer: this.callback,
      batchSize: 1,
      maxConcurrency: 5,
      maxReceiveCount: CALLBACK_MAX_RECEIVES,
    });
    if (!(this.callbacks.rule instanceof Rule)) {
      throw new Error(
        `OrderExports ${this.node.path}: the callbacks subscription's rule is not a Rule of this app.`,
      );
    }
    // Only completions someone waits for reach the queue.
    this.callbacks.rule.addEventPattern({ detail: { data: { hasCallback: [true] } } });
    this.callback.addEnvironment('CALLBACK_QUEUE_URL', this.callbacks.queue.queueUrl);

    const route = (routeId: string, method: HttpMethod, path: string, handler: ServiceFunction) =>
      new ApiRoute(this, routeId, {
        httpApi: props.httpApi,
        method,
        path,
        handler,
        authorization: 'customer',
        authorizer: props.authorizer,
      });
    this.routes = [
      route('PlaceExportRoute', HttpMethod.POST, '/exports', this.placeExport),
      route('GetExportRoute', HttpMethod.GET, '/exports/{exportId}', this.getExport),
    ];
  }
}

/** KMS actions on the platform key, for the callback secret's encryption context only. */
function grantCallbackSecret(key: IKey, grantee: IGrantable, actions: string[]) {
  return Grant.addToPrincipal({
    grantee,
    actions,
    resourceArns: [key.keyArn],
    conditions: {
      StringEquals: { [`kms:EncryptionContext:${PII_CONTEXT_KEY}`]: CALLBACK_SECRET_CONTEXT },
    },
  });
}
