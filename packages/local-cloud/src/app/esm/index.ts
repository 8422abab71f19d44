/**
 * The app's event-source mappings: registered while the templates load,
 * started once every stack is up (so no function is invoked half-deployed).
 */
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { LambdaService } from '../lambda/service.js';
import { compileFilters } from './filter.js';
import type { PollerSqs } from './poller-sqs.js';
import { SqsPoller, type SqsPollerDeps } from './sqs.js';
import { StreamPoller } from './streams.js';
import { sleep, type MappingConfig, type MappingTarget, type Poller } from './types.js';
import { tableOfStreamArn, type TableWrites } from '../../dynamodb/table-writes.js';

export type { MappingConfig } from './types.js';

export interface MappingsDeps {
  readonly lambda: LambdaService;
  /** The stream mappings' OnFailure destinations are sent to through it. */
  readonly sqs: SQSClient;
  /** What SQS mappings poll through: the cloud's SQS in process, or the SDK's client. */
  readonly pollerSqs: PollerSqs;
  readonly streams: DynamoDBStreamsClient;
  readonly region: string;
  readonly log: (line: string) => void;
  /** Concurrent batches per SQS mapping without MaximumConcurrency (default 5, where Lambda starts). */
  readonly defaultSqsConcurrency?: number;
  /** Told of every SQS batch that failed as a whole (the console's reasons for dead letters). */
  readonly onBatchFailed?: SqsPollerDeps['onBatchFailed'];
  /** Writes by table, so a stream mapping reads right after one (the cloud's `tableWrites`). */
  readonly tableWrites?: TableWrites;
}

export interface MappingInfo {
  readonly config: MappingConfig;
  readonly kind: 'sqs' | 'dynamodb';
  readonly running: boolean;
}

export class EventSourceMappings {
  private readonly configs: MappingConfig[] = [];
  private readonly pollers = new Map<string, Poller>();

  constructor(private readonly deps: MappingsDeps) {}

  /** Validates the mapping now (source type, function, filters); it starts with `startAll`. */
  add(config: MappingConfig): void {
    kindOf(config); // throws on an unsupported source
    compileFilters(config.filterPatterns, `${config.stackName}/${config.logicalId}`);
    this.configs.push(config);
  }

  list(): MappingInfo[] {
    return this.configs.map((config) => ({
      config,
      kind: kindOf(config),
      running: this.pollers.has(config.uuid),
    }));
  }

  async startAll(): Promise<void> {
    const streamPollers: StreamPoller[] = [];
    for (const config of this.configs) {
      if (!config.enabled || this.pollers.has(config.uuid)) continue;
      const where = `${config.stackName}/${config.logicalId}`;
      const fn = this.deps.lambda.find(config.functionRef);
      if (!fn)
        throw new Error(
          `${where}: FunctionName ${config.functionRef} is not a function of the app`,
        );
      const target: MappingTarget = {
        label: fn.config.label,
        functionArn: fn.config.functionArn,
        reservedConcurrency: fn.config.reservedConcurrency,
        invoke: (event, opts) => fn.invoke(event, opts),
      };
      const filter = compileFilters(config.filterPatterns, where);
      const log = (line: string) => this.deps.log(`[${fn.config.label}] ${line}`);
      let poller: Poller;
      if (kindOf(config) === 'sqs') {
        poller = new SqsPoller(config, target, {
          sqs: this.deps.pollerSqs,
          region: this.deps.region,
          filter,
          log,
          defaultConcurrency: this.deps.defaultSqsConcurrency,
          onBatchFailed: this.deps.onBatchFailed,
        });
      } else {
        const table = tableOfStreamArn(config.eventSourceArn);
        const writes = this.deps.tableWrites;
        const p = new StreamPoller(config, target, {
          streams: this.deps.streams,
          sqs: this.deps.sqs,
          region: this.deps.region,
          filter,
          log,
          ...(writes && table && { onTableWrite: (l: () => void) => writes.onWrite(table, l) }),
        });
        streamPollers.push(p);
        poller = p;
      }
      this.pollers.set(config.uuid, poller);
      poller.start();
    }
    // LATEST means "from now on": be positioned before the app is called ready.
    await Promise.race([Promise.all(streamPollers.map((p) => p.ready())), sleep(10_000)]);
  }

  async stopAll(): Promise<void> {
    const all = [...this.pollers.values()];
    this.pollers.clear();
    await Promise.all(all.map((p) => p.stop()));
  }
}

function kindOf(config: MappingConfig): 'sqs' | 'dynamodb' {
  const arn = config.eventSourceArn;
  if (arn.startsWith('arn:aws:sqs:')) return 'sqs';
  if (/^arn:aws:dynamodb:[^:]*:[^:]*:table\/[^/]+\/stream\//.test(arn)) return 'dynamodb';
  throw new Error(
    `${config.stackName}/${config.logicalId}: event source ${arn} is not supported locally ` +
      '(SQS queues and DynamoDB streams are; Kinesis, Kafka and MQ are not)',
  );
}
