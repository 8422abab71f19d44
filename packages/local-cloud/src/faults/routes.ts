/**
 * `/_local/faults` on the edge: read, set and clear the fault plan of a
 * running local cloud (the chaos runner and `curl` use it).
 *
 *   GET    /_local/faults   -> { enabled, plan, injected }
 *   PUT    /_local/faults   body: a JSON Partial<FaultPlan> -> faults on (400 naming a bad field)
 *   DELETE /_local/faults   -> faults off
 */
import { AwsError } from '../core/errors.js';
import type { EdgeResponse, Route } from '../edge/http.js';
import { checkPlan, FaultPlanError, type FaultInjector } from './plan.js';

const PATH = /^\/_local\/faults\/?$/;

export function faultRoutes(faults: FaultInjector): Route[] {
  const state = (): EdgeResponse => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      enabled: faults.enabled(),
      plan: faults.plan(),
      injected: faults.stats(),
    }),
  });
  return [
    { method: 'GET', path: PATH, handle: async () => state() },
    {
      method: 'PUT',
      path: PATH,
      handle: async (_req, body) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          throw new AwsError(
            'ValidationException',
            `The body of PUT /_local/faults must be a JSON fault plan such as {"seed":1,"handlerErrorRate":0.2}; received ${JSON.stringify(body.toString('utf8').slice(0, 80))}.`,
          );
        }
        try {
          faults.set(checkPlan(parsed));
        } catch (e) {
          if (e instanceof FaultPlanError) throw new AwsError('ValidationException', e.message);
          throw e;
        }
        return state();
      },
    },
    {
      method: 'DELETE',
      path: PATH,
      handle: async () => {
        faults.clear();
        return state();
      },
    },
  ];
}
