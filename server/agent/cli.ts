import { relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { HubShareError } from '../shared/errors';
import { version } from '../shared/version';
import { type CheckoutStatus, Checkouts, cloneFolderName, type ConflictedFile, type ConflictParts, type ServiceTarget } from './checkouts/checkouts';
import type { MergedFile } from './checkouts/merge/merge-policy';
import { findCheckout, findCheckoutsUnder, pullInProgress } from './checkouts/layout';
import { parseServiceUrl } from './config';
import { callService, type ServiceProject } from './service-client';

export const CLI_USAGE = `Usage: hubshare <command> [options]

  publish [DIR] [--name N] [--visibility private|hub] [-m MSG]   share a folder as a new project
  checkout OWNER/NAME [DIR]                                       get a copy of a project
  clone URL [DIR]                                                 get a copy of a repository from the internet (https)
  list                                                            projects you can read, and checkouts here
  status [DIR]                                                    clean, local changes, behind, ahead, diverged or conflicted
  push [DIR] [-m MSG]                                             commit this folder's state and push it
  pull [DIR]                                                      commit local changes, fetch and merge
  resolve FILE... --mine|--theirs  |  resolve --all --mine|--theirs   pick a version of conflicted files
  resolve FILE --cell ID|--hunk N --mine|--theirs                 pick a version of one cell of a notebook, or one hunk of a text file
  continue [DIR]                                                  finish a pull once every file is picked
  abort [DIR]                                                     cancel a pull: everything back as before it

Talks to the service at $HUBSHARE_URL with $HUBSHARE_TOKEN (inside JupyterHub: $JUPYTERHUB_API_TOKEN).
Exit codes: 0 done, 1 conflicts to resolve, 2 usage, 3 not signed in / no permission, 4 not found, 5 other failure.`;

export interface HubShareCliIO {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

class UsageError extends Error {}

function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) {
    return 2;
  }
  if (error instanceof HubShareError) {
    if (error.status === 401 || error.status === 403) {
      return 3;
    }
    if (error.status === 404) {
      return 4;
    }
    if (error.status === 400 && error.code === 'usage') {
      return 2;
    }
  }
  return 5;
}

async function signIn(env: NodeJS.ProcessEnv): Promise<ServiceTarget> {
  const url = parseServiceUrl(env.HUBSHARE_URL);
  const token = env.HUBSHARE_TOKEN || env.JUPYTERHUB_API_TOKEN;
  if (!url || !token) {
    throw new HubShareError(401, 'not_signed_in', 'Not signed in: set HUBSHARE_URL and HUBSHARE_TOKEN (a token from your HubShare admin).');
  }
  const me = await callService<{ name: string }>({ url, token }, 'GET', '/user');
  return { url, token, userName: me.name };
}

/** The files both sides changed that merged by themselves, for the pull's answer. */
function describeMerged(merged: readonly MergedFile[] | undefined): string[] {
  if (!merged || merged.length === 0) {
    return [];
  }
  const kept = merged.filter(file => file.keptMyOutputs).map(file => file.path);
  return [
    `Merged changes from both sides in: ${merged.map(file => file.path).join(', ')}.`,
    ...(kept.length > 0 ? [`Where both ran the same cells, your outputs were kept: ${kept.join(', ')}.`] : [])
  ];
}

function describeConflicts(conflicts: readonly ConflictedFile[], partsOf: (conflict: ConflictedFile) => string = () => ''): string {
  const words: Record<ConflictedFile['kind'], string> = {
    'both-changed': 'changed here and there',
    'both-added': 'added here and there',
    'deleted-by-me': 'deleted here, changed there',
    'deleted-by-them': 'changed here, deleted there'
  };
  return conflicts.map(conflict => `  ${conflict.path}  (${words[conflict.kind]})${partsOf(conflict)}`).join('\n');
}

/** One line of a part's source, short enough for a terminal. */
function preview(source: string | null): string {
  if (source === null) {
    return '(deleted)';
  }
  const line = source.split('\n').find(text => text.trim() !== '') ?? '';
  return line.length > 40 ? `${line.slice(0, 39)}…` : line || '(empty)';
}

