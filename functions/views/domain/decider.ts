import type { Decider } from '#plumbing/decider.js';
import type { JourneyEvent } from './journey.js';
import { hasProjected, project, type OrderView } from './order-view.js';

/**
 * The projection as a decider: a journey event not yet in the view is
 * projected; one already in it (a redelivery, a replay) changes nothing. The
 * handler stores the evolved view with a condition on the revision it loaded.
 */
export type ViewsCommand = { type: 'ProjectEvent'; event: JourneyEvent };
export type ViewsEvent = { type: 'EventProjected'; event: JourneyEvent };

/** No event of the order projected yet, or its view. */
export type ViewState = OrderView | undefined;

export function decide(command: ViewsCommand, view: ViewState): ViewsEvent[] {
  return hasProjected(view, command.event.detail.metadata.eventId)
    ? []
    : [{ type: 'EventProjected', event: command.event }];
}

export function evolve(view: ViewState, event: ViewsEvent): ViewState {
  return project(view, event.event);
}

export const viewsDecider = {
  initialState: undefined as ViewState,
  decide,
  evolve,
} satisfies Decider<ViewState, ViewsCommand, ViewsEvent>;
