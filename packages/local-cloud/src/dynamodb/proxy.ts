import { Agent, request, type IncomingMessage } from 'node:http';
import { crc32 } from 'node:zlib';
import { AwsError } from '../core/errors.js';
import type { CloudContext } from '../core/types.js';
import type { EdgeResponse } from '../edge/http.js';
import type { ProxyService } from '../edge/server.js';
import { LOCAL_AUTHORIZATION, type DynamoDbLocal } from './process.js';
import { writtenTables, type TableWrites } from './table-writes.js';
import type { CapacityMeter } from './capacity-meter.js';

/** How DynamoDB Local names its (only) account and region in ARNs and stream records. */
const DDB_LOCAL_ARN = 'arn:aws:dynamodb:ddblocal:000000000000:';
const DDB_LOCAL_REGION = 'ddblocal';

/**
 * Forwards DynamoDB and DynamoDB Streams requests to DynamoDB Local, so the
 * data plane is AWS's own. Rewrites ARNs both ways so callers see the local
 * account and region, and repairs what DynamoDB Local gets wrong in stream
 * records (see fixStreamRecords).
 */
export class DynamoDbForwarder {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly localArn: string;

  constructor(
    private readonly ddb: DynamoDbLocal,
    private readonly ctx: Pick<CloudContext, 'accountId' | 'region'>,
    /** Told of every successful write, so stream readers need not wait for their next poll. */
    private readonly writes?: TableWrites,
    /** Counts request units while it runs (a cost model's); off, it changes nothing. */
    private readonly capacity?: CapacityMeter,
  ) {
    this.localArn = `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:`;
  }

  /** The two JSON services the edge routes here by X-Amz-Target. */
  services(): ProxyService[] {
    return [
      {
        service: 'DynamoDB',
        targetPrefix: 'DynamoDB_20120810',
        signingName: 'dynamodb',
        forward: (action, body, req) => this.forward('DynamoDB_20120810', action, body, req),
      },
      {
        service: 'DynamoDBStreams',
        targetPrefix: 'DynamoDBStreams_20120810',
        signingName: 'dynamodb',
        forward: (action, body, req) => this.forward('DynamoDBStreams_20120810', action, body, req),
      },
    ];
  }

  /** DynamoDB Local itself, for the meter's reads of images and descriptions. */
  private readonly engineCall = (action: string, input: object) =>
    this.send(`DynamoDB_20120810.${action}`, 'application/x-amz-json-1.0', JSON.stringify(input));

  close(): void {
    this.agent.destroy();
  }

  private async forward(
    prefix: string,
    action: string,
    body: Buffer,
    req: IncomingMessage,
  ): Promise<EdgeResponse> {
    const text = body.toString('utf8').replaceAll(this.localArn, DDB_LOCAL_ARN);
    const contentType = req.headers['content-type'] ?? 'application/x-amz-json-1.0';
    const metered = prefix === 'DynamoDB_20120810' ? this.capacity?.meters(action) : undefined;
    const prepared = metered === 'read' ? this.capacity!.prepare(action, text) : undefined;
    const call = () => this.send(`${prefix}.${action}`, contentType, prepared?.body ?? text);
    const res =
      metered === 'write'
        ? await this.capacity!.write(action, text, this.engineCall, call)
        : await call();
    if (res.status === 200 && this.writes) {
      const tables = writtenTables(action, text);
      if (tables) this.writes.notify(tables);
    }
    let out = res.body.replaceAll(DDB_LOCAL_ARN, this.localArn);
    if (prepared) out = this.capacity!.settle(action, res.status, out, prepared.strip);
    if (action === 'GetRecords' && res.status === 200) out = this.fixStreamRecords(out);
    const bytes = Buffer.from(out, 'utf8');
    return {
      status: res.status,
      headers: {
        'content-type': res.contentType ?? 'application/x-amz-json-1.0',
        // The SDKs and botocore verify this checksum; the body changed, so recompute it.
        'x-amz-crc32': String(crc32(bytes)),
      },
      body: bytes,
    };
  }

  /**
   * DynamoDB Local writes `awsRegion: "ddblocal"`, and for items its TTL
   * process deletes, `eventName: "UNKNOWN_TO_SDK_VERSION"` without a
   * `userIdentity`. AWS writes the region, `REMOVE`, and the TTL service as
   * the user identity, which consumers use to tell expiry from deletion.
   */
  private fixStreamRecords(json: string): string {
    const doc = JSON.parse(json) as { Records?: Record<string, unknown>[] };
    for (const r of doc.Records ?? []) {
      if (r['awsRegion'] === DDB_LOCAL_REGION) r['awsRegion'] = this.ctx.region;
      if (
        r['eventName'] !== 'INSERT' &&
        r['eventName'] !== 'MODIFY' &&
        r['eventName'] !== 'REMOVE'
      ) {
        r['eventName'] = 'REMOVE';
        r['userIdentity'] = { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' };
      }
    }
    return JSON.stringify(doc);
  }

  private send(
    target: string,
    contentType: string,
    body: string,
  ): Promise<{ status: number; contentType?: string; body: string }> {
    if (!this.ddb.running) return Promise.reject(this.unavailable());
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: this.ddb.port,
          method: 'POST',
          path: '/',
          agent: this.agent,
          headers: {
            'content-type': contentType,
            'x-amz-target': target,
            authorization: LOCAL_AUTHORIZATION,
            'accept-encoding': 'identity',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 500,
              contentType: res.headers['content-type'],
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', (err) => reject(this.ddb.running ? err : this.unavailable()));
      req.end(body);
    });
  }

  private unavailable(): AwsError {
    return new AwsError(
      'ServiceUnavailable',
      `DynamoDB is unavailable: ${this.ddb.describeExit()} Restart the local cloud.`,
      503,
    );
  }
}
