/**
 * EventBridge Schemas' read API (REST-JSON, `/v1/registries...`) for the
 * AWS::EventSchemas::Registry and Schema resources of the deployed stacks:
 * ListRegistries, ListSchemas, DescribeSchema.
 */
import { AwsError } from '../core/errors.js';
import type { Deployments } from '../cloudformation/deployments.js';
import type { Route } from '../edge/http.js';
import { restJson } from '../edge/rest-json.js';

const EMULATED =
  'ListRegistries (GET /v1/registries), ListSchemas (GET /v1/registries/name/{registry}/schemas), DescribeSchema (GET /v1/registries/name/{registry}/schemas/name/{schema})';

interface Schema {
  registryName: string;
  schemaName: string;
  type: string;
  content: string;
  description?: string;
  createdAt: Date;
}

export function schemasRoutes(
  deployments: Deployments,
  context: { region: string; accountId: string },
): Route[] {
  const arn = (kind: string, name: string) =>
    `arn:aws:schemas:${context.region}:${context.accountId}:${kind}/${name}`;
  const registries = () =>
    deployments.resources('AWS::EventSchemas::Registry').map(({ resource: r }) => ({
      name: String(r.properties['RegistryName'] ?? r.physicalId),
      description: r.properties['Description'] as string | undefined,
    }));
  const schemas = (): Schema[] =>
    deployments.resources('AWS::EventSchemas::Schema').map(({ stack, resource: r }) => ({
      registryName: String(r.properties['RegistryName']),
      schemaName: String(r.properties['SchemaName'] ?? r.physicalId),
      type: String(r.properties['Type'] ?? 'OpenApi3'),
      content:
        typeof r.properties['Content'] === 'string'
          ? r.properties['Content']
          : JSON.stringify(r.properties['Content']),
      ...(typeof r.properties['Description'] === 'string' && {
        description: r.properties['Description'],
      }),
      createdAt: stack.createdAt,
    }));
  const registry = (name: string) => {
    const found = registries().find((r) => r.name === name);
    if (!found)
      throw new AwsError(
        'NotFoundException',
        `Registry ${name} does not exist. Registries here: ${
          registries()
            .map((r) => r.name)
            .join(', ') || 'none'
        }.`,
        404,
      );
    return found;
  };

  return [
    {
      method: 'GET',
      path: /^\/v1\/registries\/?$/,
      service: 'Schemas',
      action: 'ListRegistries',
      handle: async (req) => {
        const prefix = new URL(req.url ?? '/', 'http://edge').searchParams.get(
          'registryNamePrefix',
        );
        return restJson({
          Registries: registries()
            .filter((r) => !prefix || r.name.startsWith(prefix))
            .map((r) => ({ RegistryName: r.name, RegistryArn: arn('registry', r.name), Tags: {} })),
        });
      },
    },
    {
      method: 'GET',
      path: /^\/v1\/registries\/name\/([^/]+)\/schemas\/?$/,
      service: 'Schemas',
      action: 'ListSchemas',
      handle: async (req, _body, m) => {
        const name = registry(decodeURIComponent(m[1]!)).name;
        const prefix = new URL(req.url ?? '/', 'http://edge').searchParams.get('schemaNamePrefix');
        return restJson({
          Schemas: schemas()
            .filter((s) => s.registryName === name && (!prefix || s.schemaName.startsWith(prefix)))
            .map((s) => ({
              SchemaName: s.schemaName,
              SchemaArn: arn('schema', `${s.registryName}/${s.schemaName}`),
              LastModified: s.createdAt.toISOString(),
              VersionCount: 1,
              Tags: {},
            })),
        });
      },
    },
    {
      method: 'GET',
      path: /^\/v1\/registries\/name\/([^/]+)\/schemas\/name\/([^/]+)\/?$/,
      service: 'Schemas',
      action: 'DescribeSchema',
      handle: async (req, _body, m) => {
        const registryName = registry(decodeURIComponent(m[1]!)).name;
        const schemaName = decodeURIComponent(m[2]!);
        const version = new URL(req.url ?? '/', 'http://edge').searchParams.get('schemaVersion');
        const s = schemas().find(
          (x) => x.registryName === registryName && x.schemaName === schemaName,
        );
        if (!s || (version !== null && version !== '1'))
          throw new AwsError(
            'NotFoundException',
            `Schema ${schemaName}${version ? ` version ${version}` : ''} does not exist in registry ${registryName} ` +
              '(each schema deployed from a template has one version, 1).',
            404,
          );
        return restJson({
          SchemaName: s.schemaName,
          SchemaArn: arn('schema', `${s.registryName}/${s.schemaName}`),
          SchemaVersion: '1',
          Type: s.type,
          Content: s.content,
          Description: s.description,
          LastModified: s.createdAt.toISOString(),
          VersionCreatedDate: s.createdAt.toISOString(),
          Tags: {},
        });
      },
    },
    ...['GET', 'POST', 'PUT', 'DELETE'].map((method) => ({
      method,
      path: /^\/v1\/(registries|discoverers)(\/|$)/,
      handle: async (): Promise<never> => {
        throw new AwsError(
          'NotFoundException',
          `The local Schemas does not emulate ${method} on this path; it emulates ${EMULATED}.`,
          404,
        );
      },
    })),
  ];
}
