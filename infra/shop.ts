import {
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  RemovalPolicy,
  Tags,
  type Environment,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ServiceLogLevel } from './constructs/service-function.js';
import { MAX_ORDER_DEADLINE, MIN_ORDER_DEADLINE } from './constructs/order-deadlines.js';
import { DEFAULT_PARAMETER_PREFIX } from './constructs/platform-parameters.js';
import { DashboardStack } from './stacks/dashboard-stack.js';
import { EdgeStack, type ThrottleLimits } from './stacks/edge-stack.js';
import { IdentityStack } from './stacks/identity-stack.js';
import { InventoryStack } from './stacks/inventory-stack.js';
import { NotificationsStack } from './stacks/notifications-stack.js';
import { OrdersStack } from './stacks/orders-stack.js';
import { PaymentsStack } from './stacks/payments-stack.js';
import { PlatformStack } from './stacks/platform-stack.js';
import type { ServiceStack } from './stacks/service-stack.js';
import { ShippingStack } from './stacks/shipping-stack.js';
import { ViewsStack } from './stacks/views-stack.js';

/**
 * The app's configuration, read from CDK context (`-c key=value` or cdk.json):
 *
 * - `paymentProviderUrl` (required): base URL of the payment provider payments
 *   calls; `https://`, or `http://` to a loopback host (a local run's simulator).
 * - `providerCredentialSecretName`: an existing secret with the provider's
 *   credential. Default: the payments stack creates one to fill in.
 * - `removalPolicy`: `retain` (default) or `destroy`: what happens to tables,
 *   secrets, the user pool and the PII key when their stack is deleted.
 * - `logLevel`: POWERTOOLS_LOG_LEVEL of every function: DEBUG, INFO (default), WARN, ERROR.
 * - `archiveRetentionDays`: how long the bus's archive keeps events. Default 30.
 * - `alarmEmail`: an address subscribed to the alarm topic (it must confirm).
 *   Default none: subscribe to the `AlarmTopicArn` output yourself.
 * - `parameterPrefix`: where the platform's SSM parameters live. Default `/shop`.
 * - `apiRateLimit` / `apiBurstLimit`: the stage's default throttle. Default 100 / 200.
 * - `<route>RateLimit` / `<route>BurstLimit` for each key of ROUTE_THROTTLES
 *   (e.g. `placeOrderRateLimit`): tighter limits on single routes.
 * - `orderDeadline`: how long an order may stay neither CONFIRMED nor CANCELLED
 *   before it is cancelled with reason TIMED_OUT, as `<n>s`, `<n>m` or `<n>h`
 *   (5 s to 24 h). Default `15m` (docs/adr/0017-saga-deadlines.md).
 */
export interface ShopConfig {
  readonly paymentProviderUrl: string;
  readonly providerCredentialSecretName?: string;
  readonly removalPolicy: RemovalPolicy;
  readonly logLevel: ServiceLogLevel;
  readonly archiveRetention: Duration;
  readonly alarmEmail?: string;
  readonly parameterPrefix: string;
  readonly defaultThrottle: ThrottleLimits;
  /** By route key, e.g. `POST /orders`. */
  readonly routeThrottles: Readonly<Record<string, ThrottleLimits>>;
  readonly orderDeadline: Duration;
}

/**
 * Routes throttled tighter than the stage default, by context name: placing an
 * order starts a saga (a charge, a reservation, a shipment), an export reads up to a
 * year of orders into a file, and the webhook is public, so none may take the whole
 * API's budget.
 */
export const ROUTE_THROTTLES: Readonly<
  Record<string, { routeKey: string; defaults: ThrottleLimits }>
> = {
  placeOrder: { routeKey: 'POST /orders', defaults: { rateLimit: 20, burstLimit: 40 } },
  placeExport: { routeKey: 'POST /exports', defaults: { rateLimit: 5, burstLimit: 10 } },
  carrierWebhook: {
    routeKey: 'POST /shipments/{shipmentId}/events',
    defaults: { rateLimit: 10, burstLimit: 20 },
  },
};

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The provider URL, or an error saying what was received and what to pass. */
export function checkPaymentProviderUrl(value: string | undefined): string {
  const hint =
    'pass -c paymentProviderUrl=https://your-provider.example (http:// only to a loopback host, for a local run)';
  if (value === undefined || value.trim() === '') {
    throw new Error(
      `Context paymentProviderUrl is required: without it every charge fails; ${hint}.`,
    );
  }
  if (!URL.canParse(value)) {
    throw new Error(`Context paymentProviderUrl must be an absolute URL, got "${value}"; ${hint}.`);
  }
  const url = new URL(value);
  const loopback = LOOPBACK_HOSTS.has(url.hostname) || /^127\./.test(url.hostname);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return value;
  throw new Error(
    `Context paymentProviderUrl must be https:// (payment tokens travel in it), got "${value}"; ${hint}.`,
  );
}

