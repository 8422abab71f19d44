/**
 * Bucket lifecycle rules: what PutBucketLifecycleConfiguration and a
 * template's LifecycleConfiguration set, and when a rule expires an object.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html
 * Only expiration acts locally (current objects, and incomplete multipart
 * uploads); transitions and noncurrent-version actions are accepted and
 * dropped (no storage classes or versions here), so GET does not return them.
 */
import { invalidArgument, malformedXml } from './errors.js';
import {
  child,
  childText,
  childrenNamed,
  expectRoot,
  type XmlElement,
  type XmlNode,
} from './xml.js';

export interface LifecycleRule {
  id: string | undefined;
  enabled: boolean;
  /** Rule applies to keys starting with this ('' = every key). */
  prefix: string;
  /** Filter/And/Tag: objects have no tags locally, so such a rule matches nothing. */
  tags: { key: string; value: string }[];
  objectSizeGreaterThan: number | undefined;
  objectSizeLessThan: number | undefined;
  expirationDays: number | undefined;
  expirationDate: Date | undefined;
  abortIncompleteDays: number | undefined;
}

const DAY_MS = 86_400_000;

function positiveInt(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0)
    throw invalidArgument(`'${what}' must be a positive integer; received '${text}'.`);
  return n;
}

function size(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw invalidArgument(`Object size filters must be non-negative integers; received '${text}'.`);
  return n;
}

/** Reads a `<LifecycleConfiguration>` document; throws S3's error naming the bad part. */
export function parseLifecycle(doc: XmlElement): LifecycleRule[] {
  const rules = childrenNamed(expectRoot(doc, 'LifecycleConfiguration'), 'Rule');
  if (rules.length === 0) throw malformedXml('a LifecycleConfiguration needs at least one Rule');
  if (rules.length > 1000)
    throw invalidArgument(
      `A lifecycle configuration has at most 1000 rules; received ${rules.length}.`,
    );
  const ids = new Set<string>();
  return rules.map((rule) => {
    const id = childText(rule, 'ID');
    if (id !== undefined) {
      if (id.length > 255)
        throw invalidArgument('ID length should not exceed allowed limit of 255');
      if (ids.has(id))
        throw invalidArgument(
          'Rule ID must be unique. Found same ID for more than one rule',
          'ID',
          id,
        );
      ids.add(id);
    }
    const status = childText(rule, 'Status');
    if (status !== 'Enabled' && status !== 'Disabled')
      throw malformedXml(`Status must be Enabled or Disabled, received '${status ?? 'none'}'`);
    const filter = child(rule, 'Filter');
    const and = filter && child(filter, 'And');
    const where = and ?? filter;
    const tags = (where ? childrenNamed(where, 'Tag') : []).map((t) => ({
      key: childText(t, 'Key') ?? '',
      value: childText(t, 'Value') ?? '',
    }));
    const expiration = child(rule, 'Expiration');
    const days = expiration && positiveInt(childText(expiration, 'Days'), 'Days');
    const dateText = expiration && childText(expiration, 'Date');
    const date = dateText === undefined ? undefined : new Date(dateText);
    if (date && Number.isNaN(date.getTime()))
      throw invalidArgument(
        `'Date' must be an ISO 8601 date at midnight UTC; received '${dateText}'.`,
      );
    if (days !== undefined && date !== undefined)
      throw malformedXml('Expiration takes Days or Date, not both');
    const abort = child(rule, 'AbortIncompleteMultipartUpload');
    return {
      id,
      enabled: status === 'Enabled',
      prefix: (where && childText(where, 'Prefix')) ?? childText(rule, 'Prefix') ?? '',
      tags,
      objectSizeGreaterThan: where && size(childText(where, 'ObjectSizeGreaterThan')),
      objectSizeLessThan: where && size(childText(where, 'ObjectSizeLessThan')),
      expirationDays: days,
      expirationDate: date,
      abortIncompleteDays:
        abort && positiveInt(childText(abort, 'DaysAfterInitiation'), 'DaysAfterInitiation'),
    };
  });
}

/** The `<Rule>` elements GetBucketLifecycleConfiguration answers. */
export function renderRules(rules: LifecycleRule[]): XmlNode[] {
  return rules.map((r) => {
    const conditions: XmlNode = {
      Prefix: r.prefix,
      Tag: r.tags.map((t) => ({ Key: t.key, Value: t.value })),
      ObjectSizeGreaterThan: r.objectSizeGreaterThan,
      ObjectSizeLessThan: r.objectSizeLessThan,
    };
    const compound =
      r.tags.length +
        (r.objectSizeGreaterThan === undefined ? 0 : 1) +
        (r.objectSizeLessThan === undefined ? 0 : 1) >
      0;
    const rule: Record<string, XmlNode[keyof XmlNode]> = {
      ID: r.id,
      Filter: compound ? { And: conditions } : { Prefix: r.prefix },
      Status: r.enabled ? 'Enabled' : 'Disabled',
    };
    if (r.expirationDays !== undefined || r.expirationDate !== undefined) {
      rule['Expiration'] = { Days: r.expirationDays, Date: r.expirationDate };
    }
    if (r.abortIncompleteDays !== undefined) {
      rule['AbortIncompleteMultipartUpload'] = { DaysAfterInitiation: r.abortIncompleteDays };
    }
    return rule as XmlNode;
  });
}

/** S3 adds the days to the creation time and rounds up to the next midnight UTC. */
export function expiresAt(created: Date, days: number): number {
  return Math.ceil((created.getTime() + days * DAY_MS) / DAY_MS) * DAY_MS;
}

export function ruleMatches(rule: LifecycleRule, key: string, bytes: number): boolean {
  return (
    rule.enabled &&
    rule.tags.length === 0 &&
    key.startsWith(rule.prefix) &&
    (rule.objectSizeGreaterThan === undefined || bytes > rule.objectSizeGreaterThan) &&
    (rule.objectSizeLessThan === undefined || bytes < rule.objectSizeLessThan)
  );
}

/** Is an object created at `created` expired at `now` by this rule? */
export function objectExpired(
  rule: LifecycleRule,
  key: string,
  bytes: number,
  created: Date,
  now: number,
): boolean {
  if (!ruleMatches(rule, key, bytes)) return false;
  if (rule.expirationDays !== undefined) return now >= expiresAt(created, rule.expirationDays);
  if (rule.expirationDate !== undefined) return now >= rule.expirationDate.getTime();
  return false;
}

export function uploadExpired(
  rule: LifecycleRule,
  key: string,
  initiated: Date,
  now: number,
): boolean {
  return (
    rule.enabled &&
    rule.tags.length === 0 &&
    rule.abortIncompleteDays !== undefined &&
    key.startsWith(rule.prefix) &&
    now >= expiresAt(initiated, rule.abortIncompleteDays)
  );
}
