import { fcResource } from '../../src';

const env = {
  FC_FUNCTION_NAME: 'env-fn',
  FC_REGION: 'cn-shanghai',
  FC_ACCOUNT_ID: '999',
  FC_FUNCTION_MEMORY_SIZE: '512',
  FC_INSTANCE_ID: 'c-1234',
  FC_FUNCTION_VERSION: '3',
  FC_SERVICE_NAME: 'env-service',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'env-secret-value',
};

describe('fcResource', () => {
  describe("when only FC's environment is available", () => {
    it('maps it to the semantic-convention attributes, memory in bytes', () => {
      expect(fcResource(undefined, { env }).attributes).toEqual({
        'cloud.provider': 'alibaba_cloud',
        'cloud.platform': 'alibaba_cloud_fc',
        'cloud.region': 'cn-shanghai',
        'cloud.account.id': '999',
        'faas.name': 'env-fn',
        'faas.version': '3',
        'faas.instance': 'c-1234',
        'faas.max_memory': 512 * 1024 * 1024,
        'service.name': 'env-service',
      });
    });

    it('falls back to FC_VER_ID for the version', () => {
      expect(fcResource(undefined, { env: { FC_VER_ID: '7' } }).attributes['faas.version']).toBe('7');
    });
  });

  describe('when an invocation context is given', () => {
    const context = {
      region: 'cn-hangzhou',
      accountId: '123',
      function: { name: 'ctx-fn', memory: 256, timeout: 3 },
      service: { name: 'ctx-service', versionId: '11' },
      credentials: { accessKeyId: 'AK', accessKeySecret: 'ctx-secret-value', securityToken: 'ctx-token' },
    };

    it('prefers the context over the environment', () => {
      expect(fcResource(context, { env: { FC_INSTANCE_ID: 'c-9' } }).attributes).toMatchObject({
        'cloud.region': 'cn-hangzhou',
        'cloud.account.id': '123',
        'faas.name': 'ctx-fn',
        'faas.max_memory': 256 * 1024 * 1024,
        'faas.version': '11',
        'faas.instance': 'c-9',
        'service.name': 'ctx-service',
      });
    });

    it('names the service after the function when FC 3.0 gives no service name', () => {
      expect(fcResource({ function: { name: 'solo' } }, { env: {} }).attributes['service.name']).toBe('solo');
    });

    it('takes serviceName, then OTEL_SERVICE_NAME, over FC names', () => {
      expect(fcResource(context, { env: { OTEL_SERVICE_NAME: 'otel' } }).attributes['service.name']).toBe(
        'otel',
      );
      expect(fcResource(context, { env: {}, serviceName: 'mine' }).attributes['service.name']).toBe('mine');
    });

    it('never records credentials', () => {
      const text = JSON.stringify(fcResource(context, { env }).attributes);
      expect(text).not.toContain('secret-value');
      expect(text).not.toContain('ctx-token');
    });
  });

  describe('when values are odd', () => {
    it('skips non-numeric memory and non-string names', () => {
      const attributes = fcResource(
        { function: { name: 5 as never, memory: -1 } },
        { env: { FC_FUNCTION_MEMORY_SIZE: 'lots' } },
      ).attributes;
      expect(attributes['faas.max_memory']).toBeUndefined();
      expect(attributes['faas.name']).toBeUndefined();
    });
  });
});
