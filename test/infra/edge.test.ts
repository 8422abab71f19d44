/**
 * The shop's edge, synthesized once: who may call which route (the user pool
 * and the JWT authorizer), the stage's throttling and access logs, how the
 * services find the platform (SSM, not exports), the PII key's grants, and
 * the least each function may do.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ITEM_ACTIONS } from '../../infra/constructs/service-table.js';
import { ACCESS_LOG_FIELDS } from '../../infra/stacks/edge-stack.js';
import { synthShop, type SynthesizedShop } from './support/shop.js';
import {
  asArray,
  exportsOf,
  functionOfRole,
  ofType,
  policyStatements,
  props,
  refOf,
  walk,
  type CfnResource,
} from './support/template.js';

let shop: SynthesizedShop;
beforeAll(() => {
  shop = synthShop({ paymentProviderUrl: 'https://provider.example' });
});
const t = (stack: string) => {
  const template = shop.templates.get(stack);
  if (!template) throw new Error(`no stack ${stack}`);
  return template;
};
const all = () => [...shop.templates.entries()];
const env = (fn: CfnResource) =>
  (props(fn).Environment as { Variables: Record<string, unknown> }).Variables;

/** Who may call each route: the spec's public routes, operators' catalog writes, the rest customers'. */
const ROUTES: Record<string, { stack: string; auth: 'NONE' | 'JWT' }> = {
  'POST /orders': { stack: 'Shop-Orders', auth: 'JWT' },
  'GET /orders/{orderId}': { stack: 'Shop-Orders', auth: 'JWT' },
  'POST /orders/{orderId}/cancel': { stack: 'Shop-Orders', auth: 'JWT' },
  'POST /exports': { stack: 'Shop-Orders', auth: 'JWT' },
  'GET /exports/{exportId}': { stack: 'Shop-Orders', auth: 'JWT' },
  'PUT /products/{sku}': { stack: 'Shop-Inventory', auth: 'JWT' },
  'POST /products/{sku}/restock': { stack: 'Shop-Inventory', auth: 'JWT' },
  'GET /products/{sku}': { stack: 'Shop-Inventory', auth: 'NONE' },
  'GET /payments/{orderId}': { stack: 'Shop-Payments', auth: 'JWT' },
  'POST /shipments/{shipmentId}/events': { stack: 'Shop-Shipping', auth: 'NONE' },
  'GET /shipments/{shipmentId}': { stack: 'Shop-Shipping', auth: 'JWT' },
  'GET /customers/{customerId}/notifications': { stack: 'Shop-Notifications', auth: 'JWT' },
  'GET /customers/me/orders': { stack: 'Shop-Views', auth: 'JWT' },
  'GET /orders/{orderId}/timeline': { stack: 'Shop-Views', auth: 'JWT' },
};

