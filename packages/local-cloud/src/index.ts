/**
 * The local cloud's public API: start it, deploy a synthesized CDK app (a cloud
 * assembly) onto it, stop it. Everything else in `src/` is internal.
 *
 *   const cloud = await startLocalCloud({ port: 0 });
 *   const app = await loadApp({ cdkOut: 'cdk.out', cloud, apiPort: 0 });
 *   ...
 *   await app.stop();
 *   await cloud.stop();
 */
export {
  startLocalCloud,
  type LocalCloud,
  type LocalCloudOptions,
  type LocalRoute,
  type LocalSqs,
  type EdgeResponse,
} from './cloud.js';
export {
  loadApp,
  type LoadAppOptions,
  type RunningApp,
  type DeployedResource,
  type DeployedStack,
  type LocalFunction,
  type InvokeOutcome,
  type FunctionStats,
  type MappingInfo,
  type InvocationSummary,
  formatSummary,
} from './app/index.js';
export {
  checkPlan,
  FaultInjector,
  FaultPlanError,
  NO_FAULTS,
  type FaultKind,
  type FaultPlan,
  type FaultStats,
} from './faults/plan.js';
export type { CloudContext, RecordedEvent, Recorder } from './core/types.js';
export { DynamoDbLocal, type DynamoDbLocalOptions } from './dynamodb/process.js';
export type { CapacityMeter, TableUnits } from './dynamodb/capacity-meter.js';
export { seededRandom } from './core/random.js';
export { ManualClock, systemClock, type Clock, type ClockTimer } from './core/clock.js';
export type {
  SchedulerService,
  ScheduledInvocation,
  ScheduleTargetDeliverer,
} from './scheduler/service.js';
export type { ConsoleHost, ConsoleApp } from './console/index.js';
