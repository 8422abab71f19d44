/** Every EventBridge action the local cloud emulates, one file each, by wire name. */
import type { BusAction, EventsAction } from './action.js';
import { cancelReplay } from './cancel-replay.js';
import { createArchive } from './create-archive.js';
import { createEventBus } from './create-event-bus.js';
import { deleteArchive } from './delete-archive.js';
import { deleteEventBus } from './delete-event-bus.js';
import { deleteRule } from './delete-rule.js';
import { describeArchive } from './describe-archive.js';
import { describeEventBus } from './describe-event-bus.js';
import { describeReplay } from './describe-replay.js';
import { describeRule } from './describe-rule.js';
import { disableRule } from './disable-rule.js';
import { enableRule } from './enable-rule.js';
import { listArchives } from './list-archives.js';
import { listEventBuses } from './list-event-buses.js';
import { listReplays } from './list-replays.js';
import { listRuleNamesByTarget } from './list-rule-names-by-target.js';
import { listRules } from './list-rules.js';
import { listTagsForResource } from './list-tags-for-resource.js';
import { listTargetsByRule } from './list-targets-by-rule.js';
import { putEvents } from './put-events.js';
import { putPermission } from './put-permission.js';
import { putRule } from './put-rule.js';
import { putTargets } from './put-targets.js';
import { removePermission } from './remove-permission.js';
import { removeTargets } from './remove-targets.js';
import { startReplay } from './start-replay.js';
import { tagResource } from './tag-resource.js';
import { testEventPattern } from './test-event-pattern.js';
import { untagResource } from './untag-resource.js';
import { updateArchive } from './update-archive.js';

// Each action's own input and result types are checked where it is defined.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const BUS_ACTIONS: Record<string, BusAction<any, unknown>> = {
  CreateEventBus: createEventBus,
  DescribeEventBus: describeEventBus,
  ListEventBuses: listEventBuses,
  DeleteEventBus: deleteEventBus,
  PutPermission: putPermission,
  RemovePermission: removePermission,
  PutRule: putRule,
  DescribeRule: describeRule,
  ListRules: listRules,
  ListRuleNamesByTarget: listRuleNamesByTarget,
  EnableRule: enableRule,
  DisableRule: disableRule,
  DeleteRule: deleteRule,
  PutTargets: putTargets,
  ListTargetsByRule: listTargetsByRule,
  RemoveTargets: removeTargets,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const EVENTS_ACTIONS: Record<string, EventsAction<any, unknown>> = {
  PutEvents: putEvents,
  TestEventPattern: testEventPattern,
  CreateArchive: createArchive,
  DescribeArchive: describeArchive,
  UpdateArchive: updateArchive,
  ListArchives: listArchives,
  DeleteArchive: deleteArchive,
  StartReplay: startReplay,
  DescribeReplay: describeReplay,
  ListReplays: listReplays,
  CancelReplay: cancelReplay,
};