/** The parts of waiting files that can be picked one at a time, indented under each file. */
function describeParts(parts: ReadonlyMap<string, ConflictParts>): (conflict: ConflictedFile) => string {
  return conflict => {
    const found = parts.get(conflict.path);
    if (!found || found.kind === 'whole') {
      return '';
    }
    const open = found.parts.filter(part => part.pick === null);
    return open
      .map(part => {
        const name = found.kind === 'hunks' ? `hunk ${part.key}` : part.kind === 'metadata' ? 'notebook metadata (--cell metadata)' : `cell ${part.key}`;
        return `\n      ${name}:  mine ${preview(part.mine)}  |  theirs ${preview(part.theirs)}`;
      })
      .join('');
  };
}

function describeStatus(status: CheckoutStatus): string {
  const headline: Record<CheckoutStatus['state'], string> = {
    clean: 'Up to date.',
    'local-changes': 'You have changes to push.',
    behind: `Updates are available (${status.behind}): pull.`,
    ahead: `Your commits are not pushed yet (${status.ahead}): push.`,
    diverged: 'You and others both changed it: pull, then push.',
    conflicted: 'A pull is waiting for you to pick mine or theirs.'
  };
  const files = status.state === 'conflicted' ? describeConflicts(status.conflicts) : status.changed.map(path => `  ${path}`).join('\n');
  return [`${status.project} in ${status.root}`, headline[status.state], files].filter(Boolean).join('\n');
}

/** The parts of each file both sides changed, for the answer of a pull or a pick. */
async function partsOfConflicts(checkouts: Checkouts, dir: string, conflicts: readonly ConflictedFile[]): Promise<Map<string, ConflictParts>> {
  const parts = new Map<string, ConflictParts>();
  for (const conflict of conflicts.filter(candidate => candidate.kind === 'both-changed')) {
    parts.set(conflict.path, await checkouts.parts(dir, conflict.path));
  }
  return parts;
}

