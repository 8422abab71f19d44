import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { metadataSchema, type EventMetadata, type EventSource } from './envelope.js';

/**
 * One event, declared once. The EventBridge rule pattern, the typed publisher
 * input and the validating consumer are all derived from this object, so a
 * renamed field breaks the build rather than production.
 */
export interface EventContract<
  TSource extends EventSource = EventSource,
  TType extends string = string,
  TData extends z.ZodObject = z.ZodObject,
> {
  readonly source: TSource;
  readonly detailType: TType;
  readonly schemaVersion: number;
  readonly description: string;
  readonly dataSchema: TData;
  /** Schema of the EventBridge `detail`: `{ metadata, data }`. */
  readonly detailSchema: z.ZodObject<{ metadata: typeof metadataSchema; data: TData }>;
  /** Schema of the whole event as EventBridge delivers it (what lands in an SQS body). */
  readonly eventSchema: z.ZodObject<{
    source: z.ZodLiteral<TSource>;
    'detail-type': z.ZodLiteral<TType>;
    detail: z.ZodObject<{ metadata: typeof metadataSchema; data: TData }>;
  }>;
}

export type DataOf<C extends EventContract> = z.infer<C['dataSchema']>;
export type DetailOf<C extends EventContract> = { metadata: EventMetadata; data: DataOf<C> };

/** An event ready to publish: the contract's identity plus a validated detail. */
export interface DomainEvent<C extends EventContract = EventContract> {
  readonly source: C['source'];
  readonly detailType: C['detailType'];
  readonly detail: DetailOf<C>;
}

export function defineEvent<
  const TSource extends EventSource,
  const TType extends string,
  TData extends z.ZodObject,
>(def: {
  source: TSource;
  detailType: TType;
  schemaVersion: number;
  description: string;
  data: TData;
}): EventContract<TSource, TType, TData> {
  const detailSchema = z.object({
    metadata: metadataSchema.extend({ schemaVersion: z.literal(def.schemaVersion) }),
    data: def.data,
  }) as unknown as z.ZodObject<{ metadata: typeof metadataSchema; data: TData }>;
  return Object.freeze({
    source: def.source,
    detailType: def.detailType,
    schemaVersion: def.schemaVersion,
    description: def.description,
    dataSchema: def.data,
    detailSchema,
    eventSchema: z.object({
      source: z.literal(def.source),
      'detail-type': z.literal(def.detailType),
      detail: detailSchema,
    }),
  });
}

/** What caused an event: the journey it belongs to and the event (or request) that led to it. */
export interface Causation {
  correlationId: string;
  causationId: string;
}

/**
 * Builds a validated event. Producers call this, so an event that breaks its own
 * contract fails where it is made, with the field named, and is never stored.
 */
export function createEvent<C extends EventContract>(
  contract: C,
  data: DataOf<C>,
  cause: Causation,
  now: () => Date = () => new Date(),
  newId: () => string = randomUUID,
): DomainEvent<C> {
  const detail = {
    metadata: {
      eventId: newId(),
      occurredAt: now().toISOString(),
      schemaVersion: contract.schemaVersion,
      correlationId: cause.correlationId,
      causationId: cause.causationId,
    },
    data,
  };
  const parsed = contract.detailSchema.safeParse(detail);
  if (!parsed.success) {
    throw new ContractViolationError(contract, parsed.error);
  }
  return {
    source: contract.source,
    detailType: contract.detailType,
    detail: parsed.data as DetailOf<C>,
  };
}

/** The cause to give events emitted in reaction to `event`. */
export function causedBy(event: { detail: { metadata: EventMetadata } }): Causation {
  return {
    correlationId: event.detail.metadata.correlationId,
    causationId: event.detail.metadata.eventId,
  };
}

/** The EventBridge rule pattern matching exactly the given contracts. */
export function patternFor(contracts: readonly EventContract[]): {
  source: string[];
  'detail-type': string[];
} {
  if (contracts.length === 0) throw new Error('patternFor needs at least one event contract');
  return {
    source: [...new Set(contracts.map((c) => c.source))].sort(),
    'detail-type': [...new Set(contracts.map((c) => c.detailType))].sort(),
  };
}

/** One readable line per problem: `detail.data.lines.0.quantity: expected number, received string`. */
export function describeIssues(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return `${path || '(root)'}: ${issue.message}`;
  });
}

export class ContractViolationError extends Error {
  readonly issues: string[];
  constructor(contract: EventContract, error: z.ZodError) {
    const issues = describeIssues(error, 'detail');
    super(
      `${contract.source}/${contract.detailType} v${contract.schemaVersion} does not match its contract: ${issues.join('; ')}`,
    );
    this.name = 'ContractViolationError';
    this.issues = issues;
  }
}
