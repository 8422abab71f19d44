/** What every emulated service knows about where it runs. */
export interface CloudContext {
  readonly accountId: string; // '000000000000' unless configured
  readonly region: string; // 'us-east-1' unless configured
  /** The edge's own base URL, e.g. http://localhost:4566 (queue URLs are built from it). */
  readonly endpoint: string;
  readonly recorder: Recorder;
}

/**
 * A service spoken to with an AWS JSON protocol (`X-Amz-Target: Prefix.Action`).
 * `input` is the parsed JSON body; the result is serialised as the JSON body.
 * Throw AwsError for service errors.
 */
export interface JsonService {
  /** e.g. 'AWSEvents' for EventBridge, 'AmazonSQS' for SQS. */
  readonly targetPrefix: string;
  handle(
    action: string,
    input: Record<string, unknown>,
    /** The HTTP request's headers, for the few actions that read one (SQS: X-Amzn-Trace-Id). */
    request?: { headers?: Record<string, string | string[] | undefined> },
  ): Promise<unknown>;
}

/** Delivery of a message to an SQS queue, used by EventBridge targets and Lambda-less fan-out. */
export interface SqsSink {
  /** Throws AwsError('AWS.SimpleQueueService.NonExistentQueue') if the queue does not exist. */
  sendMessage(
    queueArn: string,
    body: string,
    attributes?: Record<string, string>,
    /** For FIFO queues (EventBridge's SqsParameters.MessageGroupId, the event id to deduplicate). */
    fifo?: { messageGroupId?: string; messageDeduplicationId?: string },
  ): Promise<void>;
}

/** Observations served on the edge under /_local (metrics, event log). */
export interface RecordedEvent {
  readonly seq: number;
  readonly receivedAt: string; // ISO time the bus accepted it
  readonly eventBusName: string;
  /** The event as EventBridge delivers it (version, id, detail-type, source, account, time, region, resources, detail, replay-name?). */
  readonly event: Record<string, unknown>;
  /** Names of the rules it matched, and so the targets it went to. */
  readonly matchedRules: readonly string[];
}

export interface Recorder {
  countCall(service: string, action: string): void;
  recordEvent(e: Omit<RecordedEvent, 'seq'>): void;
  metrics(): { calls: Record<string, Record<string, number>>; eventsPut: number };
  events(filter?: { since?: number; correlationId?: string }): RecordedEvent[];
  /** Called with every event recorded from now on (the console's live stream); returns the unsubscribe. */
  subscribe?(listener: (event: RecordedEvent) => void): () => void;
}
