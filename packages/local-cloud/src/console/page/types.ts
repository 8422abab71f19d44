import type { FunctionFigures } from '../function-window.js';
import type { QueueFigures } from '../queues.js';

/** The figures the stream sends every second (LocalConsole.stats). */
export interface Stats {
  at: string;
  queues: QueueFigures[];
  functions: FunctionFigures[];
  faults: { enabled: boolean; plan: Record<string, unknown>; injected: Record<string, number> };
}
