/** Password policy checks in Cognito's words, and hashing (scrypt) so no password is kept in clear. */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { AwsError } from '../core/errors.js';

export interface PasswordPolicy {
  readonly MinimumLength?: number;
  readonly RequireUppercase?: boolean;
  readonly RequireLowercase?: boolean;
  readonly RequireNumbers?: boolean;
  readonly RequireSymbols?: boolean;
}

/** Cognito's default policy when a pool declares none. */
export const DEFAULT_POLICY: Required<PasswordPolicy> = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
};

const SYMBOLS = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/;

/** Throws InvalidPasswordException naming the first rule the password breaks. */
export function checkPassword(password: string, policy: PasswordPolicy): void {
  const fail = (why: string) => {
    throw new AwsError('InvalidPasswordException', `Password did not conform with policy: ${why}`);
  };
  if (password.length < (policy.MinimumLength ?? 8)) fail('Password not long enough');
  if (policy.RequireLowercase && !/[a-z]/.test(password))
    fail('Password must have lowercase characters');
  if (policy.RequireUppercase && !/[A-Z]/.test(password))
    fail('Password must have uppercase characters');
  if (policy.RequireNumbers && !/[0-9]/.test(password))
    fail('Password must have numeric characters');
  if (policy.RequireSymbols && !SYMBOLS.test(password))
    fail('Password must have symbol characters');
}

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `${salt.toString('base64')}:${scryptSync(password, salt, 32).toString('base64')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [salt, hash] = stored.split(':');
  const expected = Buffer.from(hash ?? '', 'base64');
  const actual = scryptSync(password, Buffer.from(salt ?? '', 'base64'), 32);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
