import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/app/template/deploy.js';
import { physicalName } from '../../../src/app/template/physical-names.js';

describe('physicalName', () => {
  it('is <stack>-<logicalId>-<suffix> as CloudFormation names resources', () => {
    const table = physicalName({
      stackName: 'Shop',
      logicalId: 'Orders1234ABCD',
      type: 'AWS::DynamoDB::Table',
    });
    expect(table).toMatch(/^Shop-Orders1234ABCD-[A-Z0-9]{13}$/);
    const queue = physicalName({
      stackName: 'Shop',
      logicalId: 'Inbox5678',
      type: 'AWS::SQS::Queue',
    });
    expect(queue).toMatch(/^Shop-Inbox5678-[A-Za-z0-9]{12}$/);
  });

  it('cuts long names to each service limit, keeping both parts', () => {
    const stackName = 'AVeryLongStackNameForTheOrdersServiceOfTheShop';
    const logicalId = 'PlaceOrderHandlerFunctionWithAnEvenLongerName1234ABCD';
    const fn = physicalName({ stackName, logicalId, type: 'AWS::Lambda::Function' });
    expect(fn.length).toBeLessThanOrEqual(64);
    expect(fn).toMatch(/^AVeryLong\w+-PlaceOrder\w+-[A-Za-z0-9]{12}$/);
    const rule = physicalName({ stackName, logicalId, type: 'AWS::Events::Rule' });
    expect(rule.length).toBeLessThanOrEqual(64);
    const queue = physicalName({ stackName, logicalId, type: 'AWS::SQS::Queue', reserve: 5 });
    expect(`${queue}.fifo`.length).toBeLessThanOrEqual(80);
    const shortStack = physicalName({
      stackName: 'Shop',
      logicalId: logicalId.repeat(2),
      type: 'AWS::Lambda::Function',
    });
    expect(shortStack.startsWith('Shop-PlaceOrder')).toBe(true);
    expect(shortStack.length).toBe(64);
  });

  it('gives the same name for the same seed, and another for another', () => {
    const req = { stackName: 'Shop', logicalId: 'Orders', type: 'AWS::DynamoDB::Table' };
    expect(physicalName(req, seededRandom('a'))).toBe(physicalName(req, seededRandom('a')));
    expect(physicalName(req, seededRandom('a'))).not.toBe(physicalName(req, seededRandom('b')));
  });
});
