/**
 * CloudFormation's read API over the query protocol (form `Action=...`, XML):
 * DescribeStacks, ListStacks, ListStackResources and DescribeStackResources
 * for the stacks the local cloud deployed. Outputs holding an API Gateway URL
 * of a local HTTP API are answered with the local URL, which is where it is.
 */
import { AwsError } from '../core/errors.js';
import type { QueryService } from '../edge/server.js';
import type { DeployedStack, Deployments } from './deployments.js';
import { queryResponse, type XmlObject } from './xml.js';

const XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
const ACTIONS = ['DescribeStacks', 'ListStacks', 'ListStackResources', 'DescribeStackResources'];

export class CloudFormationQueryService implements QueryService {
  readonly service = 'CloudFormation';
  readonly signingName = 'cloudformation';
  readonly xmlns = XMLNS;

  constructor(private readonly deployments: Deployments) {}

  hasAction(action: string): boolean {
    return ACTIONS.includes(action);
  }

  ownsPath(): boolean {
    return false;
  }

  async handleQuery(action: string, params: URLSearchParams, _path: string, requestId: string) {
    return queryResponse(action, XMLNS, this.result(action, params), requestId);
  }

  private result(action: string, params: URLSearchParams): XmlObject {
    switch (action) {
      case 'DescribeStacks': {
        const name = params.get('StackName');
        const stacks = name ? [this.stack(name)] : this.deployments.stacks();
        return { Stacks: stacks.map((s) => this.describe(s)) };
      }
      case 'ListStacks': {
        const filter = [...params].filter(([k]) => k.startsWith('StackStatusFilter.member.'));
        const wanted = filter.map(([, v]) => v);
        const stacks =
          wanted.length && !wanted.includes('CREATE_COMPLETE') ? [] : this.deployments.stacks();
        return {
          StackSummaries: stacks.map((s) => ({
            StackId: s.stackId,
            StackName: s.stackName,
            TemplateDescription: s.description,
            CreationTime: s.createdAt,
            StackStatus: 'CREATE_COMPLETE',
            DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
          })),
        };
      }
      case 'ListStackResources': {
        const stack = this.stack(required(params, 'StackName'));
        return {
          StackResourceSummaries: Object.values(stack.resources).map((r) => ({
            LogicalResourceId: r.logicalId,
            PhysicalResourceId: r.physicalId,
            ResourceType: r.type,
            LastUpdatedTimestamp: stack.createdAt,
            ResourceStatus: 'CREATE_COMPLETE',
            ResourceStatusReason: r.skipped
              ? 'accepted, not emulated by the local cloud'
              : undefined,
            DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
          })),
        };
      }
      case 'DescribeStackResources': {
        const stackName = params.get('StackName');
        const physicalId = params.get('PhysicalResourceId');
        if (!stackName && !physicalId)
          throw new AwsError(
            'ValidationError',
            'Either StackName or PhysicalResourceId is required.',
          );
        const logicalId = params.get('LogicalResourceId');
        const stacks = stackName ? [this.stack(stackName)] : this.deployments.stacks();
        const found = stacks.flatMap((stack) =>
          Object.values(stack.resources)
            .filter((r) => !physicalId || r.physicalId === physicalId)
            .filter((r) => !logicalId || r.logicalId === logicalId)
            .map((r) => ({ stack, r })),
        );
        if (physicalId && !found.length)
          throw new AwsError('ValidationError', `Stack for ${physicalId} does not exist`);
        return {
          StackResources: found.map(({ stack, r }) => ({
            StackName: stack.stackName,
            StackId: stack.stackId,
            LogicalResourceId: r.logicalId,
            PhysicalResourceId: r.physicalId,
            ResourceType: r.type,
            Timestamp: stack.createdAt,
            ResourceStatus: 'CREATE_COMPLETE',
            DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
          })),
        };
      }
      default:
        throw new AwsError(
          'InvalidAction',
          `The local CloudFormation does not emulate ${action}; it emulates ${ACTIONS.join(', ')} for the stacks it deployed.`,
        );
    }
  }

  /** By name or stack id, as CloudFormation finds a stack. */
  private stack(ref: string): DeployedStack {
    const stacks = this.deployments.stacks();
    const s = stacks.find((x) => x.stackName === ref || x.stackId === ref);
    if (!s)
      throw new AwsError(
        'ValidationError',
        `Stack with id ${ref} does not exist. Stacks here: ${stacks.map((x) => x.stackName).join(', ') || 'none (no app is loaded)'}.`,
      );
    return s;
  }

  private describe(s: DeployedStack): XmlObject {
    const apis = this.localApiUrls();
    return {
      StackId: s.stackId,
      StackName: s.stackName,
      Description: s.description,
      CreationTime: s.createdAt,
      StackStatus: 'CREATE_COMPLETE',
      DisableRollback: false,
      Outputs: Object.entries(s.outputs).map(([key, value]) => ({
        OutputKey: key,
        OutputValue: localized(outputText(value), apis),
        ExportName: s.exportNames[key],
      })),
      Tags: [],
      EnableTerminationProtection: false,
      DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
    };
  }

  /** API id -> the local HTTP API's URL (its ApiEndpoint attribute). */
  private localApiUrls(): Map<string, string> {
    const urls = new Map<string, string>();
    for (const { resource } of this.deployments.resources('AWS::ApiGatewayV2::Api')) {
      const endpoint = resource.attributes['ApiEndpoint'];
      if (typeof endpoint === 'string' && endpoint) urls.set(resource.physicalId, endpoint);
    }
    return urls;
  }
}

/** CloudFormation renders a list output as comma-separated text. */
function outputText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(String).join(',');
  return JSON.stringify(value);
}

/** `https://<apiId>.execute-api.<region>.amazonaws.com/<path>` -> `<local API URL>/<path>`. */
function localized(value: string, apis: Map<string, string>): string {
  return value.replace(
    /https:\/\/([a-z0-9]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com(\/[^\s,]*)?/g,
    (whole, apiId: string, path: string | undefined) => {
      const local = apis.get(apiId);
      if (!local) return whole;
      const rest = (path ?? '').replace(/^\/+/, '');
      return rest ? `${local.replace(/\/+$/, '')}/${rest}` : `${local.replace(/\/+$/, '')}/`;
    },
  );
}

function required(params: URLSearchParams, name: string): string {
  const v = params.get(name);
  if (!v) throw new AwsError('ValidationError', `${name} is required.`);
  return v;
}
