import { runServiceCli, type CliIO } from '../../../server/service/cli';

/** Runs one `hubshare-service` command (not `serve`) against a data dir and captures what it printed. */
export async function runCli(dataDir: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: t => out.push(t), err: t => err.push(t), env: {}, cwd: dataDir };
  const result = await runServiceCli([...argv, '--data-dir', dataDir], io);
  if (typeof result !== 'number') {
    await result.close();
    throw new Error('expected a command that exits');
  }
  return { code: result, out: out.join('\n'), err: err.join('\n') };
}
