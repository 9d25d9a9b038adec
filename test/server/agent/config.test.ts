import { describe, expect, it } from 'vitest';
import { AgentConfigError, parseAgentConfig, parseServiceUrl } from '../../../server/agent/config';

const base = {
  HUBSHARE_AGENT_SOCKET: '/tmp/hubshare-x/agent.sock',
  HUBSHARE_AGENT_SECRET: 's'.repeat(43),
  HUBSHARE_ROOT_DIR: '/home/alice'
};

describe('parseAgentConfig', () => {
  it('reads the socket, secret, root and service from the environment', () => {
    expect(parseAgentConfig({ ...base, HUBSHARE_URL: 'http://127.0.0.1:8765/', HUBSHARE_TOKEN: 'hs_t' })).toEqual({
      socketPath: '/tmp/hubshare-x/agent.sock',
      proxySecret: 's'.repeat(43),
      rootDir: '/home/alice',
      serviceUrl: 'http://127.0.0.1:8765',
      serviceToken: 'hs_t'
    });
  });

  it('falls back to the JupyterHub API token when no HubShare token is set', () => {
    expect(parseAgentConfig({ ...base, JUPYTERHUB_API_TOKEN: 'hub-token' }).serviceToken).toBe('hub-token');
  });

  it.each([
    ['HUBSHARE_AGENT_SOCKET', { ...base, HUBSHARE_AGENT_SOCKET: 'relative.sock' }],
    ['HUBSHARE_AGENT_SECRET', { ...base, HUBSHARE_AGENT_SECRET: 'short' }],
    ['HUBSHARE_ROOT_DIR', { ...base, HUBSHARE_ROOT_DIR: undefined }]
  ])('refuses a missing or bad %s, naming it', (name, env) => {
    expect(() => parseAgentConfig(env)).toThrow(new RegExp(name));
  });
});

describe('parseServiceUrl', () => {
  it('keeps a base URL and drops trailing slashes', () => {
    expect(parseServiceUrl('https://hub.example.org/services/hubshare/')).toBe('https://hub.example.org/services/hubshare');
  });

  it.each([
    ['not a URL', 'not a url'],
    ['another scheme', 'file:///etc/passwd'],
    ['credentials in the URL', 'http://alice:secret@127.0.0.1:8765'],
    ['a query', 'http://127.0.0.1:8765/?x=1']
  ])('refuses %s', (_what, url) => {
    expect(() => parseServiceUrl(url)).toThrow(AgentConfigError);
  });
});
