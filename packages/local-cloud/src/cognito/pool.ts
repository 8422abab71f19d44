/** A user pool's data: settings, app clients, groups, users. */
import type { PasswordPolicy } from './passwords.js';
import type { SigningKey } from './tokens.js';

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD';

export interface User {
  username: string;
  readonly sub: string;
  readonly attributes: Map<string, string>;
  passwordHash: string;
  status: UserStatus;
  enabled: boolean;
  readonly groups: Set<string>;
  readonly created: Date;
  modified: Date;
}

export interface AppClient {
  readonly clientId: string;
  readonly clientName: string;
  readonly explicitAuthFlows: readonly string[];
  readonly idSeconds: number;
  readonly accessSeconds: number;
  readonly refreshSeconds: number;
  readonly preventUserExistenceErrors: boolean;
  readonly raw: Record<string, unknown>;
}

export interface Group {
  readonly groupName: string;
  readonly description?: string;
  readonly precedence?: number;
  readonly created: Date;
}

export interface UserPool {
  readonly id: string;
  readonly name: string;
  readonly arn: string;
  readonly issuer: string;
  readonly passwordPolicy: PasswordPolicy;
  /** 'email' / 'phone_number': users sign in with these, and their username is their sub. */
  readonly usernameAttributes: readonly string[];
  readonly autoVerifiedAttributes: readonly string[];
  readonly key: SigningKey;
  readonly created: Date;
  readonly clients: Map<string, AppClient>;
  readonly groups: Map<string, Group>;
  readonly users: Map<string, User>;
}

/** By username, or by an alias attribute (email) when the pool signs in with it. */
export function findUser(pool: UserPool, name: string): User | undefined {
  const direct = pool.users.get(name);
  if (direct) return direct;
  for (const u of pool.users.values())
    for (const a of pool.usernameAttributes)
      if (u.attributes.get(a)?.toLowerCase() === name.toLowerCase()) return u;
  return undefined;
}
