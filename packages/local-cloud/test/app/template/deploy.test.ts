/** The deploy engine on templates of skipped types only, so no cloud is needed. */
import { describe, expect, it } from 'vitest';
import type { DeployEnv } from '../../../src/app/resources/types.js';
import type { StackArtifact, Template } from '../../../src/app/template/assembly.js';
import { deployStack } from '../../../src/app/template/deploy.js';

const newEnv = () =>
  ({
    accountId: '000000000000',
    region: 'eu-west-1',
    log: () => {},
    parameters: new Map<string, string>(),
  }) as unknown as DeployEnv;
const env = newEnv();

const stack = (stackName: string, template: Template): StackArtifact => ({
  artifactId: stackName,
  stackName,
  template,
  parameters: {},
  dependencies: [],
  assets: new Map(),
});

describe('deployStack', () => {
  it('resolves parameters of type AWS::SSM::Parameter::Value<String> from the parameters earlier stacks wrote', async () => {
    const local = newEnv();
    const writer = await deployStack(
      stack('Platform', {
        Resources: {
          BusArn: {
            Type: 'AWS::SSM::Parameter',
            Properties: { Name: '/shop/platform/event-bus-arn', Type: 'String', Value: 'arn:bus' },
          },
        },
      }),
      { env: local, exports: new Map(), nameSeed: '' },
    );
    expect(writer.resources['BusArn']!.physicalId).toBe('/shop/platform/event-bus-arn');
    expect(local.parameters.get('/shop/platform/event-bus-arn')).toBe('arn:bus');

    const reader = (stackName: string) =>
      stack(stackName, {
        Parameters: {
          Bus: {
            Type: 'AWS::SSM::Parameter::Value<String>',
            Default: '/shop/platform/event-bus-arn',
          },
        },
        Resources: {},
        Outputs: { Bus: { Value: { Ref: 'Bus' } } },
      });
    expect(
      (await deployStack(reader('Service'), { env: local, exports: new Map(), nameSeed: '' }))
        .outputs,
    ).toEqual({
      Bus: 'arn:bus',
    });
    await expect(
      deployStack(reader('Early'), { env: newEnv(), exports: new Map(), nameSeed: '' }),
    ).rejects.toThrow(
      /parameter Bus reads SSM parameter \/shop\/platform\/event-bus-arn, which no stack deployed so far created/,
    );
  });

  it('refuses an SSM parameter without a value or of a type it does not keep', async () => {
    const bad = (properties: Record<string, unknown>) =>
      deployStack(
        stack('S', { Resources: { P: { Type: 'AWS::SSM::Parameter', Properties: properties } } }),
        {
          env: newEnv(),
          exports: new Map(),
          nameSeed: '',
        },
      );
    await expect(bad({ Name: '/x' })).rejects.toThrow(/property Value is required/);
    await expect(bad({ Name: '/x', Value: 'v', Type: 'SecureString' })).rejects.toThrow(
      /Type SecureString is not supported/,
    );
  });

  it('resolves conditions, parameters, outputs and exports, and imports them in the next stack', async () => {
    const exports = new Map<string, unknown>();
    const first = await deployStack(
      stack('Platform', {
        Parameters: {
          Stage: { Type: 'String', Default: 'dev' },
          BootstrapVersion: {
            Type: 'AWS::SSM::Parameter::Value<String>',
            Default: '/cdk-bootstrap/hnb659fds/version',
          },
        },
        Conditions: {
          IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
          IsDev: { 'Fn::Not': [{ Condition: 'IsProd' }] },
        },
        Resources: {
          Param: {
            Type: 'AWS::SSM::Parameter',
            Properties: { Name: { 'Fn::Sub': '/${Stage}/${AWS::Region}/x' }, Value: 'v' },
          },
          ProdOnly: {
            Type: 'AWS::SSM::Parameter',
            Condition: 'IsProd',
            Properties: { Value: 'v' },
          },
          Role: { Type: 'AWS::IAM::Role', DependsOn: 'Param', Properties: {} },
        },
        Outputs: {
          ParamName: { Value: { Ref: 'Param' }, Export: { Name: 'Platform:ParamName' } },
          Mode: { Value: { 'Fn::If': ['IsDev', 'development', 'production'] } },
          Prod: { Condition: 'IsProd', Value: { Ref: 'ProdOnly' } },
        },
      }),
      { env, exports, nameSeed: '' },
    );
    expect(Object.keys(first.resources).sort()).toEqual(['Param', 'Role']);
    expect(first.outputs).toEqual({ ParamName: '/dev/eu-west-1/x', Mode: 'development' });
    expect(first.resources['Role']!.physicalId).toMatch(/^Platform-Role-[A-Z0-9]{13}$/);
    expect(first.resources['Role']!.attributes['Arn']).toMatch(
      /^arn:aws:iam::000000000000:role\/Platform-Role-/,
    );

    const second = await deployStack(
      stack('Service', {
        Resources: {
          P: {
            Type: 'AWS::SSM::Parameter',
            Properties: { Value: { 'Fn::ImportValue': 'Platform:ParamName' } },
          },
        },
        Outputs: { V: { Value: { 'Fn::GetAtt': ['P', 'Value'] } } },
      }),
      { env, exports, nameSeed: '' },
    );
    expect(second.outputs['V']).toBe('/dev/eu-west-1/x');
  });

  it('gives the same generated names for the same seed', async () => {
    const t: Template = { Resources: { R: { Type: 'AWS::SNS::Topic' } } };
    const a = await deployStack(stack('S', t), { env, exports: new Map(), nameSeed: 'x' });
    const b = await deployStack(stack('S', t), { env, exports: new Map(), nameSeed: 'x' });
    const c = await deployStack(stack('S', t), { env, exports: new Map(), nameSeed: 'y' });
    expect(a.resources['R']!.physicalId).toBe(b.resources['R']!.physicalId);
    expect(a.resources['R']!.physicalId).not.toBe(c.resources['R']!.physicalId);
    expect(a.resources['R']!.physicalId).toMatch(/^arn:aws:sns:eu-west-1:000000000000:S-R-/);
  });

  it('names an unsupported resource type and the resource', async () => {
    const t: Template = {
      Resources: { Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: {} } },
    };
    await expect(
      deployStack(stack('Store', t), { env, exports: new Map(), nameSeed: '' }),
    ).rejects.toThrow(
      /^Store\/Machine: resource type AWS::StepFunctions::StateMachine is not supported by the local cloud/,
    );
  });

  it('names a missing import and a resource cycle', async () => {
    const missing: Template = {
      Resources: {
        P: { Type: 'AWS::SSM::Parameter', Properties: { Value: { 'Fn::ImportValue': 'Nope' } } },
      },
    };
    await expect(
      deployStack(stack('S', missing), { env, exports: new Map(), nameSeed: '' }),
    ).rejects.toThrow(
      /S\/P \(AWS::SSM::Parameter\): S: Fn::ImportValue Nope: no stack deployed so far exports it/,
    );
    const cycle: Template = {
      Resources: {
        A: { Type: 'AWS::SSM::Parameter', Properties: { Value: { Ref: 'B' } } },
        B: { Type: 'AWS::SSM::Parameter', DependsOn: ['A'] },
      },
    };
    await expect(
      deployStack(stack('S', cycle), { env, exports: new Map(), nameSeed: '' }),
    ).rejects.toThrow(/cycle: A -> B -> A/);
  });

  it('names an attribute the local cloud does not provide', async () => {
    const t: Template = {
      Resources: { T: { Type: 'AWS::SNS::Topic' } },
      Outputs: { X: { Value: { 'Fn::GetAtt': ['Nope', 'Arn'] } } },
    };
    await expect(
      deployStack(stack('S', t), { env, exports: new Map(), nameSeed: '' }),
    ).rejects.toThrow(/Fn::GetAtt Nope\.Arn: no such resource/);
  });
});
