import {
  CancelReplayCommand,
  DescribeReplayCommand,
  type DescribeReplayCommandOutput,
} from '@aws-sdk/client-eventbridge';
import type { AwsTarget } from '../shared/aws.js';
import { pause, println, type Io } from '../shared/cli.js';
import { progressBar } from '../shared/progress.js';
import { formatDuration } from '../shared/time.js';

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

export interface FollowResult {
  readonly state: string;
  readonly stateReason?: string;
  readonly replayStartTime?: string;
  readonly replayEndTime?: string;
  readonly eventLastReplayedTime?: string;
  /** The operator pressed Ctrl-C and the replay was cancelled. */
  readonly interrupted: boolean;
}

/**
 * Polls DescribeReplay until the replay ends. Progress is how far
 * EventLastReplayedTime has moved through the window (AWS tells no event
 * counts). On Ctrl-C it cancels the replay and waits for it to stop.
 */
export async function followReplay(
  target: AwsTarget,
  replayName: string,
  window: { from: Date; to: Date },
  io: Io,
  pollMs: number,
): Promise<FollowResult> {
  const bar = progressBar(io.stderr, 'replaying');
  const span = window.to.getTime() - window.from.getTime();
  let cancelled = false;
  let last: DescribeReplayCommandOutput;
  for (;;) {
    last = await target.events.send(new DescribeReplayCommand({ ReplayName: replayName }));
    const state = last.State ?? 'UNKNOWN';
    if (TERMINAL.has(state)) break;
    const at = last.EventLastReplayedTime?.getTime();
    const done = at === undefined ? 0 : at - window.from.getTime();
    bar.update(
      done,
      span,
      `${state.toLowerCase()}${at ? `, at ${new Date(at).toISOString()}` : ''}`,
    );
    if (io.signal?.aborted && !cancelled) {
      cancelled = true;
      bar.stop();
      println(io.stderr, `Cancelling replay ${replayName}...`);
      try {
        await target.events.send(new CancelReplayCommand({ ReplayName: replayName }));
      } catch (err) {
        // It may have just finished; the next poll tells.
        println(io.stderr, `CancelReplay: ${(err as Error).message}`);
      }
    }
    await pause(pollMs, cancelled ? undefined : io.signal);
  }
  bar.stop();
  const started = last.ReplayStartTime?.getTime();
  const ended = last.ReplayEndTime?.getTime();
  return {
    state: last.State ?? 'UNKNOWN',
    ...(last.StateReason !== undefined && { stateReason: last.StateReason }),
    ...(started !== undefined && { replayStartTime: new Date(started).toISOString() }),
    ...(ended !== undefined && { replayEndTime: new Date(ended).toISOString() }),
    ...(last.EventLastReplayedTime !== undefined && {
      eventLastReplayedTime: last.EventLastReplayedTime.toISOString(),
    }),
    interrupted: cancelled,
  };
}

export function describeOutcome(replayName: string, r: FollowResult): string {
  const took =
    r.replayStartTime && r.replayEndTime
      ? ` in ${formatDuration(Date.parse(r.replayEndTime) - Date.parse(r.replayStartTime))}`
      : '';
  const lastEvent = r.eventLastReplayedTime
    ? `; last event replayed was archived at ${r.eventLastReplayedTime}`
    : '; no archived event fell in the window';
  const reason = r.stateReason ? ` (${r.stateReason})` : '';
  return `Replay ${replayName} ${r.state}${took}${reason}${r.state === 'COMPLETED' ? lastEvent : ''}.`;
}
