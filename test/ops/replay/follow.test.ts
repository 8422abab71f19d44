import {
  CancelReplayCommand,
  DescribeReplayCommand,
  type DescribeReplayCommandOutput,
} from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { describeOutcome, followReplay } from '../../../ops/replay/follow.js';
import type { AwsTarget } from '../../../ops/shared/aws.js';
import { capture } from '../support.js';

const window = { from: new Date('2024-05-01T10:00:00Z'), to: new Date('2024-05-01T11:00:00Z') };

/** A replay that runs until it is cancelled, as a slow AWS replay does. */
function slowReplay() {
  const sent: string[] = [];
  let state = 'RUNNING';
  const target = {
    local: undefined,
    events: {
      send: async (command: object) => {
        sent.push(command.constructor.name);
        if (command instanceof CancelReplayCommand) state = 'CANCELLING';
        else if (command instanceof DescribeReplayCommand) {
          const out: Partial<DescribeReplayCommandOutput> = {
            State: state as DescribeReplayCommandOutput['State'],
            EventLastReplayedTime: new Date('2024-05-01T10:30:00Z'),
            ReplayStartTime: new Date('2024-05-01T12:00:00Z'),
          };
          if (state === 'CANCELLING') state = 'CANCELLED';
          return out;
        }
        return {};
      },
    },
  };
  return { target: target as unknown as AwsTarget, sent };
}

describe('followReplay', () => {
  it('cancels the replay on Ctrl-C and waits until it has stopped', async () => {
    const { target, sent } = slowReplay();
    const controller = new AbortController();
    const c = capture();
    const io = { ...c.io, signal: controller.signal };
    setTimeout(() => controller.abort(), 30);
    const result = await followReplay(target, 'r1', window, io, 5);
    expect(result).toMatchObject({ state: 'CANCELLED', interrupted: true });
    expect(sent.filter((s) => s === 'CancelReplayCommand')).toHaveLength(1);
    expect(c.stderr()).toContain('Cancelling replay r1...');
  });

  it('draws progress through the window on a terminal only', async () => {
    const { target } = slowReplay();
    const controller = new AbortController();
    let drawn = '';
    const io = {
      ...capture().io,
      stderr: { isTTY: true, columns: 100, write: (s: string) => (drawn += s) },
      signal: controller.signal,
    };
    setTimeout(() => controller.abort(), 30);
    await followReplay(target, 'r1', window, io, 5);
    expect(drawn).toContain('replaying [');
    expect(drawn).toContain(' 50% running, at 2024-05-01T10:30:00.000Z');
  });
});

describe('describeOutcome', () => {
  it('says how it ended, and why when it failed', () => {
    expect(
      describeOutcome('r1', {
        state: 'FAILED',
        stateReason: 'Archive was deleted',
        interrupted: false,
      }),
    ).toBe('Replay r1 FAILED (Archive was deleted).');
  });
});
