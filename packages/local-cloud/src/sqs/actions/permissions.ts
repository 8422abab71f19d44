import type { Queue } from '../queue.js';

/** One statement of a queue policy, as AddPermission writes it. */
export interface PolicyStatement {
  Sid?: string;
  [key: string]: unknown;
}

interface PolicyDocument {
  Version: string;
  Id: string;
  Statement: PolicyStatement[];
}

/** The queue's Policy attribute as a document; SQS starts one with its default Id. */
export function policyOf(q: Queue): PolicyDocument {
  if (q.config.Policy) {
    const doc = JSON.parse(q.config.Policy) as Partial<PolicyDocument>;
    const statements = doc.Statement;
    return {
      Version: doc.Version ?? '2012-10-17',
      Id: doc.Id ?? `${q.arn}/SQSDefaultPolicy`,
      Statement: Array.isArray(statements) ? statements : statements ? [statements] : [],
    };
  }
  return { Version: '2012-10-17', Id: `${q.arn}/SQSDefaultPolicy`, Statement: [] };
}

/** Stores the document back in the Policy attribute; no statements leaves no policy. */
export function setPolicy(q: Queue, doc: PolicyDocument): void {
  q.config = {
    ...q.config,
    Policy: doc.Statement.length === 0 ? undefined : JSON.stringify(doc),
  };
}
