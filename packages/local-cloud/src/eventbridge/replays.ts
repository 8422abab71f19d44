import { setTimeout as sleep } from 'node:timers/promises';
import { AwsError } from '../core/errors.js';
import type { Archives } from './archives.js';
import type { Arns } from './model.js';
import { busNameOf, type BusEvent, type Replay } from './model.js';
import { epochSeconds } from './time.js';
import { notFound } from './validate.js';

/** Puts a replayed event on its bus, to the rules in `filterArns` only when given. */
export type ReplayDispatch = (
  busName: string,
  event: BusEvent,
  options: { filterArns?: readonly string[] },
) => void;

export interface ReplayOptions {
  /** Pause between replayed events; AWS replays at its own pace, so keep code independent of it. */
  eventIntervalMs: number;
}

/**
 * Replays run in the background, STARTING -> RUNNING -> COMPLETED, or
 * CANCELLING -> CANCELLED after CancelReplay, or FAILED when the archive or
 * the bus disappears underneath them. The replay actions live in actions/.
 */
export class Replays {
  private readonly byName = new Map<string, Replay>();
  private readonly cancelRequested = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly aborter = new AbortController();

  constructor(
    readonly arns: Arns,
    private readonly archives: Archives,
    readonly busExists: (name: string) => boolean,
    private readonly dispatch: ReplayDispatch,
    private readonly options: ReplayOptions,
    readonly now: () => number,
  ) {}

  get(name: string): Replay | undefined {
    return this.byName.get(name);
  }

  /** The replay named `name`, or ResourceNotFoundException. */
  require(name: string): Replay {
    const replay = this.byName.get(name);
    if (!replay) throw notFound(`Replay ${name} does not exist.`);
    return replay;
  }

  /** Every replay, sorted by name. */
  all(): Replay[] {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Stores a checked replay and runs it in the background. */
  start(replay: Replay): void {
    this.byName.set(replay.name, replay);
    const run = this.run(replay).catch((error: unknown) => {
      this.finish(replay, 'FAILED', error instanceof Error ? error.message : String(error));
    });
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** Asks a running replay to stop; it ends CANCELLED at its next event. */
  cancel(replay: Replay): void {
    if (replay.state !== 'STARTING' && replay.state !== 'RUNNING') {
      throw new AwsError(
        'IllegalStatusException',
        `Replay ${replay.name} is not in a valid state for this operation.`,
      );
    }
    replay.state = 'CANCELLING';
    this.cancelRequested.add(replay.name);
  }

  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  async stop(): Promise<void> {
    this.aborter.abort();
    await this.settled();
  }

  private async run(replay: Replay): Promise<void> {
    await this.pause(0);
    if (this.cancelled(replay)) return;
    replay.state = 'RUNNING';
    const archive = this.archives.byArn(replay.eventSourceArn);
    if (!archive) {
      this.finish(
        replay,
        'FAILED',
        `Archive ${replay.eventSourceArn} was deleted during the replay.`,
      );
      return;
    }
    const busName = busNameOf(replay.destination.Arn);
    for (const archived of this.archives.window(
      archive,
      replay.eventStartTime,
      replay.eventEndTime,
    )) {
      if (this.cancelled(replay) || this.aborter.signal.aborted) return;
      if (!this.busExists(busName)) {
        this.finish(replay, 'FAILED', `Event bus ${busName} does not exist.`);
        return;
      }
      const filter = replay.destination.FilterArns;
      this.dispatch(busName, withReplayName(archived.event, replay.name), {
        ...(filter && { filterArns: filter }),
      });
      replay.eventLastReplayedTime = archived.ingestionTime;
      await this.pause(this.options.eventIntervalMs);
    }
    if (this.cancelled(replay)) return;
    this.finish(replay, 'COMPLETED');
  }

  /** Completes a requested cancellation; true when the replay must stop. */
  private cancelled(replay: Replay): boolean {
    if (!this.cancelRequested.has(replay.name)) return false;
    this.cancelRequested.delete(replay.name);
    this.finish(replay, 'CANCELLED', 'Replay was cancelled by CancelReplay.');
    return true;
  }

  private finish(replay: Replay, state: Replay['state'], reason?: string): void {
    replay.state = state;
    if (reason !== undefined) replay.stateReason = reason;
    replay.replayEndTime = this.now();
  }

  private async pause(ms: number): Promise<void> {
    try {
      await sleep(ms, undefined, { signal: this.aborter.signal });
    } catch {
      // aborted by stop()
    }
  }
}

/** The times DescribeReplay and ListReplays show, in epoch seconds. */
export function times(replay: Replay) {
  return {
    EventStartTime: epochSeconds(replay.eventStartTime),
    EventEndTime: epochSeconds(replay.eventEndTime),
    ...(replay.eventLastReplayedTime !== undefined && {
      EventLastReplayedTime: epochSeconds(replay.eventLastReplayedTime),
    }),
    ReplayStartTime: epochSeconds(replay.replayStartTime),
    ...(replay.replayEndTime !== undefined && {
      ReplayEndTime: epochSeconds(replay.replayEndTime),
    }),
  };
}

/** A replayed event carries `replay-name` right after `region`, where AWS puts it. */
export function withReplayName(event: BusEvent, replayName: string): BusEvent {
  const out: BusEvent = {};
  for (const [key, value] of Object.entries(event)) {
    if (key === 'replay-name') continue;
    out[key] = value;
    if (key === 'region') out['replay-name'] = replayName;
  }
  if (!('replay-name' in out)) out['replay-name'] = replayName;
  return out;
}
