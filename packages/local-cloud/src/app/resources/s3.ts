/**
 * AWS::S3::Bucket, created on the edge's S3 with its lifecycle rules.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-s3-bucket.html
 * BucketEncryption, PublicAccessBlockConfiguration, VersioningConfiguration,
 * OwnershipControls and Tags are accepted and not applied: local buckets are
 * always private, encrypted in name only (answers say AES256) and unversioned.
 */
import {
  CreateBucketCommand,
  PutBucketLifecycleConfigurationCommand,
  S3Client,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import { withClient } from './clients.js';
import { prop, type ResourceContext, type ResourceHandler } from './types.js';

/** CloudFormation's generated name, in S3's rules: lowercase, at most 63 characters. */
export function bucketName(generated: string): string {
  const lower = generated.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const dash = lower.lastIndexOf('-');
  const suffix = lower.slice(dash + 1);
  const stem = lower.slice(0, Math.max(0, dash)).slice(0, 63 - suffix.length - 1);
  return `${stem}-${suffix}`.replace(/^-+/, '');
}

interface CfnRule {
  Id?: string;
  Status?: string;
  Prefix?: string;
  ExpirationInDays?: number | string;
  ExpirationDate?: string;
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation?: number | string };
  TagFilters?: { Key: string; Value: string }[];
  ObjectSizeGreaterThan?: number | string;
  ObjectSizeLessThan?: number | string;
}

const num = (v: number | string | undefined) => (v === undefined ? undefined : Number(v));

/** The template's rule shape (ExpirationInDays, TagFilters…) in the API's shape. */
export function lifecycleRules(ctx: ResourceContext): LifecycleRule[] | undefined {
  const config = prop(ctx, 'LifecycleConfiguration', 'object');
  const rules = config?.['Rules'];
  if (rules === undefined) return undefined;
  if (!Array.isArray(rules)) {
    throw new Error(
      `${ctx.where} (${ctx.type}): LifecycleConfiguration.Rules should be a list, got ${JSON.stringify(rules)}`,
    );
  }
  return (rules as CfnRule[]).map((r) => {
    const sizes = {
      ObjectSizeGreaterThan: num(r.ObjectSizeGreaterThan),
      ObjectSizeLessThan: num(r.ObjectSizeLessThan),
    };
    const tags = r.TagFilters ?? [];
    const compound =
      tags.length > 0 ||
      sizes.ObjectSizeGreaterThan !== undefined ||
      sizes.ObjectSizeLessThan !== undefined;
    const days = num(r.ExpirationInDays);
    return {
      ID: r.Id,
      Status: r.Status === 'Disabled' ? 'Disabled' : 'Enabled',
      Filter: compound
        ? { And: { Prefix: r.Prefix, Tags: tags, ...sizes } }
        : { Prefix: r.Prefix ?? '' },
      ...(days !== undefined || r.ExpirationDate !== undefined
        ? {
            Expiration: {
              Days: days,
              Date: r.ExpirationDate === undefined ? undefined : new Date(r.ExpirationDate),
            },
          }
        : {}),
      ...(r.AbortIncompleteMultipartUpload
        ? {
            AbortIncompleteMultipartUpload: {
              DaysAfterInitiation: num(r.AbortIncompleteMultipartUpload.DaysAfterInitiation),
            },
          }
        : {}),
    };
  });
}

export const bucket: ResourceHandler = async (ctx) => {
  const name = prop(ctx, 'BucketName', 'string') ?? bucketName(ctx.generateName());
  const rules = lifecycleRules(ctx);
  await withClient(
    ctx.env,
    (config) => new S3Client({ ...config, forcePathStyle: true }),
    async (s3) => {
      // A bucket kept from an earlier deploy answers 200 in us-east-1 and BucketAlreadyOwnedByYou elsewhere.
      await s3.send(new CreateBucketCommand({ Bucket: name })).catch((e: Error) => {
        if (e.name !== 'BucketAlreadyOwnedByYou') throw e;
      });
      if (rules) {
        await s3.send(
          new PutBucketLifecycleConfigurationCommand({
            Bucket: name,
            LifecycleConfiguration: { Rules: rules },
          }),
        );
      }
    },
  );
  const { region } = ctx.env;
  return {
    physicalId: name,
    attributes: {
      Arn: `arn:aws:s3:::${name}`,
      DomainName: `${name}.s3.amazonaws.com`,
      RegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
      DualStackDomainName: `${name}.s3.dualstack.${region}.amazonaws.com`,
      WebsiteURL: `http://${name}.s3-website-${region}.amazonaws.com`,
    },
  };
};
