import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Forbidden } from '../shared/errors';
import type { Access } from '../shared/route-table';
import { proxySecretCheck } from './access';

/** How long a page link works; opening the page again from JupyterLab makes a new one. */
const LIFETIME_SECONDS = 4 * 60 * 60;

/**
 * Signed, expiring links to one project's pages. A page runs sandboxed, as an opaque origin, so
 * the browser sends no cookies with the requests for its images, styles and scripts; the link
 * itself carries the permission instead. It opens only that project's pages, only through this
 * agent (so as this user), read-only, for a few hours, and dies with the agent (the key is made
 * at start and never stored).
 */
export class PageLinks {
  private readonly key = randomBytes(32);

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** A link token for `owner/name`. */
  issue(owner: string, name: string): string {
    const expires = Math.floor(this.now() / 1000) + LIFETIME_SECONDS;
    return `${expires}.${this.sign(owner, name, expires)}`;
  }

  /** @throws Forbidden when the token is forged, for another project, or expired. */
  verify(token: string, owner: string, name: string): void {
    const [expiresText, signature] = token.split('.');
    const expires = Number(expiresText);
    const expected = Buffer.from(this.sign(owner, name, expires));
    const presented = Buffer.from(signature ?? '');
    if (!Number.isInteger(expires) || presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      throw new Forbidden('This page link is not valid. Open the page again from JupyterLab.', 'invalid_page_link');
    }
    if (expires * 1000 < this.now()) {
      throw new Forbidden('This page link has expired. Open the page again from JupyterLab.', 'expired_page_link');
    }
  }

  /**
   * Access for page views: proxied by the Jupyter server (the secret header) and carrying a
   * valid link for the project in the path.
   */
  access(proxySecret: string): Access {
    const requireSecret = proxySecretCheck(proxySecret);
    return {
      name: 'proxied-with-page-link',
      enforce: (req, _res, next) => {
        requireSecret(req);
        this.verify(String(req.params.link), String(req.params.owner), String(req.params.name));
        next();
      }
    };
  }

  private sign(owner: string, name: string, expires: number): string {
    return createHmac('sha256', this.key).update(`pages\n${owner}\n${name}\n${expires}`).digest('base64url');
  }
}
