// deploy/kubernetes: rendered as kustomize renders them, every object validated against the
// Kubernetes schemas (kubernetes-models) and type-checked against its API types (which, unlike
// the schemas, refuse a field that does not exist: a typo such as `livenesProbe`), the pieces
// checked against each other, and the container's own command serving the probes' paths.
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { freePort, sleep } from '../server/service/crash/service-process';
import { temporaryDirectory } from '../server/http-harness';
import { type KubeObject, renderKustomization } from './kustomize-subset';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');
const deploy = join(root, 'deploy', 'kubernetes');

/** Where each kind's model lives in kubernetes-models: its module, class and API type. */
const MODELS: Record<string, { module: string; type: string; cls: string }> = {
  'v1/ServiceAccount': { module: 'kubernetes-models/v1/ServiceAccount', type: 'IServiceAccount', cls: 'ServiceAccount' },
  'v1/Service': { module: 'kubernetes-models/v1/Service', type: 'IService', cls: 'Service' },
  'v1/PersistentVolumeClaim': { module: 'kubernetes-models/v1/PersistentVolumeClaim', type: 'IPersistentVolumeClaim', cls: 'PersistentVolumeClaim' },
  'apps/v1/Deployment': { module: 'kubernetes-models/apps/v1/Deployment', type: 'IDeployment', cls: 'Deployment' },
  'policy/v1/PodDisruptionBudget': { module: 'kubernetes-models/policy/v1/PodDisruptionBudget', type: 'IPodDisruptionBudget', cls: 'PodDisruptionBudget' },
  'networking.k8s.io/v1/NetworkPolicy': { module: 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy', type: 'INetworkPolicy', cls: 'NetworkPolicy' }
};

interface Container {
  name: string;
  image: string;
  args?: string[];
  ports: { name: string; containerPort: number }[];
  env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string; optional?: boolean } } }[];
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  startupProbe: { httpGet: { path: string; port: string } };
  volumeMounts: { name: string; mountPath: string }[];
}
interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: { containers: Container[]; volumes: { name: string; persistentVolumeClaim?: { claimName: string } }[]; serviceAccountName: string };
}

const modelOf = (object: KubeObject) => {
  const model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!model) {
    throw new Error(`${object.apiVersion} ${object.kind} is not a kind these manifests are known to use`);
  }
  return model;
};
const only = (objects: KubeObject[], kind: string) => {
  const found = objects.filter(object => object.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0];
};
const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([key, value]) => labels[key] === value);

