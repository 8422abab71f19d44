import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { join } from 'node:path';
import {
  loadApp,
  type InvocationSummary,
  type RunningApp,
  startLocalCloud,
  type LocalCloud,
  type FaultInjector,
} from '@shop/local-cloud';
import { orderViewReader } from './order-view.js';
import { seedCatalog } from './catalog.js';
import type { PaymentProvider } from '../payment-provider/server.js';
import { startProviderFor } from './provider.js';
import { synthIfChanged } from './synth.js';
import { IDENTITY_STACK, poolFromOutputs, seedDemoUsers } from './users.js';
import { demoSignIn, type SignIn } from './sign-in.js';

export interface ShopOptions {
  /** Repository root (where cdk.json is). */
  root: string;
  /** Cloud assembly folder; `cdk.out` for `npm start`. */
  cdkOut?: string;
  /** Edge port (4566 by default; 0 picks a free one). */
  port?: number;
  /** HTTP API port (3000 by default; 0 picks a free one). */
  apiPort?: number;
  /** Payment provider simulator port (4010 by default; 0 picks a free one). */
  providerPort?: number;
  /** Keep DynamoDB data in this folder across runs. */
  persistDir?: string;
  /** Seed the demo catalog (default true). */
  seed?: boolean;
  /** Seed of the provider simulator's randomness. */
  providerSeed?: number;
  /** CDK context orderDeadline (`10s`, `15m`, `1h`): when open orders time out. Default: the app's, 15m. */
  orderDeadline?: string;
  /**
   * Fault injection for the cloud (exposed as `shop.cloud.faults`). A plan set
   * on it takes effect once the shop is ready: deploying and seeding run without faults.
   */
  faults?: FaultInjector;
  log?: (line: string) => void;
  /** The functions' own log lines (default: printed, prefixed with the function's label). */
  functionLog?: (label: string, line: string) => void;
  /** One call per finished invocation (default: nothing). */
  onInvocation?: (summary: InvocationSummary) => void;
}

export interface RunningShop {
  apiUrl: string;
  /** The local console's page, e.g. http://127.0.0.1:4566/_console/. */
  consoleUrl: string;
  endpoint: string;
  providerUrl: string;
  /** The carrier webhook's HMAC key, read from the local Secrets Manager. */
  webhookSecret: string;
  cloud: LocalCloud;
  app: RunningApp;
  provider: PaymentProvider;
  /** Bearer tokens of the demo users (ada, grace: customers; admin: operators). */
  signIn: SignIn;
  /** A stack output, e.g. output('Shop-Shipping', 'CarrierWebhookSecretArn'). */
  output(stack: string, key: string): string;
  stop(): Promise<void>;
}

/**
 * The whole shop on one machine: the payment provider simulator, the local
 * cloud, and the synthesized CDK app deployed onto it. The provider's URL is
 * CDK context, so it is in the template like any deployment's configuration.
 */
export async function startShop(options: ShopOptions): Promise<RunningShop> {
  const log = options.log ?? ((line: string) => console.log(line));
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stoppers.splice(0).reverse()) await s().catch(() => undefined);
  };
  try {
    const cdkOut = options.cdkOut ?? join(options.root, 'cdk.out');
    const provider = await startProviderFor(
      cdkOut,
      options.providerPort ?? 4010,
      options.providerSeed,
    );
    stoppers.push(() => provider.stop());

    await synthIfChanged({
      root: options.root,
      outdir: cdkOut,
      context: {
        paymentProviderUrl: provider.url,
        ...(options.orderDeadline !== undefined && { orderDeadline: options.orderDeadline }),
      },
      log,
    });

    // Faults wait until the shop is ready, so a plan cannot break the deployment or the seeding.
    const faultPlan = options.faults?.enabled() ? options.faults.plan() : undefined;
    options.faults?.clear();
    const cloud = await startLocalCloud({
      port: options.port,
      persistDir: options.persistDir,
      faults: options.faults,
    });
    stoppers.push(() => cloud.stop());
    const app = await loadApp({
      cdkOut,
      cloud,
      apiPort: options.apiPort ?? 3000,
      log,
      functionLog: options.functionLog,
      onInvocation: options.onInvocation,
    });
    stoppers.push(() => app.stop());
    if (!app.apiUrl) throw new Error(`The app in ${cdkOut} has no HTTP API routes.`);

    const output = (stack: string, key: string): string => {
      const value = app.stacks[stack]?.outputs[key];
      if (value === undefined) {
        throw new Error(`Stack ${stack} has no output ${key}; is ${cdkOut} the shop's assembly?`);
      }
      return String(value);
    };
    const secrets = new SecretsManagerClient({
      endpoint: cloud.endpoint,
      region: cloud.context.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const secret = await secrets.send(
      new GetSecretValueCommand({ SecretId: output('Shop-Shipping', 'CarrierWebhookSecretArn') }),
    );
    secrets.destroy();

    const pool = poolFromOutputs(app.stacks[IDENTITY_STACK]?.outputs);
    if (!pool) throw new Error(`The app in ${cdkOut} has no ${IDENTITY_STACK} user pool outputs.`);
    const users = await seedDemoUsers(cloud.endpoint, cloud.context.region, pool);
    for (const u of users)
      log(
        `demo user ${u.name} / ${u.password}${u.groups.length ? ` (${u.groups.join(', ')})` : ''}`,
      );
    const signIn = demoSignIn(cloud.endpoint, cloud.context.region, pool);
    if (options.seed ?? true) {
      const seeded = await seedCatalog(app.apiUrl, await signIn.token('admin'));
      log(seeded > 0 ? `seeded ${seeded} demo products` : 'demo catalog already present');
    }
    const orderView = orderViewReader(
      cloud.endpoint,
      cloud.context.region,
      output('Shop-Views', 'TableName'),
    );
    stoppers.push(async () => orderView.close());
    cloud.console.setJourneyState(orderView.read);
    if (faultPlan) cloud.faults.set(faultPlan);

    return {
      apiUrl: app.apiUrl,
      consoleUrl: cloud.console.url,
      endpoint: cloud.endpoint,
      providerUrl: provider.url,
      signIn,
      webhookSecret: secret.SecretString ?? '',
      cloud,
      app,
      provider,
      output,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