const DEADLINE_UNITS = { s: Duration.seconds, m: Duration.minutes, h: Duration.hours } as const;

/** The orderDeadline context (`10s`, `15m`, `1h`), or an error naming the key and the range. */
export function parseOrderDeadline(value: string | undefined): Duration {
  if (value === undefined || value.trim() === '') return Duration.minutes(15);
  const hint = `pass -c orderDeadline=<n>s|<n>m|<n>h from ${MIN_ORDER_DEADLINE.toHumanString()} to ${MAX_ORDER_DEADLINE.toHumanString()}, e.g. 15m`;
  const match = /^\s*(\d+)\s*([smh])\s*$/.exec(value);
  if (!match) {
    throw new Error(
      `Context orderDeadline must be a duration like 10s, 15m or 1h, got "${value}"; ${hint}.`,
    );
  }
  const deadline = DEADLINE_UNITS[match[2] as keyof typeof DEADLINE_UNITS](Number(match[1]));
  const seconds = deadline.toSeconds();
  if (seconds < MIN_ORDER_DEADLINE.toSeconds() || seconds > MAX_ORDER_DEADLINE.toSeconds()) {
    throw new Error(`Context orderDeadline is out of range, got "${value}"; ${hint}.`);
  }
  return deadline;
}

const LOG_LEVELS: readonly ServiceLogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];

