import { describe, expect, it } from 'vitest';
import {
  evaluateCondition,
  NO_VALUE,
  referencedNames,
  resolve,
  TemplateError,
  type Scope,
} from '../../../src/app/template/intrinsics.js';

const scope = (over: Partial<Scope> = {}): Scope => ({
  region: 'us-east-1',
  ref: (name) =>
    ({
      'AWS::Region': 'us-east-1',
      'AWS::AccountId': '000000000000',
      'AWS::Partition': 'aws',
      'AWS::StackName': 'Shop',
      Table: 'Shop-Table-ABC',
      Env: 'prod',
    })[name] ??
    (() => {
      throw new TemplateError(`unknown ${name}`);
    })(),
  getAtt: (id, attr) => `${id}.${attr}`,
  importValue: (name) => `imported:${name}`,
  condition: (name) => name === 'IsProd',
  mappings: { Sizes: { prod: { memory: 512 } } },
  ...over,
});

describe('resolve', () => {
  it('resolves Ref to resources, parameters and pseudo parameters', () => {
    expect(resolve({ a: { Ref: 'Table' }, b: { Ref: 'AWS::Region' } }, scope())).toEqual({
      a: 'Shop-Table-ABC',
      b: 'us-east-1',
    });
  });

  it('drops properties and list items that are AWS::NoValue', () => {
    expect(
      resolve({ a: { Ref: 'AWS::NoValue' }, b: [1, { Ref: 'AWS::NoValue' }, 2] }, scope()),
    ).toEqual({ b: [1, 2] });
    expect(resolve({ Ref: 'AWS::NoValue' }, scope())).toBe(NO_VALUE);
  });

  it('resolves both forms of Fn::GetAtt', () => {
    expect(resolve({ 'Fn::GetAtt': ['Queue', 'Arn'] }, scope())).toBe('Queue.Arn');
    expect(resolve({ 'Fn::GetAtt': 'Table.StreamArn' }, scope())).toBe('Table.StreamArn');
  });

  it('joins, selects and splits', () => {
    const join = {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sqs:', { Ref: 'AWS::Region' }]],
    };
    expect(resolve(join, scope())).toBe('arn:aws:sqs:us-east-1');
    expect(resolve({ 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] }, scope())).toBe('b');
    expect(() => resolve({ 'Fn::Select': [5, ['a']] }, scope())).toThrow(/out of range/);
  });

  it('substitutes references, attributes, pseudo parameters and literals in Fn::Sub', () => {
    expect(
      resolve(
        {
          'Fn::Sub':
            'arn:${AWS::Partition}:x:${AWS::Region}:${AWS::AccountId}:${Table}/${Queue.Arn}/${!Literal}',
        },
        scope(),
      ),
    ).toBe('arn:aws:x:us-east-1:000000000000:Shop-Table-ABC/Queue.Arn/${Literal}');
  });

  it('takes Fn::Sub variables from its map first, resolving them', () => {
    expect(resolve({ 'Fn::Sub': ['${Name}-${Env}', { Name: { Ref: 'Table' } }] }, scope())).toBe(
      'Shop-Table-ABC-prod',
    );
  });

  it('chooses with Fn::If and evaluates condition functions', () => {
    expect(resolve({ 'Fn::If': ['IsProd', 'big', 'small'] }, scope())).toBe('big');
    expect(resolve({ 'Fn::If': ['IsDev', 'big', { Ref: 'AWS::NoValue' }] }, scope())).toBe(
      NO_VALUE,
    );
    expect(evaluateCondition({ 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, scope())).toBe(true);
    expect(evaluateCondition({ 'Fn::Equals': [1, '1'] }, scope())).toBe(true);
    expect(evaluateCondition({ 'Fn::Not': [{ Condition: 'IsProd' }] }, scope())).toBe(false);
    expect(
      evaluateCondition(
        { 'Fn::Or': [{ Condition: 'IsDev' }, { 'Fn::And': [{ Condition: 'IsProd' }, true] }] },
        scope(),
      ),
    ).toBe(true);
  });

  it('imports values and reads mappings', () => {
    expect(resolve({ 'Fn::ImportValue': 'Data:Table' }, scope())).toBe('imported:Data:Table');
    expect(resolve({ 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'memory'] }, scope())).toBe(512);
  });

  it('leaves a plain property named Condition alone', () => {
    expect(resolve({ Condition: { ArnEquals: { x: 'y' } } }, scope())).toEqual({
      Condition: { ArnEquals: { x: 'y' } },
    });
  });

  it('names the function and the place of an unsupported intrinsic', () => {
    expect(() => resolve({ a: { b: { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] } } }, scope())).toThrow(
      /Fn::Cidr at a\.b: the intrinsic function Fn::Cidr is not supported/,
    );
  });
});

describe('referencedNames', () => {
  it('finds Ref, GetAtt and Fn::Sub references, not Sub-local variables or literals', () => {
    const names = referencedNames({
      a: { Ref: 'Table' },
      b: { 'Fn::GetAtt': ['Queue', 'Arn'] },
      c: { 'Fn::Sub': ['${Bus.Arn}/${Local}/${!Skip}', { Local: { Ref: 'Fn' } }] },
      d: { 'Fn::GetAtt': 'Api.ApiEndpoint' },
    });
    expect([...names].sort()).toEqual(['Api', 'Bus', 'Fn', 'Queue', 'Table']);
  });
});
