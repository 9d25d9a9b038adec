import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkoutSource, HUBSHARE_DIR } from '../../../../server/agent/checkouts/layout';
import { temporaryDirectory } from '../../http-harness';

describe('checkoutSource (what the listing says a checkout pulls from, without git)', () => {
  const work = temporaryDirectory('hubshare-layout-');
  afterAll(() => work.remove());
  let count = 0;

  const checkoutWithConfig = (config: string | null): string => {
    const root = join(work.path, `checkout-${(count += 1)}`);
    mkdirSync(join(root, HUBSHARE_DIR), { recursive: true });
    if (config !== null) {
      writeFileSync(join(root, HUBSHARE_DIR, 'config'), config);
      // Every config here is one git itself reads: the parser is held to real git syntax.
      execFileSync('git', ['config', '--file', join(root, HUBSHARE_DIR, 'config'), '--list'], { encoding: 'utf8' });
    }
    return root;
  };

  it('says url for a hubshare.url key, however git lets it be written', () => {
    for (const config of [
      '[core]\n\tbare = false\n[hubshare]\n\turl = https://example.org/a.git\n',
      '[HubShare]\n  URL=https://example.org/a.git\n',
      '[hubshare] url = https://example.org/a.git\n',
      '[core]\r\n\tbare = false\r\n[hubshare]\r\n\turl = https://example.org/a.git\r\n'
    ]) {
      expect(checkoutSource(checkoutWithConfig(config)), config).toBe('url');
    }
  });

  it('says project when a project is set, as the engine does, even beside a url left behind', () => {
    expect(checkoutSource(checkoutWithConfig('[core]\n\tbare = false\n[hubshare]\n\tproject = alice/study\n'))).toBe('project');
    expect(checkoutSource(checkoutWithConfig('[hubshare]\n\tproject = alice/study\n\turl = https://example.org/a.git\n'))).toBe('project');
    expect(checkoutSource(checkoutWithConfig('[hubshare]\n\turl = https://example.org/a.git\n[hubshare]\n\tproject = alice/study\n'))).toBe('project');
  });

  it('is not fooled by a url key of another section or subsection, and reads a missing config as a project', () => {
    expect(checkoutSource(checkoutWithConfig('[remote "origin"]\n\turl = https://example.org/a.git\n[hubshare]\n\tproject = alice/study\n'))).toBe('project');
    expect(checkoutSource(checkoutWithConfig('[hubshare]\n\tproject = alice/study\n[remote "origin"]\n\turl = https://example.org/a.git\n'))).toBe('project');
    expect(checkoutSource(checkoutWithConfig('[hubshare "x"]\n\turl = https://example.org/a.git\n'))).toBe('project');
    expect(checkoutSource(checkoutWithConfig(null))).toBe('project');
  });
});
