/**
 * Cognito user pools (`AWSCognitoIdentityProviderService`, JSON 1.1): pools,
 * app clients and groups (from the template or the API), users (sign-up,
 * admin create, passwords, groups), and sign-in with USER_PASSWORD_AUTH and
 * REFRESH_TOKEN_AUTH issuing RS256 tokens with Cognito's claims.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { AwsError } from '../core/errors.js';
import type { CloudContext, JsonService } from '../core/types.js';
import {
  checkPassword,
  DEFAULT_POLICY,
  hashPassword,
  verifyPassword,
  type PasswordPolicy,
} from './passwords.js';
import { findUser, type AppClient, type User, type UserPool } from './pool.js';
import { issueTokens, newSigningKey, verifyToken } from './tokens.js';

type Input = Record<string, unknown>;

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };

export class CognitoService implements JsonService {
  readonly targetPrefix = 'AWSCognitoIdentityProviderService';
  private readonly pools = new Map<string, UserPool>();
  private readonly refreshTokens = new Map<
    string,
    { poolId: string; clientId: string; username: string; originJti: string; expires: number }
  >();
  private readonly sessions = new Map<
    string,
    { poolId: string; clientId: string; username: string }
  >();

  constructor(private readonly context: CloudContext) {}

  /** The pool whose tokens `issuer` names (`https://cognito-idp.<region>.amazonaws.com/<id>`). */
  pool(id: string): UserPool | undefined {
    return this.pools.get(id);
  }

  async handle(action: string, input: Input): Promise<unknown> {
    switch (action) {
      case 'CreateUserPool':
        return { UserPool: describePool(await this.createPool(input)) };
      case 'DescribeUserPool':
        return { UserPool: describePool(this.poolOf(input)) };
      case 'ListUserPools':
        return {
          UserPools: [...this.pools.values()].map((p) => ({
            Id: p.id,
            Name: p.name,
            CreationDate: p.created.getTime() / 1000,
            LastModifiedDate: p.created.getTime() / 1000,
          })),
        };
      case 'DeleteUserPool':
        this.pools.delete(this.poolOf(input).id);
        return {};
      case 'CreateUserPoolClient':
        return {
          UserPoolClient: describeClient(
            this.poolOf(input),
            this.createClient(this.poolOf(input), input),
          ),
        };
      case 'DescribeUserPoolClient': {
        const pool = this.poolOf(input);
        return {
          UserPoolClient: describeClient(pool, this.clientOf(pool, str(input, 'ClientId'))),
        };
      }
      case 'ListUserPoolClients': {
        const pool = this.poolOf(input);
        return {
          UserPoolClients: [...pool.clients.values()].map((c) => ({
            ClientId: c.clientId,
            ClientName: c.clientName,
            UserPoolId: pool.id,
          })),
        };
      }
      case 'CreateGroup':
        return this.createGroup(input);
      case 'SignUp':
        return this.signUp(input);
      case 'AdminConfirmSignUp': {
        const user = this.userOf(this.poolOf(input), input);
        if (user.status === 'UNCONFIRMED') user.status = 'CONFIRMED';
        else
          throw new AwsError(
            'NotAuthorizedException',
            `User cannot be confirmed. Current status is ${user.status}`,
          );
        return {};
      }
      case 'AdminCreateUser':
        return this.adminCreateUser(input);
      case 'AdminSetUserPassword': {
        const pool = this.poolOf(input);
        const user = this.userOf(pool, input);
        const password = need(input, 'Password');
        checkPassword(password, pool.passwordPolicy);
        user.passwordHash = hashPassword(password);
        user.status = input['Permanent'] === true ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
        user.modified = new Date();
        return {};
      }
      case 'AdminAddUserToGroup':
      case 'AdminRemoveUserFromGroup': {
        const pool = this.poolOf(input);
        const user = this.userOf(pool, input);
        const group = need(input, 'GroupName');
        if (!pool.groups.has(group))
          throw new AwsError('ResourceNotFoundException', 'Group not found.');
        if (action === 'AdminAddUserToGroup') user.groups.add(group);
        else user.groups.delete(group);
        return {};
      }
      case 'AdminListGroupsForUser': {
        const pool = this.poolOf(input);
        const user = this.userOf(pool, input);
        return { Groups: [...user.groups].map((g) => describeGroup(pool, g)) };
      }
      case 'AdminGetUser': {
        const { Attributes, ...user } = describeUser(this.userOf(this.poolOf(input), input));
        return { ...user, UserAttributes: Attributes, UserMFASettingList: [] };
      }
      case 'ListUsers':
        return this.listUsers(input);
      case 'InitiateAuth':
      case 'AdminInitiateAuth':
        return this.initiateAuth(action, input);
      case 'RespondToAuthChallenge':
        return this.respondToChallenge(input);
      case 'GetUser':
        return this.getUser(input);
      default:
        throw new AwsError(
          'UnknownOperationException',
          `The local Cognito does not emulate ${action}. It has user pools, app clients, groups, SignUp, AdminConfirmSignUp, AdminCreateUser, AdminSetUserPassword, Admin(Add|Remove)UserToGroup, AdminGetUser, ListUsers, InitiateAuth (USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH), RespondToAuthChallenge (NEW_PASSWORD_REQUIRED) and GetUser.`,
        );
    }
  }

  async createPool(input: Input): Promise<UserPool> {
    const name = need(input, 'PoolName');
    const id = `${this.context.region}_${randomString(9, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`;
    const policies = (input['Policies'] as { PasswordPolicy?: PasswordPolicy } | undefined) ?? {};
    const pool: UserPool = {
      id,
      name,
      arn: `arn:aws:cognito-idp:${this.context.region}:${this.context.accountId}:userpool/${id}`,
      issuer: `https://cognito-idp.${this.context.region}.amazonaws.com/${id}`,
      passwordPolicy: { ...DEFAULT_POLICY, ...policies.PasswordPolicy },
      usernameAttributes: strings(input['UsernameAttributes']),
      autoVerifiedAttributes: strings(input['AutoVerifiedAttributes']),
      key: await newSigningKey(),
      created: new Date(),
      clients: new Map(),
      groups: new Map(),
      users: new Map(),
    };
    this.pools.set(id, pool);
    return pool;
  }

  private createClient(pool: UserPool, input: Input): AppClient {
    if (input['GenerateSecret'] === true)
      throw new AwsError(
        'InvalidParameterException',
        'The local Cognito does not emulate app clients with a secret; create the client without GenerateSecret.',
      );
    const units = (input['TokenValidityUnits'] ?? {}) as Record<string, string>;
    const seconds = (
      name: string,
      unit: string | undefined,
      fallbackUnit: string,
      fallback: number,
    ) => {
      const v = input[name];
      return typeof v === 'number' ? v * UNIT_SECONDS[unit ?? fallbackUnit]! : fallback;
    };
    const flows = strings(input['ExplicitAuthFlows']);
    const client: AppClient = {
      clientId: randomString(26, ALNUM),
      clientName: need(input, 'ClientName'),
      // Cognito's defaults when a client names no flows.
      explicitAuthFlows: flows.length
        ? flows
        : ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'],
      idSeconds: seconds('IdTokenValidity', units['IdToken'], 'hours', 3600),
      accessSeconds: seconds('AccessTokenValidity', units['AccessToken'], 'hours', 3600),
      refreshSeconds: seconds('RefreshTokenValidity', units['RefreshToken'], 'days', 30 * 86_400),
      preventUserExistenceErrors: input['PreventUserExistenceErrors'] === 'ENABLED',
      raw: input,
    };
    pool.clients.set(client.clientId, client);
    return client;
  }

  private createGroup(input: Input): unknown {
    const pool = this.poolOf(input);
    const groupName = need(input, 'GroupName');
    if (pool.groups.has(groupName))
      throw new AwsError('GroupExistsException', 'A group with the name already exists.');
    pool.groups.set(groupName, {
      groupName,
      description: str(input, 'Description'),
      precedence: typeof input['Precedence'] === 'number' ? input['Precedence'] : undefined,
      created: new Date(),
    });
    return { Group: describeGroup(pool, groupName) };
  }

  private signUp(input: Input): unknown {
    const { pool } = this.clientById(need(input, 'ClientId'));
    const password = need(input, 'Password');
    const user = this.newUser(
      pool,
      need(input, 'Username'),
      attributesOf(input['UserAttributes']),
      password,
      'UNCONFIRMED',
      'An account with the given email already exists.',
    );
    const email = user.attributes.get('email');
    return {
      UserConfirmed: false,
      UserSub: user.sub,
      ...(email && pool.autoVerifiedAttributes.includes('email')
        ? {
            CodeDeliveryDetails: {
              Destination: maskEmail(email),
              DeliveryMedium: 'EMAIL',
              AttributeName: 'email',
            },
          }
        : {}),
    };
  }

  private adminCreateUser(input: Input): unknown {
    const pool = this.poolOf(input);
    const temporary = str(input, 'TemporaryPassword') ?? generatedPassword();
    const user = this.newUser(
      pool,
      need(input, 'Username'),
      attributesOf(input['UserAttributes']),
      temporary,
      'FORCE_CHANGE_PASSWORD',
      'User account already exists',
    );
    return { User: describeUser(user) };
  }

  private newUser(
    pool: UserPool,
    name: string,
    attributes: Map<string, string>,
    password: string,
    status: User['status'],
    existsMessage: string,
  ): User {
    const sub = randomUUID();
    let username = name;
    if (pool.usernameAttributes.length) {
      const alias = name.includes('@')
        ? 'email'
        : name.startsWith('+')
          ? 'phone_number'
          : undefined;
      if (!alias || !pool.usernameAttributes.includes(alias))
        throw new AwsError(
          'InvalidParameterException',
          `Username should be ${pool.usernameAttributes.includes('email') ? 'an email' : 'a phone number'}.`,
        );
      attributes.set(alias, name);
      username = sub;
    }
    if (findUser(pool, name) ?? pool.users.get(username))
      throw new AwsError('UsernameExistsException', existsMessage);
    checkPassword(password, pool.passwordPolicy);
    attributes.set('sub', sub);
    const now = new Date();
    const user: User = {
      username,
      sub,
      attributes,
      passwordHash: hashPassword(password),
      status,
      enabled: true,
      groups: new Set(),
      created: now,
      modified: now,
    };
    pool.users.set(username, user);
    return user;
  }

  private listUsers(input: Input): unknown {
    const pool = this.poolOf(input);
    let users = [...pool.users.values()];
    const filter = str(input, 'Filter');
    if (filter) {
      const m = /^\s*([\w:]+)\s*(\^?=)\s*"([^"]*)"\s*$/.exec(filter);
      if (!m)
        throw new AwsError(
          'InvalidParameterException',
          `Filter ${JSON.stringify(filter)} is not like 'email = "ada@example.com"' or 'username ^= "ad"'.`,
        );
      const [, attr, op, value] = m;
      users = users.filter((u) => {
        const v =
          attr === 'username'
            ? u.username
            : attr === 'status'
              ? u.enabled
                ? 'Enabled'
                : 'Disabled'
              : attr === 'cognito:user_status'
                ? u.status
                : u.attributes.get(attr!);
        return v !== undefined && (op === '=' ? v === value : v.startsWith(value!));
      });
    }
    const limit = typeof input['Limit'] === 'number' ? input['Limit'] : 60;
    return { Users: users.slice(0, limit).map((u) => describeUser(u)) };
  }

  private async initiateAuth(action: string, input: Input): Promise<unknown> {
    const flow = need(input, 'AuthFlow');
    const { pool, client } = this.clientById(need(input, 'ClientId'));
    if (action === 'AdminInitiateAuth' && need(input, 'UserPoolId') !== pool.id)
      throw new AwsError(
        'ResourceNotFoundException',
        `User pool client ${client.clientId} does not exist.`,
      );
    const params = (input['AuthParameters'] ?? {}) as Record<string, string>;
    const allowed = (f: string) =>
      client.explicitAuthFlows.includes(`ALLOW_${f}`) ||
      client.explicitAuthFlows.includes(`${f.replace(/_AUTH$/, '')}_AUTH`);
    if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') {
      const stored = this.refreshTokens.get(params['REFRESH_TOKEN'] ?? '');
      if (!stored || stored.clientId !== client.clientId || stored.expires < Date.now())
        throw new AwsError('NotAuthorizedException', 'Invalid Refresh Token');
      const user = pool.users.get(stored.username);
      if (!user?.enabled) throw new AwsError('NotAuthorizedException', 'User is disabled.');
      return {
        ChallengeParameters: {},
        AuthenticationResult: {
          ...(await this.tokensFor(pool, client, user, stored.originJti)),
          TokenType: 'Bearer',
        },
      };
    }
    const password =
      action === 'AdminInitiateAuth'
        ? flow === 'ADMIN_USER_PASSWORD_AUTH' || flow === 'ADMIN_NO_SRP_AUTH'
        : flow === 'USER_PASSWORD_AUTH';
    if (!password)
      throw new AwsError(
        'InvalidParameterException',
        `The local Cognito signs in with USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH; received AuthFlow ${flow}.`,
      );
    if (!allowed(flow === 'USER_PASSWORD_AUTH' ? 'USER_PASSWORD_AUTH' : 'ADMIN_USER_PASSWORD_AUTH'))
      throw new AwsError('InvalidParameterException', `${flow} flow not enabled for this client`);
    const name = params['USERNAME'];
    if (!name || params['PASSWORD'] === undefined)
      throw new AwsError(
        'InvalidParameterException',
        'Missing required parameter USERNAME or PASSWORD',
      );
    const user = findUser(pool, name);
    if (!user) {
      if (client.preventUserExistenceErrors)
        throw new AwsError('NotAuthorizedException', 'Incorrect username or password.');
      throw new AwsError('UserNotFoundException', 'User does not exist.');
    }
    if (!verifyPassword(params['PASSWORD'], user.passwordHash))
      throw new AwsError('NotAuthorizedException', 'Incorrect username or password.');
    if (!user.enabled) throw new AwsError('NotAuthorizedException', 'User is disabled.');
    if (user.status === 'UNCONFIRMED')
      throw new AwsError('UserNotConfirmedException', 'User is not confirmed.');
    if (user.status === 'FORCE_CHANGE_PASSWORD') {
      const session = randomBytes(48).toString('base64url');
      this.sessions.set(session, {
        poolId: pool.id,
        clientId: client.clientId,
        username: user.username,
      });
      return {
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: session,
        ChallengeParameters: {
          USER_ID_FOR_SRP: user.username,
          requiredAttributes: '[]',
          userAttributes: JSON.stringify(
            Object.fromEntries([...user.attributes].filter(([k]) => k !== 'sub')),
          ),
        },
      };
    }
    return this.signIn(pool, client, user);
  }

  private async respondToChallenge(input: Input): Promise<unknown> {
    const session = this.sessions.get(str(input, 'Session') ?? '');
    if (!session || session.clientId !== str(input, 'ClientId'))
      throw new AwsError(
        'NotAuthorizedException',
        'Invalid session for the user, session is expired.',
      );
    if (input['ChallengeName'] !== 'NEW_PASSWORD_REQUIRED')
      throw new AwsError(
        'InvalidParameterException',
        `The local Cognito answers only the NEW_PASSWORD_REQUIRED challenge; received ${JSON.stringify(input['ChallengeName'])}.`,
      );
    const { pool, client } = this.clientById(session.clientId);
    const user = pool.users.get(session.username)!;
    const password = ((input['ChallengeResponses'] ?? {}) as Record<string, string>)[
      'NEW_PASSWORD'
    ];
    if (!password)
      throw new AwsError('InvalidParameterException', 'Missing required parameter NEW_PASSWORD');
    checkPassword(password, pool.passwordPolicy);
    user.passwordHash = hashPassword(password);
    user.status = 'CONFIRMED';
    this.sessions.delete(str(input, 'Session')!);
    return this.signIn(pool, client, user);
  }

  private async signIn(pool: UserPool, client: AppClient, user: User): Promise<unknown> {
    const originJti = randomUUID();
    const refresh = randomBytes(96).toString('base64url');
    this.refreshTokens.set(refresh, {
      poolId: pool.id,
      clientId: client.clientId,
      username: user.username,
      originJti,
      expires: Date.now() + client.refreshSeconds * 1000,
    });
    const tokens = await this.tokensFor(pool, client, user, originJti);
    return {
      ChallengeParameters: {},
      AuthenticationResult: { ...tokens, RefreshToken: refresh, TokenType: 'Bearer' },
    };
  }

  private tokensFor(pool: UserPool, client: AppClient, user: User, originJti: string) {
    return issueTokens(
      pool.key,
      {
        sub: user.sub,
        username: user.username,
        groups: [...user.groups],
        email: user.attributes.get('email'),
        emailVerified: user.attributes.get('email_verified') === 'true',
        authTime: Math.floor(Date.now() / 1000),
        originJti,
      },
      {
        issuer: pool.issuer,
        clientId: client.clientId,
        idSeconds: client.idSeconds,
        accessSeconds: client.accessSeconds,
      },
    );
  }

  private async getUser(input: Input): Promise<unknown> {
    const token = need(input, 'AccessToken');
    let claims;
    let pool: UserPool | undefined;
    try {
      const payload = JSON.parse(
        Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
      ) as { iss?: string };
      pool = this.pools.get(
        String(payload.iss ?? '')
          .split('/')
          .pop() ?? '',
      );
      claims = pool ? await verifyToken(pool.key, token, pool.issuer) : undefined;
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_JWT_EXPIRED')
        throw new AwsError('NotAuthorizedException', 'Access Token has expired');
      claims = undefined;
    }
    if (!pool || !claims || claims['token_use'] !== 'access')
      throw new AwsError('NotAuthorizedException', 'Invalid Access Token');
    const user = pool.users.get(String(claims['username']));
    if (!user) throw new AwsError('UserNotFoundException', 'User does not exist.');
    const { Username, Attributes } = describeUser(user);
    return { Username, UserAttributes: Attributes, UserMFASettingList: [] };
  }

  private poolOf(input: Input): UserPool {
    const id = need(input, 'UserPoolId');
    const pool = this.pools.get(id);
    if (!pool) throw new AwsError('ResourceNotFoundException', `User pool ${id} does not exist.`);
    return pool;
  }

  private clientOf(pool: UserPool, clientId: string | undefined): AppClient {
    const client = clientId === undefined ? undefined : pool.clients.get(clientId);
    if (!client)
      throw new AwsError(
        'ResourceNotFoundException',
        `User pool client ${clientId} does not exist.`,
      );
    return client;
  }

  private clientById(clientId: string): { pool: UserPool; client: AppClient } {
    for (const pool of this.pools.values()) {
      const client = pool.clients.get(clientId);
      if (client) return { pool, client };
    }
    throw new AwsError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  }

  private userOf(pool: UserPool, input: Input): User {
    const user = findUser(pool, need(input, 'Username'));
    if (!user) throw new AwsError('UserNotFoundException', 'User does not exist.');
    return user;
  }
}