describe.each([
  ['base', join(deploy, 'base')],
  ['overlay-example', join(deploy, 'overlay-example')]
])('the Kubernetes manifests (%s)', (_name, dir) => {
  const objects = renderKustomization(dir);
  const deployment = only(objects, 'Deployment');
  const template = (deployment.spec as { template: PodTemplate }).template;
  const container = template.spec.containers[0];
  const env = Object.fromEntries(container.env.map(variable => [variable.name, variable]));

  it('validates every object against the Kubernetes schemas', async () => {
    for (const object of objects) {
      const model = modelOf(object);
      const module = (await import(model.module)) as Record<string, new (data: unknown) => { validate(): void }>;
      expect(() => new module[model.cls](object).validate(), `${object.kind} ${object.metadata.name}`).not.toThrow();
    }
  });

  it('uses no field the Kubernetes API does not have (type-checked against its types)', async () => {
    const scratch = join(root, 'node_modules', '.cache', `hubshare-kubernetes-${_name}`);
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
    const file = join(scratch, 'objects.mts');
    const lines = objects.map((object, index) => {
      const model = modelOf(object);
      return `import type { ${model.type} as T${index} } from '${model.module}';\nexport const o${index}: T${index} = ${JSON.stringify(object, null, 2)};`;
    });
    writeFileSync(file, `${lines.join('\n')}\n`);
    const tsc = join(root, 'node_modules', '.bin', 'tsc');
    const checked = await run(tsc, ['--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', file]).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error)
    );
    expect(checked).toBe('');
    rmSync(scratch, { recursive: true, force: true });
  }, 60_000);

  it('wires its pieces to each other: selectors, ports, the volume, the account', () => {
    const labels = template.metadata.labels;
    expect(matches((deployment.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels, labels)).toBe(true);
    const service = only(objects, 'Service');
    const servicePort = (service.spec as { ports: { port: number; targetPort: string }[] }).ports[0];
    expect(matches((service.spec as { selector: Record<string, string> }).selector, labels)).toBe(true);
    expect(container.ports.map(port => port.name)).toContain(servicePort.targetPort);
    expect(matches((only(objects, 'PodDisruptionBudget').spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels, labels)).toBe(true);
    for (const policy of objects.filter(object => object.kind === 'NetworkPolicy')) {
      const spec = policy.spec as { podSelector: { matchLabels: Record<string, string> }; ingress: { ports: { port: string }[] }[] };
      expect(matches(spec.podSelector.matchLabels, labels)).toBe(true);
      expect(spec.ingress.flatMap(rule => rule.ports.map(port => port.port))).toEqual(spec.ingress.flatMap(rule => rule.ports.map(() => 'http')));
    }
    const claim = only(objects, 'PersistentVolumeClaim');
    expect((claim.spec as { accessModes: string[] }).accessModes).toEqual(['ReadWriteMany']);
    const mount = container.volumeMounts.find(volume => volume.mountPath === env.HUBSHARE_DATA_DIR.value);
    expect(template.spec.volumes.find(volume => volume.name === mount?.name)?.persistentVolumeClaim?.claimName).toBe(claim.metadata.name);
    expect(template.spec.serviceAccountName).toBe(only(objects, 'ServiceAccount').metadata.name);
    expect((deployment.spec as { replicas: number }).replicas).toBeGreaterThanOrEqual(2);
  });

  it('probes /health for life and /ready for readiness under the prefix the hub routes, and takes its secrets from the Secret the README creates (from files)', () => {
    const prefix = env.JUPYTERHUB_SERVICE_PREFIX.value ?? '';
    expect(container.livenessProbe.httpGet.path).toBe(`${prefix}health`);
    expect(container.startupProbe.httpGet.path).toBe(`${prefix}health`);
    expect(container.readinessProbe.httpGet.path).toBe(`${prefix}ready`);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const fromSecrets = container.env.filter(variable => variable.valueFrom);
    expect(fromSecrets.map(variable => variable.name).sort()).toEqual(['HUBSHARE_DATABASE_URL', 'HUBSHARE_METRICS_TOKEN', 'JUPYTERHUB_API_TOKEN']);
    for (const variable of fromSecrets) {
      expect(readme).toContain(`> hubshare-secret/${variable.valueFrom?.secretKeyRef.key}`);
    }
    // Every variable it sets is one the service reads.
    const config = readFileSync(join(root, 'server', 'service', 'config.ts'), 'utf8');
    for (const variable of container.env) {
      expect(config, variable.name).toContain(variable.name);
    }
  });
});

