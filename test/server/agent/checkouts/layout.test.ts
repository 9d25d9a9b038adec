import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkoutSource, HUBSHARE_DIR } from '../../../../server/agent/checkouts/layout';
import { temporaryDirectory } from '../../http-harness';

describe('checkoutSource (what the listing says a checkout pulls from, without git)', () => {
  const work = temporaryDirectory('hubshare-layout-');
  afterAll(() => work.remove());

  const checkoutWithConfig = (name: string, config: string | null): string => {
    const root = join(work.path, name);
    mkdirSync(join(root, HUBSHARE_DIR), { recursive: true });
    if (config !== null) {
      writeFileSync(join(root, HUBSHARE_DIR, 'config'), config);
    }
    return root;
  };

  it('says url only for a hubshare.url key, as git writes it', () => {
    expect(checkoutSource(checkoutWithConfig('clone', '[core]\n\tbare = false\n[hubshare]\n\turl = https://example.org/a.git\n'))).toBe('url');
    expect(checkoutSource(checkoutWithConfig('spaced', '[ HubShare ]\n  URL=https://example.org/a.git\n'))).toBe('url');
    expect(checkoutSource(checkoutWithConfig('project', '[core]\n\tbare = false\n[hubshare]\n\tproject = alice/study\n'))).toBe('project');
  });

  it('is not fooled by a url key of another section, and reads a missing config as a project', () => {
    expect(checkoutSource(checkoutWithConfig('remote', '[remote "origin"]\n\turl = https://example.org/a.git\n[hubshare]\n\tproject = alice/study\n'))).toBe('project');
    expect(checkoutSource(checkoutWithConfig('after', '[hubshare]\n\tproject = alice/study\n[remote "origin"]\n\turl = https://example.org/a.git\n'))).toBe('project');
    expect(checkoutSource(checkoutWithConfig('http', '[http]\n\turl = x\n'))).toBe('project');
    expect(checkoutSource(checkoutWithConfig('none', null))).toBe('project');
  });
});
