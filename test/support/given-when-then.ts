import { expect } from 'vitest';
import type { Decider } from '#plumbing/decider.js';

/**
 * Given / When / Then over events:
 * `spec(decider).given([placed]).when(authorize).then([confirmed])`.
 * `then` compares with toEqual, so pass `expect.objectContaining` / `expect.any` where
 * ids or times are generated.
 */
export function spec<State, Command, Event>(decider: Decider<State, Command, Event>) {
  return {
    given(history: readonly Event[]) {
      const state = history.reduce(decider.evolve, decider.initialState);
      return {
        when(command: Command) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: readonly unknown[]) {
              expect(run()).toEqual(expected);
            },
            thenNothing() {
              expect(run()).toEqual([]);
            },
            thenThrows(error: string | RegExp | (new (...args: never[]) => Error)) {
              expect(run).toThrow(error as never);
            },
            thenState(check: (next: State) => void) {
              check(run().reduce(decider.evolve, state));
            },
          };
        },
      };
    },
  };
}
