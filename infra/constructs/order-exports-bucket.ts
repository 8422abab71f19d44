import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Where exports are written, under the bucket: `exports/<customer or all>/<exportId>.csv`. */
export const EXPORTS_PREFIX = 'exports/';

export interface OrderExportsBucketProps {
  /** How long an export is kept. @default Duration.days(7) */
  readonly expireAfter?: Duration;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The private bucket of order exports: S3-managed encryption, TLS only, every
 * kind of public access blocked, ACLs off, and a lifecycle that deletes an
 * export after 7 days and the parts of a multipart upload left unfinished
 * after 1. Versioning is off: an export is a derived copy, rewritten whole by
 * a retried run, and an old version would only keep personal order data
 * beyond the 7 days. Grants are per prefix, one for the writer and one for the
 * reader.
 */
export class OrderExportsBucket extends Construct {
  public readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: OrderExportsBucketProps = {}) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      lifecycleRules: [
        {
          id: 'ExpireExports',
          prefix: EXPORTS_PREFIX,
          expiration: props.expireAfter ?? Duration.days(7),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket.node.defaultChild ?? this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Exports are short-lived copies read only through presigned URLs that GET /exports/{exportId} issues (logged by the API stage and the function); server access logs would need a second bucket for a 7-day copy.',
    });
  }

  public get bucketName(): string {
    return this.bucket.bucketName;
  }

  /** PutObject and multipart upload of exports, and nothing else. */
  public grantWriteExports(grantee: IGrantable) {
    return this.bucket.grantPut(grantee, `${EXPORTS_PREFIX}*`);
  }

  /** Reads of exports (what a presigned GET is signed with), and nothing else. */
  public grantReadExports(grantee: IGrantable) {
    return this.bucket.grantRead(grantee, `${EXPORTS_PREFIX}*`);
  }
}
