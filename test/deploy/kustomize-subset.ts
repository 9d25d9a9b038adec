import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** A Kubernetes object as read from YAML. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface PatchOp {
  op: string;
  path: string;
  value?: unknown;
}

/** The fields of a kustomization this renderer knows; any other makes it refuse (never half a rendering). */
const KNOWN = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'replicas', 'patches']);

function pointer(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map(part => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function applyOp(target: Record<string, unknown>, op: PatchOp): void {
  const parts = pointer(op.path);
  const last = parts.pop();
  let at: Record<string, unknown> = target;
  for (const part of parts) {
    const next = at[part];
    if (typeof next !== 'object' || next === null) {
      throw new Error(`patch path ${op.path}: ${part} is not there`);
    }
    at = next as Record<string, unknown>;
  }
  if (last === undefined || (op.op !== 'add' && op.op !== 'replace')) {
    throw new Error(`patch op ${op.op} ${op.path} is not one this renderer knows`);
  }
  if (op.op === 'replace' && !(last in at)) {
    throw new Error(`patch replace ${op.path}: nothing to replace`);
  }
  at[last] = op.value;
}

/**
 * Renders a kustomization as `kubectl kustomize` does, for the subset HubShare's manifests use:
 * `resources` (files, or folders with a kustomization of their own), `namespace`, `images`
 * (newName/newTag by image name), `replicas` and JSON 6902 `patches` (add/replace) aimed by kind
 * and name. Anything else is refused. Checked against kustomize 5.5 on 2026-12-03: the same
 * objects for deploy/kubernetes/overlay-example.
 */
export function renderKustomization(dir: string): KubeObject[] {
  const kustomization = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Record<string, unknown>;
  const unknown = Object.keys(kustomization).filter(key => !KNOWN.has(key));
  if (unknown.length > 0) {
    throw new Error(`${dir}/kustomization.yaml uses ${unknown.join(', ')}, which this renderer does not know`);
  }
  const objects: KubeObject[] = [];
  for (const resource of (kustomization.resources as string[] | undefined) ?? []) {
    const path = join(dir, resource);
    if (statSync(path).isDirectory()) {
      objects.push(...renderKustomization(path));
    } else {
      for (const document of parseAllDocuments(readFileSync(path, 'utf8'))) {
        if (document.errors.length > 0) {
          throw new Error(`${path}: ${document.errors[0].message}`);
        }
        objects.push(document.toJS() as KubeObject);
      }
    }
  }
  for (const image of (kustomization.images as { name: string; newName?: string; newTag?: string }[] | undefined) ?? []) {
    for (const object of objects) {
      const pod = (object.spec as { template?: { spec?: { containers?: { image: string }[] } } } | undefined)?.template?.spec;
      for (const container of pod?.containers ?? []) {
        const [name, tag] = container.image.split(':');
        if (name === image.name) {
          container.image = `${image.newName ?? name}:${image.newTag ?? tag}`;
        }
      }
    }
  }
  for (const { name, count } of (kustomization.replicas as { name: string; count: number }[] | undefined) ?? []) {
    const deployment = objects.find(object => object.kind === 'Deployment' && object.metadata.name === name);
    if (!deployment) {
      throw new Error(`replicas: there is no Deployment ${name}`);
    }
    (deployment.spec as { replicas: number }).replicas = count;
  }
  for (const patch of (kustomization.patches as { target: { kind: string; name: string }; patch: string }[] | undefined) ?? []) {
    const targets = objects.filter(object => object.kind === patch.target.kind && object.metadata.name === patch.target.name);
    if (targets.length === 0) {
      throw new Error(`patch: there is no ${patch.target.kind} ${patch.target.name}`);
    }
    for (const target of targets) {
      for (const op of parse(patch.patch) as PatchOp[]) {
        applyOp(target, op);
      }
    }
  }
  if (typeof kustomization.namespace === 'string') {
    for (const object of objects) {
      object.metadata.namespace = kustomization.namespace;
    }
  }
  return objects;
}
