/**
 * Lambda's event-source-mapping read API (REST-JSON):
 * `GET /2015-03-31/event-source-mappings/` (ListEventSourceMappings, with
 * FunctionName / EventSourceArn filters and Marker paging) and
 * `GET /2015-03-31/event-source-mappings/{UUID}` (GetEventSourceMapping).
 */
import type { EventSourceMappings, MappingInfo } from '../esm/index.js';
import type { ApiResponse } from './api.js';
import type { LambdaService } from './service.js';

export const MAPPINGS_API_PATH = /^\/2015-03-31\/event-source-mappings(?:\/([^/?]*))?\/?$/;

export function handleMappingsApi(
  service: LambdaService,
  mappings: EventSourceMappings,
  method: string,
  uuid: string | undefined,
  query: URLSearchParams,
): ApiResponse {
  if (method !== 'GET')
    return error(
      400,
      'InvalidParameterValueException',
      `${method} on event-source-mappings is not supported by the local Lambda (ListEventSourceMappings and GetEventSourceMapping are)`,
    );
  const all = mappings.list();
  if (uuid) {
    const found = all.find((m) => m.config.uuid === uuid);
    if (!found)
      return error(
        404,
        'ResourceNotFoundException',
        `The resource you requested does not exist. (Event source mapping ${uuid}; mappings here: ${all.map((m) => m.config.uuid).join(', ') || 'none'})`,
      );
    return json(describe(service, found));
  }
  const fnRef = query.get('FunctionName');
  const sourceArn = query.get('EventSourceArn');
  const fnArn = fnRef ? (service.find(fnRef)?.config.functionArn ?? fnRef) : undefined;
  const matching = all
    .map((m) => describe(service, m))
    .filter(
      (m) => (!fnArn || m.FunctionArn === fnArn) && (!sourceArn || m.EventSourceArn === sourceArn),
    );
  const start = Number(query.get('Marker') ?? '0');
  const max = Number(query.get('MaxItems') ?? '100');
  if (!Number.isInteger(start) || start < 0 || !Number.isInteger(max) || max < 1 || max > 10_000)
    return error(
      400,
      'InvalidParameterValueException',
      `Marker must be a marker this API returned and MaxItems an integer from 1 to 10000; received Marker=${query.get('Marker')}, MaxItems=${query.get('MaxItems')}`,
    );
  const page = matching.slice(start, start + max);
  return json({
    EventSourceMappings: page,
    ...(start + max < matching.length && { NextMarker: String(start + max) }),
  });
}

function describe(service: LambdaService, m: MappingInfo) {
  const c = m.config;
  const fn = service.find(c.functionRef);
  return {
    UUID: c.uuid,
    EventSourceMappingArn: `arn:aws:lambda:${service.region}:${service.accountId}:event-source-mapping:${c.uuid}`,
    EventSourceArn: c.eventSourceArn,
    FunctionArn: fn?.config.functionArn ?? c.functionRef,
    BatchSize: c.batchSize ?? (m.kind === 'sqs' ? 10 : 100),
    MaximumBatchingWindowInSeconds: c.maxBatchingWindowSeconds ?? 0,
    State: c.enabled ? 'Enabled' : 'Disabled',
    StateTransitionReason: 'USER_INITIATED',
    LastModified: 0,
    FunctionResponseTypes: c.reportBatchItemFailures ? ['ReportBatchItemFailures'] : [],
    ...(c.filterPatterns.length && {
      FilterCriteria: { Filters: c.filterPatterns.map((Pattern) => ({ Pattern })) },
    }),
    ...(c.maximumConcurrency !== undefined && {
      ScalingConfig: { MaximumConcurrency: c.maximumConcurrency },
    }),
    ...(c.startingPosition !== undefined && { StartingPosition: c.startingPosition }),
    ...(c.maximumRetryAttempts !== undefined && { MaximumRetryAttempts: c.maximumRetryAttempts }),
    ...(c.bisectBatchOnFunctionError !== undefined && {
      BisectBatchOnFunctionError: c.bisectBatchOnFunctionError,
    }),
    ...(c.onFailureDestination !== undefined && {
      DestinationConfig: { OnFailure: { Destination: c.onFailureDestination } },
    }),
  };
}

function json(value: unknown): ApiResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  };
}

function error(status: number, type: string, message: string): ApiResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
    body: JSON.stringify({ Type: 'User', message }),
  };
}
