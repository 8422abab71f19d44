import type { Decider } from '#plumbing/decider.js';
import { render, type CustomerFacingEvent, type Notification } from './notification.js';

/**
 * The per-event state machine: nothing recorded -> the notification recorded;
 * recorded -> nothing more, however often the event comes. The adapter applies
 * exactly this rule atomically (a put conditioned on the eventId being new), so
 * the handler renders and saves without loading first.
 */
export type NotificationCommand = { type: 'RecordNotification'; event: CustomerFacingEvent };
export type NotificationEvent = { type: 'NotificationRecorded'; notification: Notification };

/** Nothing recorded yet for this event, or its notification. */
export type NotificationState = Notification | undefined;

export function decide(
  command: NotificationCommand,
  recorded: NotificationState,
): NotificationEvent[] {
  return recorded ? [] : [{ type: 'NotificationRecorded', notification: render(command.event) }];
}

export function evolve(_recorded: NotificationState, event: NotificationEvent): NotificationState {
  return event.notification;
}

export const notificationDecider = {
  initialState: undefined as NotificationState,
  decide,
  evolve,
} satisfies Decider<NotificationState, NotificationCommand, NotificationEvent>;
