import type { DetailOf, EventContract } from '#events/contract.js';
import type { consumes } from '../consumes.js';

type Contract = (typeof consumes)[number];

/** One event of an order's journey as the view receives it: source, detail-type and validated detail. */
type Incoming<C extends EventContract> = C extends EventContract
  ? { source: C['source']; 'detail-type': C['detailType']; detail: DetailOf<C> }
  : never;

/** The discriminated union (on detail-type) of every event the views project. */
export type JourneyEvent = Incoming<Contract>;

export type JourneyEventType = JourneyEvent['detail-type'];