/** Runs one `hubshare` command; returns its exit code. */
export async function runHubShareCli(argv: readonly string[], io: HubShareCliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      (command === undefined ? io.err : io.out)(CLI_USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version') {
      io.out(version);
      return 0;
    }
    const options = {
      name: { type: 'string' },
      visibility: { type: 'string' },
      message: { type: 'string', short: 'm' },
      mine: { type: 'boolean' },
      theirs: { type: 'boolean' },
      all: { type: 'boolean' },
      cell: { type: 'string' },
      hunk: { type: 'string' }
    } as const;
    let parsed;
    try {
      parsed = parseArgs({ args: [...rest], options, strict: true, allowPositionals: true });
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const { values, positionals } = parsed;
    const dirArg = (index = 0) => positionals[index] ?? io.cwd;
    const known = ['publish', 'checkout', 'clone', 'list', 'status', 'push', 'pull', 'resolve', 'continue', 'abort'];
    if (!known.includes(command)) {
      throw new UsageError(`Unknown command "${command.slice(0, 40)}".`);
    }
    const target = await signIn(io.env);
    const checkouts = new Checkouts(target, { allowHttpLoopback: io.env.HUBSHARE_ALLOW_HTTP_LOOPBACK === '1' });
    const inCwd = (path: string) => resolve(io.cwd, path);
    switch (command) {
      case 'publish': {
        if (values.visibility !== undefined && values.visibility !== 'private' && values.visibility !== 'hub') {
          throw new UsageError('--visibility must be private or hub.');
        }
        const project = await checkouts.publish(inCwd(dirArg()), {
          name: values.name,
          visibility: values.visibility,
          message: values.message
        });
        io.out(`Published ${project.owner}/${project.name}.`);
        return 0;
      }
      case 'checkout': {
        if (positionals.length < 1 || positionals.length > 2) {
          throw new UsageError('checkout takes OWNER/NAME and, optionally, a folder.');
        }
        const root = await checkouts.checkout(positionals[0], positionals[1] ? inCwd(positionals[1]) : inCwd(positionals[0].split('/')[1] ?? ''));
        io.out(`Checked out ${positionals[0]} into ${root}.`);
        return 0;
      }
      case 'clone': {
        if (positionals.length < 1 || positionals.length > 2) {
          throw new UsageError('clone takes a URL and, optionally, a folder.');
        }
        const root = await checkouts.clone(positionals[0], inCwd(positionals[1] ?? cloneFolderName(positionals[0])));
        io.out(`Cloned ${positionals[0]} into ${root}.`);
        return 0;
      }
      case 'list': {
        const { projects } = await callService<{ projects: ServiceProject[] }>(target, 'GET', '/projects?scope=all');
        io.out('Projects you can read:');
        for (const project of projects) {
          io.out(`  ${project.owner}/${project.name}\t${project.myLevel}\t${project.visibility}\t${project.description}`);
        }
        const here = findCheckoutsUnder(io.cwd);
        io.out(here.length > 0 ? `Checkouts under ${io.cwd}:` : `No checkouts under ${io.cwd}.`);
        for (const root of here) {
          io.out(`  ${relative(io.cwd, root) || '.'}${pullInProgress(root) ? '\t(pull waiting for picks)' : ''}`);
        }
        return 0;
      }
      case 'status':
        io.out(describeStatus(await checkouts.status(inCwd(dirArg()))));
        return 0;
      case 'push': {
        const result = await checkouts.push(inCwd(dirArg()), values.message);
        io.out(result.pushed ? 'Pushed.' : 'Nothing to push.');
        return 0;
      }
      case 'pull': {
        const result = await checkouts.pull(inCwd(dirArg()));
        describeMerged(result.state === 'up-to-date' ? undefined : result.merged).forEach(line => io.out(line));
        if (result.state === 'conflicted') {
          const parts = await partsOfConflicts(checkouts, inCwd(dirArg()), result.conflicts);
          io.err(
            'Both sides changed the same part of these files; pick a version of each (hubshare resolve FILE --mine|--theirs, ' +
              `or one cell or hunk at a time with --cell ID or --hunk N), then hubshare continue — or hubshare abort:\n${describeConflicts(result.conflicts, describeParts(parts))}`
          );
          return 1;
        }
        io.out(result.state === 'updated' ? 'Pulled the latest changes.' : 'Already up to date.');
        return 0;
      }
      case 'resolve': {
        if (values.mine === values.theirs) {
          throw new UsageError('resolve needs exactly one of --mine or --theirs.');
        }
        const side = values.mine ? 'mine' : 'theirs';
        const part = values.cell ?? values.hunk;
        if (part !== undefined) {
          if ((values.cell !== undefined && values.hunk !== undefined) || values.all || positionals.length !== 1) {
            throw new UsageError('resolve --cell or --hunk takes one file and one of --cell ID or --hunk N.');
          }
          const partRoot = findCheckout(io.cwd);
          if (!partRoot) {
            throw new HubShareError(404, 'not_a_checkout', `${io.cwd} is not inside a HubShare checkout.`);
          }
          const file = relative(partRoot, resolve(io.cwd, positionals[0])).split(sep).join('/');
          const left = await checkouts.resolvePart(partRoot, file, part, side);
          const waiting = left.find(conflict => conflict.path === file);
          if (waiting) {
            const parts = await partsOfConflicts(checkouts, partRoot, [waiting]);
            io.out(`Still to pick in ${file}:${describeParts(parts)(waiting)}`);
          } else {
            io.out(`${file} is merged with your picks.`);
          }
          io.out(left.length === 0 ? 'Every file is picked: run hubshare continue.' : `Still to pick:\n${describeConflicts(left)}`);
          return left.length === 0 ? 0 : 1;
        }
        if (values.all ? positionals.length > 0 : positionals.length === 0) {
          throw new UsageError('resolve takes files, or --all.');
        }
        const root = findCheckout(io.cwd);
        if (!root) {
          throw new HubShareError(404, 'not_a_checkout', `${io.cwd} is not inside a HubShare checkout.`);
        }
        const files = positionals.map(file => relative(root, resolve(io.cwd, file)).split(sep).join('/'));
        const left = await checkouts.resolve(root, values.all ? 'all' : files, side);
        io.out(left.length === 0 ? 'Every file is picked: run hubshare continue.' : `Still to pick:\n${describeConflicts(left)}`);
        return left.length === 0 ? 0 : 1;
      }
      case 'continue':
        await checkouts.continue(inCwd(dirArg()));
        io.out('Pull finished. Push when you are ready.');
        return 0;
      case 'abort':
        await checkouts.abort(inCwd(dirArg()));
        io.out('Pull cancelled; your files are as they were.');
        return 0;
    }
    throw new UsageError(`Unknown command "${command}".`);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`hubshare: ${error.message}\n\n${CLI_USAGE}`);
      return 2;
    }
    const message = error instanceof HubShareError ? error.message : error instanceof Error ? error.message : String(error);
    io.err(`hubshare: ${message}`);
    return exitCodeOf(error);
  }
}
