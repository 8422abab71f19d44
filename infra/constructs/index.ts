export * from './service-function.js';
export * from './service-table.js';
export * from './outbox-publisher.js';
export * from './subscription.js';
export * from './api-route.js';
