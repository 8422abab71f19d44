import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
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

  /**
   * PutObject (multipart uploads included: their parts and completion are PutObject) and
   * AbortMultipartUpload of exports, and nothing else.
   */
  public grantWriteExports(grantee: IGrantable): Grant {
    return this.grantOnExports(grantee, ['s3:PutObject', 's3:AbortMultipartUpload']);
  }

  /** GetObject of exports (what a presigned GET is signed with), and nothing else. */
  public grantReadExports(grantee: IGrantable): Grant {
    return this.grantOnExports(grantee, ['s3:GetObject']);
  }

  private grantOnExports(grantee: IGrantable, actions: string[]): Grant {
    const grant = Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [this.bucket.arnForObjects(`${EXPORTS_PREFIX}*`)],
    });
    // cdk-nag names the finding by the bucket's logical id: acknowledge exactly that one.
    const arn = Stack.of(this).resolve(this.bucket.bucketArn) as { 'Fn::GetAtt': [string, string] };
    const principal = grantee.grantPrincipal;
    const defaultPolicy =
      principal instanceof Construct ? principal.node.tryFindChild('DefaultPolicy') : undefined;
    if (defaultPolicy) {
      Validations.of(defaultPolicy.node.defaultChild ?? defaultPolicy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${arn['Fn::GetAtt'][0]}.Arn>/${EXPORTS_PREFIX}*]`,
        reason: `${actions.join(', ')} on the exports: one object per export, named by its id, under ${EXPORTS_PREFIX}; the keys are not known at deploy time.`,
      });
    }
    return grant;
  }
}
