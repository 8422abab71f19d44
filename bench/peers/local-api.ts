/**
 * The local cloud's HTTP API in front of the shared handler, without the shop: a one-stack cloud
 * assembly written by hand (what `cdk synth` would emit for one function and one route), loaded
 * with loadApp as the shop's own cdk.out is.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadApp, type LocalCloud } from '@shop/local-cloud';
import { HANDLER, ROUTE_PATH } from './handler.js';

export interface LocalApi {
  readonly url: string;
  stop(): Promise<void>;
}

const STACK = 'PeersBench';
const ASSET_KEY = 'handler.zip';

const template = {
  Resources: {
    Hello: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: 'peers-hello',
        Handler: HANDLER,
        Runtime: 'nodejs24.x',
        Code: { S3Bucket: 'cdk-assets', S3Key: ASSET_KEY },
        MemorySize: 128,
        Timeout: 10,
      },
    },
    Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'peers', ProtocolType: 'HTTP' } },
    Integration: {
      Type: 'AWS::ApiGatewayV2::Integration',
      Properties: {
        ApiId: { Ref: 'Api' },
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: { 'Fn::GetAtt': ['Hello', 'Arn'] },
        PayloadFormatVersion: '2.0',
      },
    },
    Route: {
      Type: 'AWS::ApiGatewayV2::Route',
      Properties: {
        ApiId: { Ref: 'Api' },
        RouteKey: `GET ${ROUTE_PATH}`,
        Target: { 'Fn::Join': ['', ['integrations/', { Ref: 'Integration' }]] },
      },
    },
    Stage: {
      Type: 'AWS::ApiGatewayV2::Stage',
      Properties: { ApiId: { Ref: 'Api' }, StageName: '$default', AutoDeploy: true },
    },
  },
};

/**
 * Writes the assembly into `<dir>/cdk.out` (its asset is `handlerDir`) and loads it. Concurrency
 * 8, not the default 5, so neither engine caps the 8 concurrent callers below 8 handlers at once
 * (serverless-offline starts a worker per concurrent request).
 */
export async function startLocalApi(
  cloud: LocalCloud,
  dir: string,
  handlerDir: string,
): Promise<LocalApi> {
  const cdkOut = join(dir, 'cdk.out');
  mkdirSync(cdkOut, { recursive: true });
  const write = (file: string, doc: unknown) =>
    writeFileSync(join(cdkOut, file), JSON.stringify(doc, null, 2));
  write(`${STACK}.template.json`, template);
  write(`${STACK}.assets.json`, {
    files: {
      handler: {
        source: { path: relative(cdkOut, handlerDir), packaging: 'zip' },
        destinations: { local: { objectKey: ASSET_KEY } },
      },
    },
  });
  write('manifest.json', {
    artifacts: {
      [`${STACK}.assets`]: {
        type: 'cdk:asset-manifest',
        properties: { file: `${STACK}.assets.json` },
      },
      [STACK]: {
        type: 'aws:cloudformation:stack',
        properties: { templateFile: `${STACK}.template.json` },
        dependencies: [`${STACK}.assets`],
      },
    },
  });
  const app = await loadApp({
    cdkOut,
    cloud,
    apiPort: 0,
    defaultConcurrency: 8,
    log: () => undefined,
    functionLog: () => undefined,
  });
  if (!app.apiUrl) {
    await app.stop();
    throw new Error('the local app loaded without an HTTP API');
  }
  return { url: app.apiUrl, stop: () => app.stop() };
}