/** Reads and checks the configuration from the app's context; errors name the key. */
export function readConfig(scope: Construct): ShopConfig {
  const ctx = (key: string): string | undefined => {
    const value: unknown = scope.node.tryGetContext(key);
    return value === undefined || value === null ? undefined : String(value);
  };

  const paymentProviderUrl = checkPaymentProviderUrl(ctx('paymentProviderUrl'));
  const positive = (key: string, fallback: number): number => {
    const raw = ctx(key);
    const n = Number(raw ?? fallback);
    if (!Number.isInteger(n) || n < 1) {
      throw new Error(`Context ${key} must be a whole number above 0, got "${raw}".`);
    }
    return n;
  };
  const parameterPrefix = ctx('parameterPrefix') ?? DEFAULT_PARAMETER_PREFIX;
  if (!/^(\/[A-Za-z0-9_.-]+)+$/.test(parameterPrefix)) {
    throw new Error(
      `Context parameterPrefix must be an SSM path like /shop or /shop-dev, got "${parameterPrefix}".`,
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
    providerCredentialSecretName: ctx('providerCredentialSecretName')?.trim() || undefined,
    parameterPrefix,
    defaultThrottle: {
      rateLimit: positive('apiRateLimit', 100),
      burstLimit: positive('apiBurstLimit', 200),
    },
    routeThrottles: Object.fromEntries(
      Object.entries(ROUTE_THROTTLES).map(([name, { routeKey, defaults }]) => [
        routeKey,
        {
          rateLimit: positive(`${name}RateLimit`, defaults.rateLimit),
          burstLimit: positive(`${name}BurstLimit`, defaults.burstLimit),
        },
      ]),
    ),
    removalPolicy: removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    logLevel,
    archiveRetention: Duration.days(days),
    alarmEmail,
    orderDeadline: parseOrderDeadline(ctx('orderDeadline')),
  };
}

export interface ShopStacks {
  readonly identity: IdentityStack;
  readonly platform: PlatformStack;
  readonly orders: OrdersStack;
  readonly inventory: InventoryStack;
  readonly payments: PaymentsStack;
  readonly shipping: ShippingStack;
  readonly notifications: NotificationsStack;
  readonly views: ViewsStack;
  readonly edge: EdgeStack;
  readonly dashboard: DashboardStack;
}

/**
 * Adds the identity and platform stacks, the five service stacks, the edge
 * stack (the API's stage) and the dashboard stack to `scope` (an App).
 */
export function buildShop(
  scope: Construct,
  config: ShopConfig = readConfig(scope),
  env?: Environment,
): ShopStacks {
  // The services read the platform through SSM parameters (no exports); what
  // is still referenced across stacks (the pool for the authorizer, the service
  // resources the dashboard graphs) stays strong unless cdk.json / -c chose.
  if (scope.node.tryGetContext('@aws-cdk/core:defaultCrossStackReferences') === undefined) {
    CrossStackReferences.of(scope).consume(ReferenceStrength.STRONG);
  }
  Tags.of(scope).add('project', 'shop');
  const identity = new IdentityStack(scope, 'Shop-Identity', {
    env,
    description: 'shop: the user pool of customers and operators',
    removalPolicy: config.removalPolicy,
  });
  const platform = new PlatformStack(scope, 'Shop-Platform', {
    env,
    description:
      'shop: the event bus, its archive and schema registry, the HTTP API and its authorizer, the PII key',
    archiveRetention: config.archiveRetention,
    alarmEmail: config.alarmEmail,
    issuerUrl: identity.issuerUrl,
    audience: identity.userPoolClient.userPoolClientId,
    parameterPrefix: config.parameterPrefix,
    removalPolicy: config.removalPolicy,
  });
  const common = {
    env,
    parameterPrefix: config.parameterPrefix,
    removalPolicy: config.removalPolicy,
    logLevel: config.logLevel,
  };
  const services = {
    orders: new OrdersStack(scope, 'Shop-Orders', {
      ...common,
      description: 'shop: the orders service',
      // A provider on loopback http is a local run: export callbacks may go to loopback too.
      allowLoopbackCallbacks: new URL(config.paymentProviderUrl).protocol === 'http:',
      orderDeadline: config.orderDeadline,
    }),
    inventory: new InventoryStack(scope, 'Shop-Inventory', {
      ...common,
      description: 'shop: the inventory service',
    }),
    payments: new PaymentsStack(scope, 'Shop-Payments', {
      ...common,
      description: 'shop: the payments service',
      paymentProviderUrl: config.paymentProviderUrl,
      providerCredentialSecretName: config.providerCredentialSecretName,
    }),
    shipping: new ShippingStack(scope, 'Shop-Shipping', {
      ...common,
      description: 'shop: the shipping service',
    }),
    notifications: new NotificationsStack(scope, 'Shop-Notifications', {
      ...common,
      description: 'shop: the notifications service',
    }),
    views: new ViewsStack(scope, 'Shop-Views', {
      ...common,
      description: 'shop: the read model of orders (views fed by events)',
    }),
  };
  // No reference tells CloudFormation the order any more: the parameters must exist first.
  for (const service of Object.values(services)) service.addStackDependency(platform);
  const edge = new EdgeStack(scope, 'Shop-Edge', {
    env,
    description: "shop: the HTTP API's $default stage: throttling and access logs",
    parameterPrefix: config.parameterPrefix,
    defaultThrottle: config.defaultThrottle,
    routeThrottles: config.routeThrottles,
  });
  const routeKeys = new Set(
    Object.values(services).flatMap((s) => s.routes.map((r) => r.routeKey)),
  );
  for (const routeKey of Object.keys(config.routeThrottles)) {
    if (!routeKeys.has(routeKey)) {
      throw new Error(
        `Route throttle for "${routeKey}": no service has that route (routes: ${[...routeKeys].join(', ')}).`,
      );
    }
  }
  edge.addStackDependency(platform);
  for (const service of Object.values(services)) edge.addStackDependency(service);
  const dashboard = new DashboardStack(scope, 'Shop-Dashboard', {
    env,
    description: 'shop: the CloudWatch dashboard of the order saga',
    parameterPrefix: config.parameterPrefix,
    services: Object.values(services),
  });
  dashboard.addStackDependency(platform);
  return { identity, platform, ...services, edge, dashboard };
}

/** The service stacks, for code that treats them alike. */
export function serviceStacks(stacks: ShopStacks): ServiceStack[] {
  return [
    stacks.orders,
    stacks.inventory,
    stacks.payments,
    stacks.shipping,
    stacks.notifications,
    stacks.views,
  ];
}
