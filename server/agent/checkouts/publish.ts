// `hubshare publish`: a folder becomes a new project of the signed-in user.
import { existsSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { BadRequest, NotFound } from '../../shared/errors';
import { parseProjectName } from '../../shared/names';
import { callService, type ServiceProject } from '../service-client';
import type { CheckoutContext } from './checkout-context';
import { withCheckoutLock } from './checkout-lock';
import { MAIN, TRACKING } from './checkout-types';
import { refuseInsideCheckout } from './hostile-tree';
import { HUBSHARE_DIR, isCheckout } from './layout';

export interface PublishOptions {
  name?: string;
  visibility?: 'private' | 'hub';
  message?: string;
}

/**
 * Publishes a folder as a new project of the signed-in user: creates it on the service, commits
 * the folder and pushes. On failure nothing is left behind (no project, no `.hubshare`).
 * @throws BadRequest when the folder is (inside) a checkout already; Conflict when the name is taken.
 */
export async function publish(context: CheckoutContext, dir: string, options: PublishOptions = {}): Promise<ServiceProject> {
  const root = resolve(dir);
  if (!existsSync(root)) {
    throw new NotFound(`There is no folder ${root}.`, 'no_such_folder');
  }
  // Before the project is made on the service: nothing of a refused publish may stay there.
  if (!statSync(root).isDirectory()) {
    throw new BadRequest(`${root} is a file, not a folder: publish the folder that holds it.`, 'not_a_folder');
  }
  refuseInsideCheckout(root);
  if (isCheckout(root) && (await context.remoteOf(root)).kind === 'url') {
    return publishClone(context, root, options);
  }
  if (isCheckout(root)) {
    throw new BadRequest(`${root} is already a HubShare checkout: push instead.`, 'already_checkout');
  }
  const name = parseProjectName(options.name ?? defaultProjectName(root));
  const project = await callService<ServiceProject>(context.service, 'POST', '/projects', {
    name,
    visibility: options.visibility ?? 'private'
  });
  const full = `${project.owner}/${project.name}`;
  try {
    await context.initialize(root, { kind: 'project', project: full });
    await withCheckoutLock(root, async () => {
      const git = context.git(root);
      // A folder just initialized: no commit yet.
      await context.commitAll(git, root, options.message ?? `Publish ${name}`, null);
      await git.run(['push', git.verbosity, '--', context.gitUrl(full), `HEAD:${MAIN}`]);
      await git.run(['update-ref', TRACKING, 'HEAD']);
    });
  } catch (error) {
    // The project first: were the folder's removal to fail, nothing may stay on the service.
    await callService(context.service, 'DELETE', `/projects/${full}`).catch(() => undefined);
    rmSync(join(root, HUBSHARE_DIR), { recursive: true, force: true });
    throw error;
  }
  return project;
}

/** Makes a folder cloned from a URL a project of the signed-in user, history included. */
async function publishClone(context: CheckoutContext, root: string, options: PublishOptions): Promise<ServiceProject> {
  return withCheckoutLock(root, async () => {
    context.refuseDuringPull(root);
    const name = parseProjectName(options.name ?? defaultProjectName(root));
    const project = await callService<ServiceProject>(context.service, 'POST', '/projects', { name, visibility: options.visibility ?? 'private' });
    const full = `${project.owner}/${project.name}`;
    const git = context.git(root, { kind: 'project', project: full });
    try {
      await context.commitAll(git, root, `Publish ${name}`, await context.head(git));
      await git.run(['push', git.verbosity, '--', context.gitUrl(full), `HEAD:${MAIN}`]);
    } catch (error) {
      await callService(context.service, 'DELETE', `/projects/${full}`).catch(() => undefined);
      throw context.explain(error);
    }
    await git.run(['config', 'hubshare.project', full]);
    await git.run(['config', '--unset', 'hubshare.url']);
    await git.run(['update-ref', TRACKING, 'HEAD']);
    return project;
  });
}

/** A project name made from a folder name: lower case, other characters turned into dashes. */
function defaultProjectName(root: string): string {
  return basename(root).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 63);
}
