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
export function parseUserName(raw: string): UserName {
  if (!USER_NAME.test(raw) || raw.includes('..')) {
    throw new BadRequest(
      `"${raw.slice(0, 80)}" is not a valid user name: use 1 to 63 lower-case letters, digits and . _ @ + -, starting with a letter or digit.`,
      'invalid_name'
    );
  }
  return raw as UserName;
}
