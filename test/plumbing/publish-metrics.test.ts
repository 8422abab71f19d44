import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { describe, expect, it, vi } from 'vitest';
import { publishMetrics } from '#plumbing/publish-metrics.js';
import { context } from '../support/lambda-events.js';

function metricsWithLogger() {
  const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const metrics = new Metrics({ namespace: 'Test', serviceName: 'test', logger });
  const publish = vi.spyOn(metrics, 'publishStoredMetrics');
  // The EMF line itself is not what these tests are about.
  vi.spyOn(metrics['console'], 'log').mockImplementation(() => {});
  return { metrics, logger, publish };
}

describe('publishMetrics middleware', () => {
  it('publishes nothing and warns nothing when the invocation recorded no metric', async () => {
    const { metrics, logger, publish } = metricsWithLogger();
    const handler = middy(async () => 'ok').use(publishMetrics(metrics));
    expect(await handler({}, context)).toBe('ok');
    expect(publish).not.toHaveBeenCalled();
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('publishes what the invocation recorded, after success and after an error', async () => {
    const { metrics, publish } = metricsWithLogger();
    const ok = middy(async () => metrics.addMetric('Done', MetricUnit.Count, 1)).use(
      publishMetrics(metrics),
    );
    await ok({}, context);
    expect(publish).toHaveBeenCalledTimes(1);
    expect(metrics.hasStoredMetrics()).toBe(false);

    const failing = middy(async () => {
      metrics.addMetric('Failed', MetricUnit.Count, 1);
      throw new Error('boom');
    }).use(publishMetrics(metrics));
    await expect(failing({}, context)).rejects.toThrow('boom');
    expect(publish).toHaveBeenCalledTimes(2);
  });

  it("clears an invocation's dimensions even when it published nothing", async () => {
    const { metrics } = metricsWithLogger();
    const handler = middy(async () => metrics.addDimension('orderId', 'ord_1')).use(
      publishMetrics(metrics),
    );
    await handler({}, context);
    metrics.addMetric('Later', MetricUnit.Count, 1);
    const serialized = metrics.serializeMetrics();
    expect(serialized._aws.CloudWatchMetrics[0]?.Dimensions[0]).not.toContain('orderId');
  });

  it("is quieter than Powertools' logMetrics, which warns on an empty invocation", async () => {
    const { metrics, logger } = metricsWithLogger();
    await middy(async () => 'ok').use(logMetrics(metrics))({}, context);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('No application metrics to publish'),
    );
  });
});