describe('identity', () => {
  it('has a user pool signing in by username, with a strong password policy, retained', () => {
    const pools = ofType(t('Shop-Identity'), 'AWS::Cognito::UserPool');
    expect(pools).toHaveLength(1);
    const [, pool] = pools[0]!;
    expect(pool.DeletionPolicy).toBe('Retain');
    expect(props(pool)).toMatchObject({
      DeletionProtection: 'ACTIVE',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
    });
    expect(props(pool).AliasAttributes).toBeUndefined();
    expect(props(pool).UsernameAttributes).toBeUndefined();
  });

  it('has one public client with password, SRP and refresh flows and explicit token validity', () => {
    const clients = ofType(t('Shop-Identity'), 'AWS::Cognito::UserPoolClient');
    expect(clients).toHaveLength(1);
    const p = props(clients[0]![1]);
    expect(p.GenerateSecret).toBe(false);
    expect([...(p.ExplicitAuthFlows as string[])].sort()).toEqual([
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_PASSWORD_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
    expect(p).toMatchObject({
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 43200,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
    });
  });

  it('has the operators group and outputs the pool, client and issuer', () => {
    t('Shop-Identity').hasResourceProperties('AWS::Cognito::UserPoolGroup', {
      GroupName: 'operators',
    });
    for (const key of ['UserPoolId', 'UserPoolClientId', 'IssuerUrl']) {
      t('Shop-Identity').hasOutput(key, {});
    }
  });

  it('the destroy removal policy also lifts deletion protection', () => {
    const dev = synthShop({
      paymentProviderUrl: 'https://provider.example',
      removalPolicy: 'destroy',
    });
    const [, pool] = ofType(dev.template(dev.stacks.identity), 'AWS::Cognito::UserPool')[0]!;
    expect(pool.DeletionPolicy).toBe('Delete');
    expect(props(pool).DeletionProtection).toBe('INACTIVE');
  });
});

describe('authorization', () => {
  it('has one JWT authorizer, on the Authorization header, trusting the pool and its client', () => {
    const platform = t('Shop-Platform');
    const authorizers = ofType(platform, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const p = props(authorizers[0]![1]);
    expect(p.AuthorizerType).toBe('JWT');
    expect(p.IdentitySource).toEqual(['$request.header.Authorization']);
    const exported = exportsOf(all());
    const jwt = p.JwtConfiguration as { Issuer: unknown; Audience: unknown[] };
    const issuer = JSON.stringify(jwt.Issuer);
    expect(issuer).toContain('https://cognito-idp.');
    expect(issuer).toContain('.amazonaws.com/');
    const [poolId] = ofType(t('Shop-Identity'), 'AWS::Cognito::UserPool')[0]!;
    const [clientId] = ofType(t('Shop-Identity'), 'AWS::Cognito::UserPoolClient')[0]!;
    expect(walk(jwt.Issuer).imports.map((i) => refOf(exported.get(i)?.value))).toEqual([poolId]);
    expect(walk(jwt.Audience).imports.map((i) => refOf(exported.get(i)?.value))).toEqual([
      clientId,
    ]);
  });

  it('every route but the catalog read and the signed carrier webhook needs a token', () => {
    const exported = exportsOf(all());
    const [authorizerId] = ofType(t('Shop-Platform'), 'AWS::ApiGatewayV2::Authorizer')[0]!;
    const seen: string[] = [];
    for (const [stack, template] of all()) {
      for (const [, route] of ofType(template, 'AWS::ApiGatewayV2::Route')) {
        const key = props(route).RouteKey as string;
        seen.push(key);
        expect(ROUTES[key]?.stack, key).toBe(stack);
        expect(props(route).AuthorizationType, key).toBe(ROUTES[key]!.auth);
        if (ROUTES[key]!.auth === 'JWT') {
          const [name] = walk(props(route).AuthorizerId, template).imports;
          expect(refOf(exported.get(name ?? '')?.value), key).toBe(authorizerId);
        } else {
          expect(props(route).AuthorizerId, key).toBeUndefined();
        }
      }
    }
    expect(seen.sort()).toEqual(Object.keys(ROUTES).sort());
  });
});

describe('stage', () => {
  const stage = () => props(ofType(t('Shop-Edge'), 'AWS::ApiGatewayV2::Stage')[0]![1]);

  it('throttles every route, and placing orders, exports and the webhook tighter', () => {
    expect(stage().DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: 100,
      ThrottlingBurstLimit: 200,
    });
    expect(stage().RouteSettings).toEqual({
      'POST /orders': { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
      'POST /exports': { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
      'POST /shipments/{shipmentId}/events': { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
    });
  });

  it('takes the limits from context', () => {
    const tuned = synthShop({
      paymentProviderUrl: 'https://provider.example',
      apiRateLimit: '7',
      placeOrderBurstLimit: '3',
    });
    const p = props(ofType(tuned.template(tuned.stacks.edge), 'AWS::ApiGatewayV2::Stage')[0]![1]);
    expect(p.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 7 });
    expect(p.RouteSettings).toMatchObject({ 'POST /orders': { ThrottlingBurstLimit: 3 } });
  });

  it('deploys after every stack with routes (API Gateway refuses settings for unknown routes)', () => {
    const deps = shop.stacks.edge.dependencies.map((s) => s.stackName).sort();
    expect(deps).toEqual(expect.arrayContaining(Object.values(ROUTES).map((r) => r.stack)));
  });

  it('writes JSON access logs of who called what, never a token, a body or an address', () => {
    const logs = stage().AccessLogSettings as { DestinationArn: unknown; Format: string };
    const [groupId, group] = ofType(t('Shop-Edge'), 'AWS::Logs::LogGroup')[0]!;
    expect(refOf(logs.DestinationArn)).toBe(groupId);
    expect(props(group).RetentionInDays).toEqual(expect.any(Number));
    const format = JSON.parse(logs.Format) as Record<string, string>;
    expect(format).toEqual(ACCESS_LOG_FIELDS);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      responseLatency: '$context.responseLatency',
      sub: '$context.authorizer.claims.sub',
      sourceIp: '$context.identity.sourceIp',
      userAgent: '$context.identity.userAgent',
    });
    expect(logs.Format).not.toMatch(/header|requestBody|body|address|token/i);
  });
});

describe('platform references', () => {
  const PLATFORM_TYPES = [
    'AWS::Events::EventBus',
    'AWS::ApiGatewayV2::Api',
    'AWS::ApiGatewayV2::Authorizer',
    'AWS::SNS::Topic',
    'AWS::KMS::Key',
  ];

  it('no stack imports an export of the platform: services read its SSM parameters', () => {
    const platformExports = Object.values(
      (t('Shop-Platform').toJSON() as { Outputs?: Record<string, { Export?: unknown }> }).Outputs ??
        {},
    ).filter((o) => o.Export);
    expect(platformExports).toEqual([]);
  });

  it('each parameter holds a platform resource, and what services read resolves to one', () => {
    const exported = exportsOf(all());
    const platform = t('Shop-Platform');
    const parameters = ofType(platform, 'AWS::SSM::Parameter');
    expect(parameters.map(([, p]) => props(p).Name).sort()).toEqual(
      [
        'alarm-topic-arn',
        'authorizer-id',
        'event-bus-arn',
        'event-bus-name',
        'http-api-id',
        'pii-key-arn',
      ].map((k) => `/shop/platform/${k}`),
    );
    const platformIds = new Set(
      PLATFORM_TYPES.flatMap((type) => ofType(platform, type).map(([id]) => id)),
    );
    for (const [, p] of parameters) {
      expect(platformIds.has(refOf(props(p).Value) ?? ''), String(props(p).Name)).toBe(true);
    }
    for (const [stack, template] of all()) {
      const read = Object.values(
        (template.toJSON() as { Parameters?: Record<string, { Type: string; Default: string }> })
          .Parameters ?? {},
      ).filter((p) => p.Type === 'AWS::SSM::Parameter::Value<String>');
      for (const p of read.filter((r) => r.Default.startsWith('/shop/'))) {
        expect(exported.get(p.Default)?.stack, `${stack} reads ${p.Default}`).toBe('Shop-Platform');
      }
    }
  });

  it('every service stack deploys after the platform (no reference orders them any more)', () => {
    for (const stack of [...shop.services, shop.stacks.edge, shop.stacks.dashboard]) {
      expect(stack.dependencies, stack.stackName).toContain(shop.stacks.platform);
    }
  });
});

describe('PII key', () => {
  const keyArnParameter = '/shop/platform/pii-key-arn';
  /** Every KMS statement on the PII key: function id, actions, the field it is bound to. */
  const kmsGrants = () =>
    all().flatMap(([stack, template]) =>
      policyStatements(template)
        .filter(({ statement }) => asArray(statement.Action).some((a) => a.startsWith('kms:')))
        .filter(({ statement }) =>
          walk(statement.Resource, template).imports.includes(keyArnParameter),
        )
        .flatMap(({ roles, statement }) =>
          roles.map((role) => ({
            fn: `${stack}/${functionOfRole(template, role)?.replace(/[0-9A-F]{8}$/, '')}`,
            actions: asArray(statement.Action).sort(),
            field: (statement.Condition as { StringEquals: Record<string, unknown> }).StringEquals[
              'kms:EncryptionContext:field'
            ],
          })),
        ),
    );

  it('is one key with rotation, retained', () => {
    const keys = ofType(t('Shop-Platform'), 'AWS::KMS::Key').filter(([id]) =>
      id.startsWith('StatePiiKey'),
    );
    expect(keys).toHaveLength(1);
    expect(props(keys[0]![1]).EnableKeyRotation).toBe(true);
    expect(keys[0]![1].DeletionPolicy).toBe('Retain');
  });

  it("only orders encrypts; payments decrypts tokens; shipping's shipment view addresses", () => {
    expect(kmsGrants().sort((a, b) => a.fn.localeCompare(b.fn))).toEqual([
      // An export's callback secret, under its own context (docs/adr/0015).
      {
        fn: 'Shop-Orders/ExportsExportCallback',
        actions: ['kms:Decrypt'],
        field: 'exportCallbackSecret',
      },
      {
        fn: 'Shop-Orders/ExportsPlaceExport',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        field: 'exportCallbackSecret',
      },
      {
        fn: 'Shop-Orders/PlaceOrder',
        actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
        field: ['paymentToken', 'shippingAddress'],
      },
      { fn: 'Shop-Payments/OnEvent', actions: ['kms:Decrypt'], field: 'paymentToken' },
      { fn: 'Shop-Shipping/GetShipment', actions: ['kms:Decrypt'], field: 'shippingAddress' },
    ]);
    // No other KMS statement in the services names any key at all.
    for (const [stack, template] of all().filter(([s]) => s !== 'Shop-Platform')) {
      for (const { statement } of policyStatements(template)) {
        const kms = asArray(statement.Action).filter((a) => a.startsWith('kms:'));
        if (kms.length === 0) continue;
        expect(walk(statement.Resource, template).imports, stack).toEqual([keyArnParameter]);
      }
    }
  });

  it('the functions with a grant, and only they, get PII_KEY_ARN', () => {
    const withEnv = all().flatMap(([stack, template]) =>
      ofType(template, 'AWS::Lambda::Function')
        .filter(([, fn]) => env(fn).PII_KEY_ARN !== undefined)
        .map(([id]) => `${stack}/${id.replace(/[0-9A-F]{8}$/, '')}`),
    );
    expect(withEnv.sort()).toEqual([...new Set(kmsGrants().map((g) => g.fn))].sort());
  });

  it("no function carries a trace SDK setting: traces are Lambda's own and never hold an answer (ADR 20)", () => {
    // Lambda's active tracing records each invocation's timing, not what a handler answers; the
    // X-Ray SDK that could (and the switches that turned its response capture off) is gone, and
    // the dependency rules keep it out of functions/ and plumbing/.
    const tracerSettings = all().flatMap(([stack, template]) =>
      ofType(template, 'AWS::Lambda::Function').flatMap(([id, fn]) =>
        Object.keys(env(fn))
          .filter((k) => k.startsWith('POWERTOOLS_TRACE'))
          .map((k) => `${stack}/${id}: ${k}`),
      ),
    );
    expect(tracerSettings).toEqual([]);
  });
});

describe('least privilege', () => {
  /** The DynamoDB item actions each function may call, by `stack/function`. */
  const dynamoActions = () => {
    const byFunction = new Map<string, Set<string>>();
    for (const [stack, template] of all()) {
      for (const { roles, statement } of policyStatements(template)) {
        const dynamo = asArray(statement.Action).filter(
          (a) => a.startsWith('dynamodb:') && !/Stream|Shard/.test(a),
        );
        for (const role of roles) {
          const fn = `${stack}/${functionOfRole(template, role)?.replace(/[0-9A-F]{8}$/, '')}`;
          const set = byFunction.get(fn) ?? new Set<string>();
          dynamo.forEach((a) => set.add(a));
          byFunction.set(fn, set);
        }
      }
    }
    return byFunction;
  };
  const sorted = (actions: readonly string[]) => [...actions].sort();

  it('read routes read, write routes and consumers write, none deletes but the export callback', () => {
    const actions = dynamoActions();
    const expect_ = (fn: string, kind: keyof typeof ITEM_ACTIONS) =>
      expect([...(actions.get(fn) ?? [])].sort(), fn).toEqual(sorted(ITEM_ACTIONS[kind]));
    for (const fn of [
      'Shop-Orders/GetOrder',
      'Shop-Inventory/GetProduct',
      'Shop-Payments/GetPayment',
      'Shop-Shipping/GetShipment',
      'Shop-Notifications/ListNotifications',
    ]) {
      expect_(fn, 'read');
    }
    for (const fn of [
      'Shop-Orders/PlaceOrder',
      'Shop-Orders/CancelOrder',
      'Shop-Inventory/PutProduct',
      'Shop-Inventory/Restock',
      'Shop-Shipping/CarrierWebhook',
    ]) {
      expect_(fn, 'write');
    }
    for (const stack of ['Orders', 'Inventory', 'Payments', 'Shipping', 'Notifications']) {
      expect_(`Shop-${stack}/OnEvent`, 'write');
    }
  });

  it('no function may Scan or BatchWriteItem, nor delete items but the export callback', () => {
    for (const [fn, actions] of dynamoActions()) {
      for (const never of ['dynamodb:Scan', 'dynamodb:BatchWriteItem', 'dynamodb:*']) {
        expect(actions.has(never), `${fn}: ${never}`).toBe(false);
      }
      // The export callback keeps a Powertools idempotency record (its effect is a POST), whose
      // failed attempts Powertools deletes; every other consumer deduplicates in its own state
      // transaction (ADR 18).
      if (!/\/ExportsExportCallback$/.test(fn)) {
        expect(actions.has('dynamodb:DeleteItem'), fn).toBe(false);
      }
    }
  });

  it('functions write logs only to their own log group, and have no managed policy', () => {
    for (const [stack, template] of all()) {
      for (const [roleId, role] of ofType(template, 'AWS::IAM::Role')) {
        if (!functionOfRole(template, roleId)) continue;
        expect(props(role).ManagedPolicyArns, `${stack}/${roleId}`).toBeUndefined();
      }
      for (const { roles, statement } of policyStatements(template)) {
        const logs = asArray(statement.Action).filter((a) => a.startsWith('logs:'));
        if (logs.length === 0) continue;
        expect(sorted(logs)).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
        for (const role of roles) {
          const fnId = functionOfRole(template, role);
          if (!fnId) continue;
          const [fn] = ofType(template, 'AWS::Lambda::Function').filter(([id]) => id === fnId);
          const group = refOf((props(fn![1]).LoggingConfig as { LogGroup: unknown }).LogGroup);
          expect(walk(statement.Resource).refs, `${stack}/${fnId}`).toEqual([group]);
        }
      }
    }
  });
});
