import { setTimeout as sleep } from 'node:timers/promises';
import { AwsError } from '../core/errors.js';
import type { Archives } from './archives.js';
import type { Arns } from './model.js';
import {
  busNameOf,
  isBusArn,
  REPLAY_STATES,
  type Archive,
  type BusEvent,
  type Replay,
} from './model.js';
import { paginate } from './paging.js';
import { epochSeconds, parseTimestamp } from './time.js';
import {
  alreadyExists,
  Constraints,
  listFilters,
  NAME_PATTERN,
  NAME_PATTERN_TEXT,
  notFound,
  optObject,
  optString,
  optStringList,
  type Input,
  validationError,
} from './validate.js';

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
 * the bus disappears underneath them.
 */
export class Replays {
  private readonly byName = new Map<string, Replay>();
  private readonly cancelRequested = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly aborter = new AbortController();

  constructor(
    private readonly arns: Arns,
    private readonly archives: Archives,
    private readonly busExists: (name: string) => boolean,
    private readonly dispatch: ReplayDispatch,
    private readonly options: ReplayOptions,
    private readonly now: () => number,
  ) {}

  start(input: Input) {
    const name = optString(input, 'ReplayName');
    const source = optString(input, 'EventSourceArn');
    const description = optString(input, 'Description');
    const destination = optObject(input, 'Destination');
    const destinationArn = destination ? optString(destination, 'Arn') : undefined;
    const filterArns = destination ? optStringList(destination, 'FilterArns') : undefined;
    new Constraints()
      .required(name, 'replayName')
      .length(name, 'replayName', 1, 64)
      .pattern(name, 'replayName', NAME_PATTERN, NAME_PATTERN_TEXT)
      .required(source, 'eventSourceArn')
      .length(source, 'eventSourceArn', 1, 1600)
      .required(input['EventStartTime'], 'eventStartTime')
      .required(input['EventEndTime'], 'eventEndTime')
      .required(destination, 'destination')
      .required(destinationArn, 'destination.arn')
      .length(description, 'description', 0, 512)
      .check();
    const start = parseTimestamp(input['EventStartTime'], 'EventStartTime');
    const end = parseTimestamp(input['EventEndTime'], 'EventEndTime');
    if (this.byName.has(name!)) throw alreadyExists(`Replay ${name} already exists.`);
    if (end <= start) {
      throw validationError(
        'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.',
      );
    }
    const archive = this.archives.byArn(source!);
    if (!archive) {
      throw validationError(
        `Parameter EventSourceArn is not valid. Reason: Archive ${source!.split('/').pop()} does not exist.`,
      );
    }
    this.checkDestination(destinationArn!, archive);

    const replay: Replay = {
      name: name!,
      arn: this.arns.replay(name!),
      eventSourceArn: source!,
      destination: { Arn: destinationArn!, ...(filterArns && { FilterArns: [...filterArns] }) },
      eventStartTime: start,
      eventEndTime: end,
      state: 'STARTING',
      replayStartTime: this.now(),
    };
    if (description !== undefined) replay.description = description;
    this.byName.set(replay.name, replay);
    const run = this.run(replay).catch((error: unknown) => {
      this.finish(replay, 'FAILED', error instanceof Error ? error.message : String(error));
    });
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return {
      ReplayArn: replay.arn,
      State: replay.state,
      ReplayStartTime: epochSeconds(replay.replayStartTime),
    };
  }

  cancel(input: Input) {
    const replay = this.require(input);
    if (replay.state !== 'STARTING' && replay.state !== 'RUNNING') {
      throw new AwsError(
        'IllegalStatusException',
        `Replay ${replay.name} is not in a valid state for this operation.`,
      );
    }
    replay.state = 'CANCELLING';
    this.cancelRequested.add(replay.name);
    return { ReplayArn: replay.arn, State: replay.state };
  }

  describe(input: Input) {
    const replay = this.require(input);
    return {
      ReplayName: replay.name,
      ReplayArn: replay.arn,
      ...(replay.description !== undefined && { Description: replay.description }),
      State: replay.state,
      ...(replay.stateReason !== undefined && { StateReason: replay.stateReason }),
      EventSourceArn: replay.eventSourceArn,
      Destination: replay.destination,
      ...times(replay),
    };
  }

  list(input: Input) {
    const { prefix, source, state } = listFilters(input, 'ListReplays', REPLAY_STATES);
    const replays = [...this.byName.values()]
      .filter((r) => prefix === undefined || r.name.startsWith(prefix))
      .filter((r) => source === undefined || r.eventSourceArn === source)
      .filter((r) => state === undefined || r.state === state)
      .sort((a, b) => a.name.localeCompare(b.name));
    const page = paginate(replays, input);
    return {
      Replays: page.items.map((replay) => ({
        ReplayName: replay.name,
        EventSourceArn: replay.eventSourceArn,
        State: replay.state,
        ...(replay.stateReason !== undefined && { StateReason: replay.stateReason }),
        ...times(replay),
      })),
      ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
    };
  }

  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  async stop(): Promise<void> {
    this.aborter.abort();
    await this.settled();
  }

  private checkDestination(arn: string, archive: Archive): void {
    if (!isBusArn(arn)) {
      throw validationError(
        `Parameter Destination.Arn is not valid. Reason: Must contain an event bus ARN (received '${arn}').`,
      );
    }
    const busName = busNameOf(arn);
    if (!this.busExists(busName) || this.arns.bus(busName) !== arn) {
      throw notFound(`Event bus ${busName} does not exist.`);
    }
    if (arn !== archive.eventSourceArn) {
      throw validationError(
        'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.',
      );
    }
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

  private require(input: Input): Replay {
    const name = optString(input, 'ReplayName');
    new Constraints()
      .required(name, 'replayName')
      .length(name, 'replayName', 1, 64)
      .pattern(name, 'replayName', NAME_PATTERN, NAME_PATTERN_TEXT)
      .check();
    const replay = this.byName.get(name!);
    if (!replay) throw notFound(`Replay ${name} does not exist.`);
    return replay;
  }
}

function times(replay: Replay) {
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
