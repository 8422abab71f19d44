import { retryOnConflict } from '#plumbing/retry-on-conflict.js';
import { logger } from '#plumbing/powertools.js';
import { viewsDecider } from '../domain/decider.js';
import type { JourneyEvent } from '../domain/journey.js';
import type { LoadView, ProjectionPointer, ReadPointer, SaveView } from '../ports.js';

export interface ProjectDeps {
  readPointer: ReadPointer;
  load: LoadView;
  save: SaveView;
}

/**
 * Which versions an event goes into. Live events: the active one, and the
 * building one while a rebuild runs (so it misses nothing published after it
 * started). Replayed events: only the building one, never what readers read.
 */
export type Feed = 'live' | 'replayed';

export function versionsFor(feed: Feed, pointer: ProjectionPointer): number[] {
  if (feed === 'replayed') return pointer.building === undefined ? [] : [pointer.building];
  return pointer.building === undefined || pointer.building === pointer.active
    ? [pointer.active]
    : [pointer.active, pointer.building];
}

/** Loads, decides, evolves and stores the view of the event's order, in each version it belongs to. */
export function makeProjectEvent(deps: ProjectDeps, feed: Feed) {
  return async (event: JourneyEvent): Promise<void> => {
    const versions = versionsFor(feed, await deps.readPointer());
    if (versions.length === 0) {
      // A replay to every rule (npm run replay, the chaos run) while no rebuild runs: nothing to build.
      logger.info('Replayed event ignored: no projection version is being built');
      return;
    }
    const { orderId } = event.detail.data;
    for (const version of versions) {
      const outcome = await retryOnConflict(async () => {
        const stored = await deps.load(version, orderId);
        const projected = viewsDecider.decide(
          { type: 'ProjectEvent', event },
          stored?.view ?? viewsDecider.initialState,
        );
        if (projected.length === 0) return 'duplicate' as const;
        const view = projected.reduce(viewsDecider.evolve, stored?.view);
        await deps.save(version, view!, stored?.revision ?? 0);
        return 'projected' as const;
      });
      // DEBUG: one line per event per view is the read side's routine; its failures are logged
      // by the consumer, and the timeline of every view is the audit trail.
      logger.debug(outcome === 'projected' ? 'Event projected' : 'Event already projected', {
        orderId,
        version,
      });
    }
  };
}
