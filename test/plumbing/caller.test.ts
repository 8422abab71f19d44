import { describe, expect, it } from 'vitest';
import {
  callerOf,
  HttpError,
  mayAccess,
  parseGroupsClaim,
  requireOperator,
} from '#plumbing/http.js';
import { customerClaims, httpEvent, operatorClaims } from '../support/lambda-events.js';

const event = (claims?: Record<string, string>) =>
  httpEvent({ method: 'GET', path: '/orders/x', claims });

describe('callerOf', () => {
  it('reads the subject and the operators group as API Gateway renders it', () => {
    expect(callerOf(event(operatorClaims('op-1')))).toEqual({
      sub: 'op-1',
      groups: ['operators'],
      isOperator: true,
    });
    expect(callerOf(event(customerClaims('cus-1')))).toEqual({
      sub: 'cus-1',
      groups: [],
      isOperator: false,
    });
  });

  it('answers 401 when the authorizer passed no subject', () => {
    let thrown: unknown;
    try {
      callerOf(event());
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HttpError);
    expect((thrown as HttpError).statusCode).toBe(401);
  });
});

describe('parseGroupsClaim', () => {
  it.each([
    ['[operators]', ['operators']],
    ['[a operators]', ['a', 'operators']],
    ['["a","operators"]', ['a', 'operators']],
    ['operators', ['operators']],
    ['[]', []],
    [undefined, []],
  ])('%s', (raw, groups) => {
    expect(parseGroupsClaim(raw)).toEqual(groups);
  });

  it('does not take a group whose name only contains "operators"', () => {
    const caller = callerOf(event({ sub: 's', 'cognito:groups': '[not-operators]' }));
    expect(caller.isOperator).toBe(false);
  });
});

describe('access rules', () => {
  const customer = { sub: 'cus-1', groups: [], isOperator: false };
  const operator = { sub: 'op-1', groups: ['operators'], isOperator: true };

  it("lets a customer reach only their own records, an operator anyone's", () => {
    expect(mayAccess(customer, 'cus-1')).toBe(true);
    expect(mayAccess(customer, 'cus-2')).toBe(false);
    expect(mayAccess(customer, undefined)).toBe(false);
    expect(mayAccess(operator, 'cus-2')).toBe(true);
  });

  it('refuses a customer with a 403 naming the group', () => {
    expect(() => requireOperator(customer, 'PUT /products/{sku}')).toThrow(
      /needs the operators group/,
    );
    expect(() => requireOperator(operator, 'PUT /products/{sku}')).not.toThrow();
  });
});
