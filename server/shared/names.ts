import { BadRequest } from './errors';

/**
 * User names, as JupyterHub normalizes them (lower case) plus the characters hubs commonly allow
 * in them (`@`, `.`, `+`, `-`, `_`): safe as a URL path segment and as a git author name.
 */
const USER_NAME = /^[a-z0-9][a-z0-9._@+-]{0,62}$/;

/** A user name that passed validation. */
export type UserName = string & { readonly __brand: 'UserName' };

/**
 * Validates a user name at the boundary.
 * @throws BadRequest when the name does not follow the grammar.
 */
export function parseUserName(raw: unknown): UserName {
  if (typeof raw !== 'string') {
    throw new BadRequest('The user name must be a string.', 'invalid_name');
  }
  if (!USER_NAME.test(raw) || raw.includes('..')) {
    throw new BadRequest(
      `"${raw.slice(0, 80)}" is not a valid user name: use 1 to 63 lower-case letters, digits and . _ @ + -, starting with a letter or digit.`,
      'invalid_name'
    );
  }
  return raw as UserName;
}

/** Project and team names: lower case, URL- and path-safe, never `..`, never a reserved word. */
const RESOURCE_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** Names that would read as routes or git paths rather than as a project or team. */
const RESERVED_NAMES = new Set([
  'api', 'git', 'pages', 'health', 'new', 'edit', 'settings', 'admin', 'static', 'events', 'teams', 'projects',
  'users', 'user', 'grants', 'members', 'info', 'objects', 'refs', 'head'
]);

/** A project name that passed validation. */
export type ProjectName = string & { readonly __brand: 'ProjectName' };
/** A team name that passed validation. */
export type TeamName = string & { readonly __brand: 'TeamName' };

function parseResourceName(raw: unknown, what: 'project' | 'team'): string {
  if (typeof raw !== 'string') {
    throw new BadRequest(`The ${what} name must be a string.`, 'invalid_name');
  }
  const shown = JSON.stringify(raw.slice(0, 80));
  if (!RESOURCE_NAME.test(raw) || raw.includes('..') || raw.endsWith('.git') || raw.endsWith('.')) {
    throw new BadRequest(
      `${shown} is not a valid ${what} name: use 1 to 63 lower-case letters, digits, ".", "_" and "-", starting with a letter or digit (no "..", not ending in "." or ".git").`,
      'invalid_name'
    );
  }
  if (RESERVED_NAMES.has(raw)) {
    throw new BadRequest(`${shown} is reserved; choose another ${what} name.`, 'invalid_name');
  }
  return raw;
}

/** Validates a project name. @throws BadRequest when it does not follow the grammar. */
export function parseProjectName(raw: unknown): ProjectName {
  return parseResourceName(raw, 'project') as ProjectName;
}

/** Validates a team name. @throws BadRequest when it does not follow the grammar. */
export function parseTeamName(raw: unknown): TeamName {
  return parseResourceName(raw, 'team') as TeamName;
}
