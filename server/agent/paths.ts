import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { BadRequest } from '../shared/errors';

/**
 * Turns a path from the frontend (relative to Jupyter's root, as in the file browser) into an
 * absolute path that is certainly inside the root — also after following symbolic links.
 * @throws BadRequest for absolute paths, `..` escapes, NUL bytes, or links that lead outside.
 */
export function resolveInRoot(root: string, raw: unknown): string {
  if (typeof raw !== 'string' || raw.includes('\0') || raw.length > 4096) {
    throw new BadRequest('"path" must be a folder path relative to your Jupyter root.', 'invalid_path');
  }
  if (isAbsolute(raw)) {
    throw new BadRequest('"path" must be relative to your Jupyter root, not absolute.', 'invalid_path');
  }
  const realRoot = realpathSync(root);
  const target = resolve(realRoot, raw);
  if (!isInside(realRoot, target)) {
    throw new BadRequest(`"${raw.slice(0, 200)}" is outside your Jupyter root.`, 'invalid_path');
  }
  // Follow links on the part that exists: it must stay inside too.
  let existing = target;
  while (!existsSync(existing)) {
    existing = dirname(existing);
  }
  if (!isInside(realRoot, realpathSync(existing))) {
    throw new BadRequest(`"${raw.slice(0, 200)}" leads outside your Jupyter root.`, 'invalid_path');
  }
  return target;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The path relative to the root, with `/` separators, as the frontend shows it. */
export function relativeToRoot(root: string, path: string): string {
  return relative(realpathSync(root), path).split(sep).join('/');
}
