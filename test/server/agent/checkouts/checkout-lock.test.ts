import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withCheckoutLock } from '../../../../server/agent/checkouts/checkout-lock';
import { temporaryDirectory } from '../../http-harness';

const dir = temporaryDirectory('hubshare-lock-');
afterAll(() => dir.remove());
let count = 0;
function checkoutRoot(): string {
  count += 1;
  const root = join(dir.path, `checkout-${count}`);
  mkdirSync(join(root, '.hubshare'), { recursive: true });
  return root;
}
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('the checkout lock', () => {
  // Seen in CI: right after a pull the panel's status read held the checkout, and the conflict
  // picker's read of a file's parts, arriving a moment later in the same agent, got 409.
  it('lets this process\'s operations on one checkout take turns instead of refusing the second', async () => {
    const root = checkoutRoot();
    const trace: string[] = [];
    const operation = (name: string, ms: number) =>
      withCheckoutLock(root, async () => {
        trace.push(`${name} starts`);
        await sleep(ms);
        trace.push(`${name} ends`);
        return name;
      });
    expect(await Promise.all([operation('status', 80), operation('parts', 10), operation('mine', 10)])).toEqual(['status', 'parts', 'mine']);
    expect(trace).toEqual(['status starts', 'status ends', 'parts starts', 'parts ends', 'mine starts', 'mine ends']);
  });

  it('gives the next operation its turn when one fails', async () => {
    const root = checkoutRoot();
    const failing = withCheckoutLock(root, async () => {
      await sleep(20);
      throw new Error('git failed');
    });
    const next = withCheckoutLock(root, async () => 'ran');
    await expect(failing).rejects.toThrow('git failed');
    expect(await next).toBe('ran');
  });

  it('refuses, in words, an operation whose turn does not come within the wait', async () => {
    const root = checkoutRoot();
    const long = withCheckoutLock(root, () => sleep(300));
    await expect(withCheckoutLock(root, async () => 'never', 50)).rejects.toMatchObject({ status: 409, code: 'checkout_busy' });
    await long;
    expect(await withCheckoutLock(root, async () => 'after')).toBe('after');
  });

  it('keeps the others waiting in turn when one waiter gives up', async () => {
    const root = checkoutRoot();
    const trace: string[] = [];
    const first = withCheckoutLock(root, async () => {
      await sleep(300);
      trace.push('first');
    });
    const impatient = withCheckoutLock(root, async () => trace.push('impatient'), 50);
    await expect(impatient).rejects.toMatchObject({ code: 'checkout_busy' });
    // Arrives after the impatient one gave up, while the first still works: it waits its turn.
    const patient = withCheckoutLock(root, async () => trace.push('patient'), 5000);
    await Promise.all([first, patient]);
    expect(trace).toEqual(['first', 'patient']);
  });

  it('refuses at once while another live process (a terminal\'s hubshare) holds the checkout', async () => {
    const root = checkoutRoot();
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(join(root, '.hubshare', 'hubshare.lock'), String(other.pid));
      const started = Date.now();
      await expect(withCheckoutLock(root, async () => 'never')).rejects.toMatchObject({ code: 'checkout_busy', message: expect.stringContaining(`process ${other.pid}`) });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      other.kill('SIGKILL');
    }
  });
});
