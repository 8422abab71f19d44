import {
  Annotations,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  RemovalPolicy,
  Tags,
  type Environment,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ServiceLogLevel } from './constructs/service-function.js';
import { DashboardStack } from './stacks/dashboard-stack.js';
import { InventoryStack } from './stacks/inventory-stack.js';
import { NotificationsStack } from './stacks/notifications-stack.js';
import { OrdersStack } from './stacks/orders-stack.js';
import { PaymentsStack } from './stacks/payments-stack.js';
import { PlatformStack } from './stacks/platform-stack.js';
import type { ServiceStack } from './stacks/service-stack.js';
import { ShippingStack } from './stacks/shipping-stack.js';

/** Placeholder provider URL: synth works without one, but a deployed app cannot charge. */
export const PLACEHOLDER_PAYMENT_PROVIDER_URL = 'https://payments.invalid';

/**
 * The app's configuration, read from CDK context (`-c key=value` or cdk.json):
 *
 * - `paymentProviderUrl`: base URL of the payment provider payments calls.
 *   Default `https://payments.invalid`, with a synth warning.
 * - `removalPolicy`: `retain` (default) or `destroy`: what happens to tables and
 *   secrets when their stack is deleted. `destroy` is for throwaway dev stacks.
 * - `logLevel`: POWERTOOLS_LOG_LEVEL of every function: DEBUG, INFO (default), WARN, ERROR.
 * - `archiveRetentionDays`: how long the bus's archive keeps events. Default 30.
 * - `alarmEmail`: an address subscribed to the alarm topic (it must confirm).
 *   Default none: subscribe to the `AlarmTopicArn` output yourself.
 */
export interface ShopConfig {
  readonly paymentProviderUrl: string;
  readonly removalPolicy: RemovalPolicy;
  readonly logLevel: ServiceLogLevel;
  readonly archiveRetention: Duration;
  readonly alarmEmail?: string;
}

const LOG_LEVELS: readonly ServiceLogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];

/** Reads and checks the configuration from the app's context; errors name the key. */
export function readConfig(scope: Construct): ShopConfig {
  const ctx = (key: string): string | undefined => {
    const value: unknown = scope.node.tryGetContext(key);
    return value === undefined || value === null ? undefined : String(value);
  };

  const paymentProviderUrl = ctx('paymentProviderUrl') ?? PLACEHOLDER_PAYMENT_PROVIDER_URL;
  if (!URL.canParse(paymentProviderUrl)) {
    throw new Error(
      `Context paymentProviderUrl must be an absolute URL, got "${paymentProviderUrl}"; pass -c paymentProviderUrl=https://...`,
    );
  }

  const removal = (ctx('removalPolicy') ?? 'retain').toLowerCase();
  if (removal !== 'retain' && removal !== 'destroy') {
    throw new Error(`Context removalPolicy must be "retain" or "destroy", got "${removal}".`);
  }

  const logLevel = (ctx('logLevel') ?? 'INFO').toUpperCase() as ServiceLogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new Error(`Context logLevel must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}".`);
  }

  const days = Number(ctx('archiveRetentionDays') ?? 30);
  if (!Number.isInteger(days) || days < 0) {
    throw new Error(
      `Context archiveRetentionDays must be a whole number of days (0 = forever), got "${ctx('archiveRetentionDays')}".`,
    );
  }

  const alarmEmail = ctx('alarmEmail')?.trim() || undefined;
  // A loose check: SNS and the confirmation mail are the real test of an address.
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    throw new Error(
      `Context alarmEmail must be an email address, got "${alarmEmail}"; pass -c alarmEmail=oncall@example.com or leave it out.`,
    );
  }

  return {
    paymentProviderUrl,
    removalPolicy: removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    logLevel,
    archiveRetention: Duration.days(days),
    alarmEmail,
  };
}

export interface ShopStacks {
  readonly platform: PlatformStack;
  readonly orders: OrdersStack;
  readonly inventory: InventoryStack;
  readonly payments: PaymentsStack;
  readonly shipping: ShippingStack;
  readonly notifications: NotificationsStack;
  readonly dashboard: DashboardStack;
}

/**
 * Adds the platform stack, the five service stacks and the dashboard stack to
 * `scope` (an App).
 */
export function buildShop(
  scope: Construct,
  config: ShopConfig = readConfig(scope),
  env?: Environment,
): ShopStacks {
  // Services import the bus and the API from the platform with Fn::ImportValue
  // (strong references): the platform cannot be torn down under them, and the
  // local cloud resolves imports. Set here unless cdk.json / -c already chose.
  if (scope.node.tryGetContext('@aws-cdk/core:defaultCrossStackReferences') === undefined) {
    CrossStackReferences.of(scope).consume(ReferenceStrength.STRONG);
  }
  Tags.of(scope).add('project', 'shop');
  const platform = new PlatformStack(scope, 'Shop-Platform', {
    env,
    description: 'shop: the event bus, its archive and schema registry, and the HTTP API',
    archiveRetention: config.archiveRetention,
    alarmEmail: config.alarmEmail,
  });
  const common = {
    env,
    bus: platform.bus,
    httpApi: platform.httpApi,
    alarmTopic: platform.alarmTopic,
    removalPolicy: config.removalPolicy,
    logLevel: config.logLevel,
  };
  const services = {
    orders: new OrdersStack(scope, 'Shop-Orders', {
      ...common,
      description: 'shop: the orders service',
    }),
    inventory: new InventoryStack(scope, 'Shop-Inventory', {
      ...common,
      description: 'shop: the inventory service',
    }),
    payments: new PaymentsStack(scope, 'Shop-Payments', {
      ...common,
      description: 'shop: the payments service',
      paymentProviderUrl: config.paymentProviderUrl,
    }),
    shipping: new ShippingStack(scope, 'Shop-Shipping', {
      ...common,
      description: 'shop: the shipping service',
    }),
    notifications: new NotificationsStack(scope, 'Shop-Notifications', {
      ...common,
      description: 'shop: the notifications service',
    }),
  };
  const stacks: ShopStacks = {
    platform,
    ...services,
    dashboard: new DashboardStack(scope, 'Shop-Dashboard', {
      env,
      description: 'shop: the CloudWatch dashboard of the order saga',
      bus: platform.bus,
      services: Object.values(services),
    }),
  };
  if (config.paymentProviderUrl === PLACEHOLDER_PAYMENT_PROVIDER_URL) {
    Annotations.of(stacks.payments).addWarningV2(
      'shop:paymentProviderUrl',
      `No payment provider configured: payments will call ${PLACEHOLDER_PAYMENT_PROVIDER_URL}, so every charge fails. Pass -c paymentProviderUrl=https://your-provider.example (for a local run, the provider simulator's URL).`,
    );
  }
  return stacks;
}

/** The service stacks, for code that treats them alike. */
export function serviceStacks(stacks: ShopStacks): ServiceStack[] {
  return [stacks.orders, stacks.inventory, stacks.payments, stacks.shipping, stacks.notifications];
}
