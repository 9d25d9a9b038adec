import { execFileSync } from 'node:child_process';

/**
 * Writes a "tree bomb" into the repository at `gitDir` (or the one git finds from `cwd`): a
 * commit of a handful of objects whose trees each hold `width` entries of the same sub-tree,
 * `depth` levels deep, so it describes width^depth paths (10^7 for 10 × 7) in 8 objects.
 * @returns the commit's id.
 */
export function writeTreeBomb(cwd: string, options: { width?: number; depth?: number; env?: NodeJS.ProcessEnv } = {}): string {
  const { width = 10, depth = 7 } = options;
  const git = (args: string[], input?: string) =>
    execFileSync('git', args, { cwd, input, encoding: 'utf8', env: { ...process.env, ...options.env } }).trim();
  let id = git(['hash-object', '-w', '--stdin'], 'boom\n');
  let type = 'blob';
  for (let level = 0; level < depth; level++) {
    const entries = Array.from({ length: width }, (_, index) => `${type === 'blob' ? '100644 blob' : '040000 tree'} ${id}\t${type === 'blob' ? 'f' : 'd'}${index}\n`);
    id = git(['mktree'], entries.join(''));
    type = 'tree';
  }
  return git(['-c', 'user.name=Mallory', '-c', 'user.email=m@example.org', 'commit-tree', id, '-m', 'a few objects, ten million paths']);
}
