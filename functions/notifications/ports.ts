import type { Notification } from './domain/notification.js';

/** Records a notification once: 'duplicate' when its event was recorded before. */
export type SaveNotification = (notification: Notification) => Promise<'recorded' | 'duplicate'>;

/** Where a page ended: the last notification returned (pages run newest first). */
export interface PagePosition {
  occurredAt: string;
  eventId: string;
}

export interface NotificationPage {
  notifications: Notification[];
  /** Set when there may be more, older notifications. */
  next?: PagePosition | undefined;
}

export type ListNotifications = (
  customerId: string,
  page: { limit: number; after?: PagePosition | undefined },
) => Promise<NotificationPage>;
