/**
 * The edge fixture (test/fixtures/edge-app) on the local cloud: the HTTP API
 * enforces its JWT authorizer, scopes, stage throttling and access logs as
 * the template says, and KMS refuses a function whose role lacks the grant.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { generateKeyPair, SignJWT, decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../src/cloud.js';
import { loadApp, type RunningApp } from '../../../src/app/index.js';
import { synthEdgeApp } from '../../fixtures/edge-app/app.js';

let cloud: LocalCloud;
let app: RunningApp;
let idp: CognitoIdentityProviderClient;
let outDir: string;
let poolId: string;
let clientId: string;
let idToken: string;
let accessToken: string;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'local-edge-fixture-'));
  synthEdgeApp(outDir);
  cloud = await startLocalCloud({ port: 0, dynamodb: false });
  app = await loadApp({
    cdkOut: outDir,
    cloud,
    apiPort: 0,
    log: () => undefined,
    functionLog: () => undefined,
  });
  idp = new CognitoIdentityProviderClient({
    endpoint: cloud.endpoint,
    region: cloud.context.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const outputs = app.stacks['EdgeIdentity']!.outputs as Record<string, string>;
  poolId = outputs['UserPoolId']!;
  clientId = outputs['UserPoolClientId']!;
  await idp.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: 'admin',
      UserAttributes: [{ Name: 'email', Value: 'admin@example.com' }],
    }),
  );
  await idp.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: 'admin',
      Password: 'Operator123',
      Permanent: true,
    }),
  );
  await idp.send(
    new AdminAddUserToGroupCommand({
      UserPoolId: poolId,
      Username: 'admin',
      GroupName: 'operators',
    }),
  );
  const { AuthenticationResult } = await idp.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'admin', PASSWORD: 'Operator123' },
    }),
  );
  idToken = AuthenticationResult!.IdToken!;
  accessToken = AuthenticationResult!.AccessToken!;
}, 120_000);

afterAll(async () => {
  vi.useRealTimers();
  idp?.destroy();
  await app?.stop();
  await cloud?.stop();
  rmSync(outDir, { recursive: true, force: true });
});

const get = (path: string, authorization?: string) =>
  fetch(`${app.apiUrl}${path}`, { headers: authorization ? { authorization } : {} });

describe('the JWT authorizer', () => {
  it('passes a valid id or access token, with the claims reaching the function as API Gateway renders them', async () => {
    const res = await get('/me', `Bearer ${idToken}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      authorizer: { jwt: { claims: Record<string, string>; scopes: unknown } };
    };
    const claims = body.authorizer.jwt.claims;
    expect(claims).toMatchObject({
      aud: clientId,
      token_use: 'id',
      'cognito:username': 'admin',
      'cognito:groups': '[operators]',
      email: 'admin@example.com',
    });
    expect(claims['exp']).toMatch(/^\d+$/);
    const viaAccess = await get('/me', accessToken); // without "Bearer "
    expect(viaAccess.status).toBe(200);
    const access = (await viaAccess.json()) as {
      authorizer: { jwt: { claims: Record<string, string>; scopes: string[] } };
    };
    expect(access.authorizer.jwt.claims['client_id']).toBe(clientId);
    expect(access.authorizer.jwt.scopes).toEqual(['aws.cognito.signin.user.admin']);
    expect((await get('/public')).status).toBe(200);
  });

  it('refuses a missing, malformed, forged, wrong-audience or expired token with 401', async () => {
    const expectUnauthorized = async (res: Response, description?: string) => {
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ message: 'Unauthorized' });
      if (description)
        expect(res.headers.get('www-authenticate')).toBe(
          `Bearer scope="" error="invalid_token" error_description="${description}"`,
        );
    };
    const fn = app.findFunction('EdgeService/WhoAmI')!;
    const before = fn.stats.invocations;
    await expectUnauthorized(await get('/me'));
    await expectUnauthorized(await get('/me', 'Bearer not-a-jwt'), 'the token is malformed');

    const other = await generateKeyPair('RS256');
    const claims = decodeJwt(idToken);
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
      .sign(other.privateKey);
    await expectUnauthorized(
      await get('/me', `Bearer ${forged}`),
      'the token has an invalid signature',
    );

    const { UserPoolClient } = await idp.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'other',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const otherAuth = await idp.send(
      new InitiateAuthCommand({
        ClientId: UserPoolClient!.ClientId!,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'admin', PASSWORD: 'Operator123' },
      }),
    );
    await expectUnauthorized(
      await get('/me', `Bearer ${otherAuth.AuthenticationResult!.IdToken!}`),
      'the token does not have a valid audience',
    );
    await expectUnauthorized(
      await get('/me', `Bearer ${otherAuth.AuthenticationResult!.AccessToken!}`),
      'the token does not have a valid audience',
    );

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 21 * 60_000); // the client's tokens live 20 minutes
    try {
      await expectUnauthorized(await get('/me', `Bearer ${idToken}`), 'the token has expired');
    } finally {
      vi.useRealTimers();
    }
    expect(fn.stats.invocations).toBe(before);
  });

  it("answers 403 when the token lacks the route's scopes", async () => {
    const res = await get('/admin', `Bearer ${accessToken}`);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'Forbidden' });
    expect((await get('/admin', `Bearer ${idToken}`)).status).toBe(403);
  });
});

describe('stage throttling and access logs', () => {
  it("refuses a burst above the route's limit with 429 without invoking the function", async () => {
    const fn = app.findFunction('EdgeService/WhoAmI')!;
    const before = fn.stats.invocations;
    const statuses = await Promise.all(
      Array.from({ length: 6 }, () => get('/limited', `Bearer ${idToken}`).then((r) => r.status)),
    );
    const ok = statuses.filter((s) => s === 200).length;
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(3);
    expect(ok).toBeGreaterThanOrEqual(2);
    expect(fn.stats.invocations - before).toBe(ok);
    // Other routes have the stage's default bucket (burst 200).
    expect((await get('/me', `Bearer ${idToken}`)).status).toBe(200);
  });

  it("writes one JSON line per request to the stage's log group, with the sub and no token", async () => {
    const res = await get('/me', `Bearer ${idToken}`);
    const requestId = res.headers.get('apigw-requestid')!;
    const group = cloud.logs.list().find((g) => g.logGroupName.includes('AccessLogs'));
    expect(
      group,
      `log groups: ${cloud.logs
        .list()
        .map((g) => g.logGroupName)
        .join(', ')}`,
    ).toBeDefined();
    const lines = [...group!.streams.values()].flatMap((s) => s.events.map((e) => e.message));
    const line = lines.find((l) => l.includes(requestId));
    expect(line).toBeDefined();
    const entry = JSON.parse(line!) as Record<string, string>;
    expect(entry).toMatchObject({
      routeKey: 'GET /me',
      status: '200',
      sub: decodeJwt(idToken).sub,
      method: 'GET',
      path: '/me',
      error: '-',
      unknown: '-',
    });
    expect(entry['latency']).toMatch(/^\d+$/);
    for (const l of lines) expect(l).not.toContain(idToken.split('.')[2]!);
    expect(lines.some((l) => l.includes('"status":"401"') && l.includes('"sub":"-"'))).toBe(true);
  });
});

describe('KMS grants of the function roles', () => {
  it('lets the role with grantEncryptDecrypt decrypt, and refuses Decrypt to the role with grantEncrypt only', async () => {
    const keeper = (await (await get('/kms/keeper')).json()) as Record<string, string>;
    expect(keeper).toEqual({ encrypt: 'ok', decrypt: '42 Main St' });
    const sealer = (await (await get('/kms/sealer')).json()) as Record<string, string>;
    expect(sealer['encrypt']).toBe('ok');
    expect(sealer['error']).toBe('AccessDeniedException');
    expect(sealer['message']).toMatch(
      /^User: arn:aws:sts::000000000000:assumed-role\/[^/]+\/[^ ]+ is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f-]+ because no identity-based policy allows the kms:Decrypt action$/,
    );
  });
});
