import { BadRequest } from './errors';

/** A ref as the API accepts it: `HEAD`, a full commit id, or a branch or tag name. */
export type RefName = string & { readonly __brand: 'RefName' };
/** A path inside a repository: `''` for the root, else `/`-separated names, never `.` or `..`. */
export type RepoPath = string & { readonly __brand: 'RepoPath' };

/**
 * Validates a ref at the boundary, by git's own rules for ref names (check-ref-format), plus: no
 * leading `-`, so it can never read as an option.
 * @throws BadRequest naming the rule it breaks.
 */
export function parseRef(raw: unknown): RefName {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 255) {
    throw new BadRequest('A ref is a branch or tag name, HEAD, or a full commit id.', 'invalid_ref');
  }
  const bad =
    // eslint-disable-next-line no-control-regex
    /[\x00-\x20\x7f~^:?*[\\]/.test(raw) ||
    raw.includes('..') ||
    raw.includes('@{') ||
    raw.includes('//') ||
    raw === '@' ||
    raw.startsWith('-') ||
    raw.startsWith('/') ||
    raw.endsWith('/') ||
    raw.endsWith('.') ||
    raw.split('/').some(part => part.startsWith('.') || part.endsWith('.lock'));
  if (bad) {
    throw new BadRequest(`${JSON.stringify(raw.slice(0, 80))} is not a valid ref name.`, 'invalid_ref');
  }
  return raw as RefName;
}

/**
 * Validates a path inside a repository; a trailing `/` is dropped.
 * @throws BadRequest for `.`/`..` segments, empty segments, control characters or a leading `/`.
 */
export function parseRepoPath(raw: unknown): RepoPath {
  if (raw === undefined || raw === '') {
    return '' as RepoPath;
  }
  if (typeof raw !== 'string' || raw.length > 4096) {
    throw new BadRequest('A path is text of at most 4096 characters.', 'invalid_path');
  }
  const trimmed = raw.endsWith('/') ? raw.slice(0, -1) : raw;
  const parts = trimmed.split('/');
  // eslint-disable-next-line no-control-regex
  if (parts.some(part => part === '' || part === '.' || part === '..') || /[\x00-\x1f\x7f]/.test(trimmed)) {
    throw new BadRequest(`${JSON.stringify(raw.slice(0, 80))} is not a path inside the project (no "..", "." or empty parts).`, 'invalid_path');
  }
  return trimmed as RepoPath;
}
