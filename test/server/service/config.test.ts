import { describe, expect, it } from 'vitest';
import { parseServiceConfig } from '../../../server/service/config';

describe('parseServiceConfig', () => {
  it('uses the embedded defaults: ./.hubshare-data, loopback, port 8765', () => {
    expect(parseServiceConfig([], {}, '/srv')).toEqual({
      dataDir: '/srv/.hubshare-data',
      host: '127.0.0.1',
      port: 8765,
      maxPushBytes: 2048 * 1024 * 1024,
      webhookAllowLoopbackHttp: false,
      webhookAllowHosts: []
    });
  });

  it('takes the metrics token from HUBSHARE_METRICS_TOKEN only, and refuses a short one without echoing it', () => {
    const token = 'a1'.repeat(16);
    expect(parseServiceConfig([], { HUBSHARE_METRICS_TOKEN: token }, '/srv').metricsToken).toBe(token);
    expect(parseServiceConfig([], { HUBSHARE_METRICS_TOKEN: '' }, '/srv').metricsToken).toBeUndefined();
    expect(() => parseServiceConfig(['--metrics-token', token], {}, '/srv')).toThrow(/Unknown option '--metrics-token'/);
    for (const bad of ['short-secret-1', `${token} spaced`, `${token}\n`]) {
      expect(() => parseServiceConfig([], { HUBSHARE_METRICS_TOKEN: bad }, '/srv')).toThrow(/^HUBSHARE_METRICS_TOKEN must be 24 to 512 printable characters without spaces/);
      try {
        parseServiceConfig([], { HUBSHARE_METRICS_TOKEN: bad }, '/srv');
      } catch (error) {
        expect((error as Error).message).not.toContain(bad.trim());
      }
    }
  });

  it('reads HUBSHARE_* environment variables', () => {
    const env = { HUBSHARE_DATA_DIR: '/data', HUBSHARE_HOST: '0.0.0.0', HUBSHARE_PORT: '9000' };
    expect(parseServiceConfig([], env, '/srv')).toMatchObject({ dataDir: '/data', host: '0.0.0.0', port: 9000 });
  });

  it('lets flags win over the environment and resolves a relative data dir against cwd', () => {
    const env = { HUBSHARE_DATA_DIR: '/data', HUBSHARE_PORT: '9000' };
    expect(parseServiceConfig(['--data-dir', 'here', '--port', '0'], env, '/srv')).toMatchObject({
      dataDir: '/srv/here',
      host: '127.0.0.1',
      port: 0
    });
  });

  it('takes a PostgreSQL URL from --database or HUBSHARE_DATABASE_URL, and "sqlite" for the default', () => {
    const url = 'postgres://hubshare@db.internal:5432/hubshare';
    expect(parseServiceConfig(['--database', url], {}, '/srv').databaseUrl).toBe(url);
    expect(parseServiceConfig([], { HUBSHARE_DATABASE_URL: url }, '/srv').databaseUrl).toBe(url);
    expect(parseServiceConfig(['--database', 'sqlite'], { HUBSHARE_DATABASE_URL: url }, '/srv').databaseUrl).toBeUndefined();
  });

  it('reads the JupyterHub service environment: where to listen, the prefix, the hub API', () => {
    const config = parseServiceConfig(
      [],
      {
        JUPYTERHUB_API_URL: 'http://127.0.0.1:8081/hub/api',
        JUPYTERHUB_API_TOKEN: 'secret',
        JUPYTERHUB_SERVICE_URL: 'http://127.0.0.1:10101',
        JUPYTERHUB_SERVICE_PREFIX: '/services/hubshare/',
        JUPYTERHUB_CLIENT_ID: 'service-hubshare'
      },
      '/srv'
    );
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 10101,
      hub: { apiUrl: 'http://127.0.0.1:8081/hub/api', serviceName: 'hubshare', prefix: '/services/hubshare' }
    });
  });

  it('takes the largest push in megabytes', () => {
    expect(parseServiceConfig(['--max-push-mb', '10'], {}, '/srv').maxPushBytes).toBe(10 * 1024 * 1024);
  });

  it('lets an operator list the names and ranges inside the network webhooks may reach', () => {
    expect(parseServiceConfig(['--webhook-allow-hosts', 'dashboard.hub.svc, 10.20.0.0/16'], {}, '/srv').webhookAllowHosts).toEqual(['dashboard.hub.svc', '10.20.0.0/16']);
    expect(parseServiceConfig([], { HUBSHARE_WEBHOOK_ALLOW_HOSTS: 'fd00::/8' }, '/srv').webhookAllowHosts).toEqual(['fd00::/8']);
    expect(() => parseServiceConfig(['--webhook-allow-hosts', '10.0.0.0/40'], {}, '/srv')).toThrow(expect.objectContaining({ code: 'usage' }));
  });

  it('allows loopback webhooks only when asked, by flag or environment', () => {
    expect(parseServiceConfig(['--webhook-allow-loopback-http'], {}, '/srv').webhookAllowLoopbackHttp).toBe(true);
    expect(parseServiceConfig([], { HUBSHARE_WEBHOOK_ALLOW_LOOPBACK_HTTP: '1' }, '/srv').webhookAllowLoopbackHttp).toBe(true);
    expect(parseServiceConfig([], { HUBSHARE_WEBHOOK_ALLOW_LOOPBACK_HTTP: '0' }, '/srv').webhookAllowLoopbackHttp).toBe(false);
    expect(() => parseServiceConfig([], { HUBSHARE_WEBHOOK_ALLOW_LOOPBACK_HTTP: 'yes please' }, '/srv')).toThrow(
      expect.objectContaining({ code: 'usage' })
    );
  });

  it.each([['--max-push-mb', '0'], ['--max-push-mb', 'lots'], ['--database', 'mysql://x'], ['--port', 'abc'], ['--port', '70000'], ['--port', '-1'], ['--nope', 'x']])(
    'refuses %s %s with a usage error',
    (flag, value) => {
      expect(() => parseServiceConfig([flag, value], {}, '/srv')).toThrow(expect.objectContaining({ code: 'usage' }));
    }
  );
});
