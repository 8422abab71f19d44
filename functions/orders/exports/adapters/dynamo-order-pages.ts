import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import {
  cancellationReason,
  cents,
  currency,
  customerId,
  orderId,
  orderLine,
} from '#events/common.js';
import type { ExportRow } from '../../domain/exports/csv.js';
import type { OrderQuery, ReadOrderPages } from '../ports.js';

/** The two indexes of the orders table exports read by (names from the CDK stack). */
export interface OrderIndexes {
  /** Partition `customerId`, sort `placedAt`. */
  byCustomer: string;
  /** Partition `placedDay` (UTC `YYYY-MM-DD`), sort `placedAt`. */
  byDay: string;
}

const projected = z.object({
  orderId,
  customerId,
  status: z.string(),
  placedAt: z.string(),
  lines: z.array(orderLine),
  pricing: z.object({ amountCents: cents, currency }).optional(),
  reason: cancellationReason.optional(),
});

const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC days from the one of `from` to the one just before `to`, `YYYY-MM-DD`. */
export function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(to);
  for (let t = Date.parse(from.slice(0, 10)); t < end; t += DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/**
 * Orders of a query, page by page (DynamoDB's own pages, up to 1 MB each):
 * one customer's from the by-customer index, or everyone's from the by-day
 * index, one day partition after another. Only what is asked for is read.
 */
export function dynamoOrderPages(
  client: DynamoDBDocumentClient,
  tableName: string,
  indexes: OrderIndexes,
  pageSize = 500,
): ReadOrderPages {
  async function* pagesOf(
    indexName: string,
    partition: { name: string; value: string },
    query: OrderQuery,
  ): AsyncGenerator<readonly ExportRow[]> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: indexName,
          // BETWEEN is inclusive, and a filter may not name a key: an order placed exactly
          // at `to` is dropped below (it can only be the last of the window).
          KeyConditionExpression: '#p = :p AND placedAt BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#p': partition.name },
          ExpressionAttributeValues: {
            ':p': partition.value,
            ':from': query.from,
            ':to': query.to,
          },
          ExclusiveStartKey: start,
          Limit: pageSize,
        }),
      );
      const rows = (page.Items ?? [])
        .map((item) => toRow(item, tableName))
        .filter((row) => row.placedAt < query.to);
      if (rows.length > 0) yield rows;
      start = page.LastEvaluatedKey;
    } while (start);
  }

  return async function* readOrderPages(query) {
    if (query.scope.kind === 'customer') {
      yield* pagesOf(
        indexes.byCustomer,
        { name: 'customerId', value: query.scope.customerId },
        query,
      );
      return;
    }
    for (const day of daysOf(query.from, query.to)) {
      yield* pagesOf(indexes.byDay, { name: 'placedDay', value: day }, query);
    }
  };
}

function toRow(item: Record<string, unknown>, tableName: string): ExportRow {
  const parsed = projected.safeParse(item);
  if (!parsed.success) {
    throw new Error(
      `An order item in ${tableName} (pk ${String(item['pk'])}) lacks what an export needs: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`,
    );
  }
  const o = parsed.data;
  return {
    orderId: o.orderId,
    customerId: o.customerId,
    status: o.status,
    placedAt: o.placedAt,
    amountCents: o.pricing?.amountCents,
    currency: o.pricing?.currency,
    lines: o.lines,
    cancellationReason: o.reason,
  };
}
