/**
 * An error as AWS returns it on the wire. Services throw these; the edge
 * serialises them in the protocol the caller spoke (JSON 1.0/1.1 `__type`,
 * or the query protocol's XML `<ErrorResponse>`).
 */
export class AwsError extends Error {
  constructor(
    /** The AWS error code, e.g. `ResourceNotFoundException`. */
    readonly code: string,
    message: string,
    /** HTTP status; 400 for client faults unless AWS uses another. */
    readonly status = 400,
    /** The query-protocol code where it differs (SQS: `AWS.SimpleQueueService.NonExistentQueue`). */
    readonly queryCode?: string,
  ) {
    super(message);
    this.name = code;
  }
}