describe('the Zero to JupyterHub values', () => {
  type Egress = { networkPolicy: { egress: { to: { podSelector: { matchLabels: Record<string, string> } }[]; ports: { port: number }[] }[] } };
  const values = parse(readFileSync(join(deploy, 'zero-to-jupyterhub-values.yaml'), 'utf8')) as {
    hub: Egress & { services: Record<string, { url: string }>; loadRoles: Record<string, { scopes: string[]; services?: string[] }> };
    proxy: { chp: Egress };
    singleuser: Egress & { extraEnv: Record<string, string> };
  };
  const objects = renderKustomization(join(deploy, 'base'));
  const service = only(objects, 'Service');
  const port = (service.spec as { ports: { port: number }[] }).ports[0].port;
  const template = (only(objects, 'Deployment').spec as { template: PodTemplate }).template;
  const env = Object.fromEntries(template.spec.containers[0].env.map(variable => [variable.name, variable.value]));

  it('point the hub\'s proxy and the users\' servers at the Service, under the service\'s name and prefix', () => {
    const name = env.JUPYTERHUB_SERVICE_NAME ?? '';
    expect(Object.keys(values.hub.services)).toEqual([name]);
    expect(values.hub.services[name].url).toBe(`http://${service.metadata.name}:${port}`);
    expect(env.JUPYTERHUB_SERVICE_PREFIX).toBe(`/services/${name}/`);
    expect(values.singleuser.extraEnv.HUBSHARE_URL).toBe(`http://${service.metadata.name}:${port}/services/${name}`);
    // Users' servers, the proxy and the hub may each reach the service's pods on its port.
    for (const [who, side] of [['singleuser', values.singleuser], ['proxy', values.proxy.chp], ['hub', values.hub]] as const) {
      const [egress] = side.networkPolicy.egress;
      expect(matches(egress.to[0].podSelector.matchLabels, template.metadata.labels), who).toBe(true);
      expect(egress.ports[0].port, who).toBe(port);
    }
    expect(template.metadata.labels['hub.jupyter.org/network-access-hub']).toBe('true');
  });

  it('give the service and the users the same roles as the managed-service config does', () => {
    const python = readFileSync(join(root, 'deploy', 'jupyterhub', 'jupyterhub_config.py'), 'utf8');
    const scopesOf = (role: string) => {
      const block = new RegExp(`"name": "${role}",\\s*"scopes": \\[([^\\]]*)\\]`).exec(python);
      return (block?.[1] ?? '').split(',').map(scope => scope.trim().replace(/^"|"$/g, '')).filter(Boolean);
    };
    for (const role of ['hubshare-service', 'user', 'server']) {
      expect(values.hub.loadRoles[role].scopes, role).toEqual(scopesOf(role));
    }
    expect(values.hub.loadRoles['hubshare-service'].services).toEqual([env.JUPYTERHUB_SERVICE_NAME]);
  });
});

describe('the container\'s command (the image holds the bundle, its SQLite addon, node and git)', () => {
  const files = temporaryDirectory('hubshare-image-');
  let url = '';
  let child: ReturnType<typeof spawn> | undefined;

  beforeAll(async () => {
    // Only what deploy/container/Dockerfile copies into the image: nothing from node_modules.
    const app = join(files.path, 'opt', 'hubshare');
    mkdirSync(app, { recursive: true });
    for (const file of ['service.cjs', 'better_sqlite3.node']) {
      copyFileSync(join(root, 'jupyterlab_hubshare', 'node', file), join(app, file));
    }
    const template = (only(renderKustomization(join(deploy, 'base')), 'Deployment').spec as { template: PodTemplate }).template;
    const container = template.spec.containers[0];
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    for (const variable of container.env) {
      if (variable.value !== undefined) {
        env[variable.name] = variable.value;
      }
    }
    const port = await freePort();
    Object.assign(env, {
      HUBSHARE_HOST: '127.0.0.1',
      HUBSHARE_PORT: String(port),
      HUBSHARE_DATA_DIR: join(files.path, 'srv'),
      JUPYTERHUB_API_URL: 'http://127.0.0.1:9/hub/api',
      JUPYTERHUB_API_TOKEN: 'a-hub-token-the-probes-never-need'
    });
    child = spawn(process.execPath, [join(app, 'service.cjs'), ...(container.args ?? [])], { env, cwd: files.path, stdio: 'ignore' });
    url = `http://127.0.0.1:${port}`;
    for (let waited = 0; !(await fetch(`${url}/services/hubshare/health`).then(response => response.ok, () => false)); waited += 50) {
      if (child.exitCode !== null || waited > 20_000) {
        throw new Error('the container\'s command did not start');
      }
      await sleep(50);
    }
  });
  afterAll(() => {
    child?.kill('SIGKILL');
    files.remove();
  });

  it('answers the probes\' paths', async () => {
    const template = (only(renderKustomization(join(deploy, 'base')), 'Deployment').spec as { template: PodTemplate }).template;
    const container = template.spec.containers[0];
    for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
      expect((await fetch(`${url}${probe.httpGet.path}`)).status, probe.httpGet.path).toBe(200);
    }
  });
});
