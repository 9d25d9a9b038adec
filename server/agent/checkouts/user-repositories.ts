import { Conflict } from '../../shared/errors';
import type { CheckoutGit } from '../git/git-runner';
import { nestedRepositories } from './layout';

/** git's empty tree: what a checkout with no history yet is compared with. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/** How many offending paths the refusal names (the rest are counted). */
const NAMED = 5;

/**
 * Folders the user manages with git themselves are kept out of a checkout by its exclude file,
 * and git treats excluded files as expendable: a merge or `reset --hard` that brings a file named
 * like such a folder deletes the folder (its history with it), and one that brings a file inside
 * it overwrites the user's file there. Before a pull writes anything, this refuses an update
 * that would write at, inside or over (a file where one of its parent folders is) any of them.
 * `head` is the local snapshot (null before the first commit), `incoming` what was fetched.
 * @throws Conflict (`touches_your_repository`) naming the folders and the incoming paths.
 */
export async function refuseWritesIntoUserRepositories(git: CheckoutGit, root: string, head: string | null, incoming: string): Promise<void> {
  const repositories = nestedRepositories(root);
  if (repositories.length === 0) {
    return;
  }
  // A merge writes only what they changed since the common version; with no history here yet,
  // everything incoming is written.
  const from = head === null ? EMPTY_TREE : (await git.run(['merge-base', head, incoming]).catch(() => head)).trim() || head;
  const ancestors = new Set(repositories.flatMap(path => path.split('/').slice(0, -1).map((_, index, parts) => parts.slice(0, index + 1).join('/'))));
  // Only what the update changes is written; pathspecs keep git from listing the rest.
  const pathspecs = [...repositories, ...ancestors].map(path => `:(literal)${path}`);
  const out = await git.run(['diff', '--name-only', '--no-renames', '-z', from, incoming, '--', ...pathspecs]);
  const offending = out
    .split('\0')
    .filter(path => path.length > 0)
    .filter(path => ancestors.has(path) || repositories.some(repository => path === repository || path.startsWith(`${repository}/`)));
  if (offending.length === 0) {
    return;
  }
  const touched = repositories.filter(repository =>
    offending.some(path => path === repository || path.startsWith(`${repository}/`) || repository.startsWith(`${path}/`))
  );
  const named = offending.slice(0, NAMED).join(', ') + (offending.length > NAMED ? ` and ${offending.length - NAMED} more` : '');
  throw new Conflict(
    `Nothing was pulled: the update would write into ${touched.map(path => `${path}/`).join(', ')}, ` +
      `which you manage with git yourself (incoming: ${named}). Move or rename your folder, or ask who pushed it to rename theirs, then pull again.`,
    'touches_your_repository'
  );
}
