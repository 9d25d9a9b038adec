// Where a checkout pulls from, and the names and URLs that say so, validated.
import { basename } from 'node:path';
import { BadRequest } from '../../shared/errors';
import { parseProjectName, parseUserName } from '../../shared/names';

/** Where a checkout pulls from: a HubShare project, or a git URL from the internet. */
export type Remote = { kind: 'project'; project: string } | { kind: 'url'; url: string };

export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

/**
 * Validates a URL to clone from: https, or http to loopback when allowed; no credentials.
 * @throws BadRequest otherwise.
 */
export function parseCloneUrl(raw: string, allowHttpLoopback: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BadRequest(`"${raw.slice(0, 200)}" is not a URL.`, 'invalid_url');
  }
  const httpAllowed = url.protocol === 'http:' && allowHttpLoopback && isLoopbackUrl(url.toString());
  if (url.protocol !== 'https:' && !httpAllowed) {
    throw new BadRequest('Only https:// URLs can be cloned.', 'invalid_url');
  }
  if (url.username || url.password) {
    throw new BadRequest('Leave credentials out of the URL; HubShare clones public repositories.', 'invalid_url');
  }
  return url.toString();
}

/** Validates `owner/name`. @throws BadRequest otherwise. */
export function parseProjectPath(raw: string): string {
  const parts = raw.split('/');
  if (parts.length !== 2) {
    throw new BadRequest(`"${raw.slice(0, 80)}" is not a project: write it as OWNER/NAME.`, 'invalid_project');
  }
  return `${parseUserName(parts[0])}/${parseProjectName(parts[1])}`;
}

/** The folder a clone goes to when none is named: the repository's name. */
export function cloneFolderName(rawUrl: string): string {
  try {
    return basename(new URL(rawUrl).pathname).replace(/\.git$/, '') || 'clone';
  } catch {
    return 'clone';
  }
}

/** The project, or the URL, as the user reads it. */
export function describeRemote(remote: Remote): string {
  return remote.kind === 'project' ? remote.project : remote.url;
}
