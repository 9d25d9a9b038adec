// The checkouts engine behind the CLI, the agent's API and the panel: ordinary folders whose
// history lives in `.hubshare/` (GIT_DIR) beside the user's files. One file per operation
// (publish, checkout/clone, status, push, pull, resolve/continue/abort); this class wires them.
import type { ServiceProject } from '../service-client';
import { checkout, clone } from './checkout';
import { CheckoutContext } from './checkout-context';
import type { CheckoutOptions, CheckoutStatus, ConflictedFile, PullResult, ServiceTarget } from './checkout-types';
import { publish, type PublishOptions } from './publish';
import { pull } from './pull';
import { push } from './push';
import type { ConflictParts, Pick } from './merge/part-picks';
import { abortPull, continuePull, partsOf, resolve, resolvePart, version } from './resolve';
import { checkoutProject } from './layout';
import { headsOf, status } from './status';

export type { CheckoutOptions, CheckoutState, CheckoutStatus, ConflictedFile, ConflictKind, PullResult, ServiceTarget } from './checkout-types';
export type { ConflictPart, ConflictParts, Pick } from './merge/part-picks';
export { cloneFolderName, parseCloneUrl, parseProjectPath } from './remote';

/**
 * Checkouts of one signed-in user. Every operation holds the checkout's lock, sends the token
 * only in git's environment, and leaves any `.git` the user keeps (at the top or in
 * sub-folders) untouched and untracked.
 */
export class Checkouts {
  private readonly context: CheckoutContext;

  constructor(service: ServiceTarget, options: CheckoutOptions = {}) {
    this.context = new CheckoutContext(service, options);
  }

  publish(dir: string, options?: PublishOptions): Promise<ServiceProject> {
    return publish(this.context, dir, options);
  }

  clone(rawUrl: string, dir: string): Promise<string> {
    return clone(this.context, rawUrl, dir);
  }

  checkout(rawProject: string, dir?: string): Promise<string> {
    return checkout(this.context, rawProject, dir);
  }

  status(dir: string): Promise<CheckoutStatus> {
    return status(this.context, dir);
  }

  /**
   * The status of many checkouts with one request to the service for where their projects
   * stand; only those whose project moved are fetched. Each answers its status or its error.
   */
  async statuses(roots: readonly string[]): Promise<{ root: string; status?: CheckoutStatus; error?: unknown }[]> {
    const projects = roots.flatMap(root => checkoutProject(root) ?? []);
    const known = await headsOf(this.context, projects);
    const answers: { root: string; status?: CheckoutStatus; error?: unknown }[] = [];
    for (const root of roots) {
      try {
        // A checkout busy with an operation answers busy at once: the next round asks again.
        answers.push({ root, status: await status(this.context, root, known, 0) });
      } catch (error) {
        answers.push({ root, error });
      }
    }
    return answers;
  }

  push(dir: string, message?: string): Promise<{ pushed: boolean }> {
    return push(this.context, dir, message);
  }

  pull(dir: string): Promise<PullResult> {
    return pull(this.context, dir);
  }

  resolve(dir: string, paths: readonly string[] | 'all', side: 'mine' | 'theirs'): Promise<ConflictedFile[]> {
    return resolve(this.context, dir, paths, side);
  }

  parts(dir: string, path: string): Promise<ConflictParts> {
    return partsOf(this.context, dir, path);
  }

  resolvePart(dir: string, path: string, key: string, side: Pick): Promise<ConflictedFile[]> {
    return resolvePart(this.context, dir, path, key, side);
  }

  continue(dir: string): Promise<void> {
    return continuePull(this.context, dir);
  }

  abort(dir: string): Promise<void> {
    return abortPull(this.context, dir);
  }

  version(dir: string, path: string, side: 'mine' | 'theirs'): Promise<Buffer> {
    return version(this.context, dir, path, side);
  }
}