function describePool(p: UserPool) {
  return {
    Id: p.id,
    Name: p.name,
    Arn: p.arn,
    Policies: { PasswordPolicy: p.passwordPolicy },
    UsernameAttributes: p.usernameAttributes.length ? [...p.usernameAttributes] : undefined,
    AutoVerifiedAttributes: [...p.autoVerifiedAttributes],
    EstimatedNumberOfUsers: p.users.size,
    CreationDate: p.created.getTime() / 1000,
    LastModifiedDate: p.created.getTime() / 1000,
  };
}

function describeClient(pool: UserPool, c: AppClient) {
  return {
    UserPoolId: pool.id,
    ClientId: c.clientId,
    ClientName: c.clientName,
    ExplicitAuthFlows: [...c.explicitAuthFlows],
    AccessTokenValidity: c.accessSeconds / 60,
    IdTokenValidity: c.idSeconds / 60,
    RefreshTokenValidity: c.refreshSeconds / 60,
    TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
    PreventUserExistenceErrors: c.preventUserExistenceErrors ? 'ENABLED' : 'LEGACY',
  };
}

function describeGroup(pool: UserPool, name: string) {
  const g = pool.groups.get(name);
  return {
    GroupName: name,
    UserPoolId: pool.id,
    Description: g?.description,
    Precedence: g?.precedence,
    CreationDate: (g?.created.getTime() ?? 0) / 1000,
    LastModifiedDate: (g?.created.getTime() ?? 0) / 1000,
  };
}

function describeUser(u: User) {
  return {
    Username: u.username,
    Attributes: [...u.attributes].map(([Name, Value]) => ({ Name, Value })),
    UserCreateDate: u.created.getTime() / 1000,
    UserLastModifiedDate: u.modified.getTime() / 1000,
    Enabled: u.enabled,
    UserStatus: u.status,
  };
}

function attributesOf(v: unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of Array.isArray(v) ? v : []) {
    const { Name, Value } = a as { Name?: unknown; Value?: unknown };
    if (typeof Name !== 'string' || typeof Value !== 'string')
      throw new AwsError(
        'InvalidParameterException',
        `Each user attribute needs a Name and a Value (strings); received ${JSON.stringify(a)}.`,
      );
    out.set(Name, Value);
  }
  return out;
}

function need(input: Input, name: string): string {
  const v = input[name];
  if (typeof v !== 'string' || v === '')
    throw new AwsError(
      'InvalidParameterException',
      `1 validation error detected: Value at '${name[0]!.toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  return v;
}

function str(input: Input, name: string): string | undefined {
  const v = input[name];
  return typeof v === 'string' ? v : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function randomString(length: number, alphabet: string): string {
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** A temporary password that passes any policy Cognito allows. */
function generatedPassword(): string {
  return `Aa1!${randomBytes(12).toString('base64url')}`;
}

function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local[0] ?? ''}***@${domain[0] ?? ''}***`;
}
