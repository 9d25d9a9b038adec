// The config file of HubShare's own git directory in a checkout, rewritten before every git command.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** HubShare's own keys in a checkout's git config (`hubshare.project`, `hubshare.url`). */
export interface HubShareKeys {
  project?: string;
  url?: string;
}

/** The keys `git init` writes after probing the filesystem: kept (as booleans) when present. */
const PROBED_CORE_KEYS = ['filemode', 'symlinks', 'ignorecase', 'precomposeunicode'] as const;

interface ConfigEntry {
  section: string;
  key: string;
  value: string;
}

/**
 * The entries of a git config file, read as git does for plain `section.key` names: section and
 * key names in any case, values with quotes, escapes and `#`/`;` comments; subsections
 * (`[url "…"]`) keep their name in `section` (`url "…"`), so they never pass for HubShare's.
 */
function configEntries(text: string): ConfigEntry[] {
  const entries: ConfigEntry[] = [];
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    let line = raw;
    const header = /^\s*\[([^\]]*)\](.*)$/.exec(line);
    if (header) {
      section = header[1].trim().toLowerCase();
      line = header[2];
    }
    const entry = /^\s*([A-Za-z][A-Za-z0-9-]*)\s*(?:=(.*))?$/.exec(line);
    if (entry) {
      entries.push({ section, key: entry[1].toLowerCase(), value: configValue(entry[2] ?? 'true') });
    }
  }
  return entries;
}

/** A config value as git reads it: quotes joined, `\\ \" \n \t \b` unescaped, comments cut. */
function configValue(raw: string): string {
  let value = '';
  let quoted = false;
  let pendingSpace = '';
  for (let index = 0; index < raw.length; index += 1) {
    const char = raw[index];
    if (!quoted && (char === '#' || char === ';')) {
      break;
    }
    if (!quoted && /\s/.test(char)) {
      pendingSpace += value ? char : '';
      continue;
    }
    value += pendingSpace;
    pendingSpace = '';
    if (char === '"') {
      quoted = !quoted;
    } else if (char === '\\' && index + 1 < raw.length) {
      index += 1;
      const escaped: Record<string, string> = { n: '\n', t: '\t', b: '\b' };
      value += escaped[raw[index]] ?? raw[index];
    } else {
      value += char;
    }
  }
  return value;
}

/** HubShare's keys in a git config file's text (the last value of each wins, as in git). */
export function hubShareKeys(text: string): HubShareKeys {
  const keys: HubShareKeys = {};
  for (const { section, key, value } of configEntries(text)) {
    if (section === 'hubshare' && (key === 'project' || key === 'url')) {
      keys[key] = value;
    }
  }
  return keys;
}

/** A value written so that git reads it back exactly. */
function quoteValue(value: string): string {
  if (!/^[^\s"\\#;]([^"\\#;\n]*[^\s"\\#;])?$/.test(value)) {
    return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
  }
  return value;
}

/**
 * The config HubShare's git directory may hold: what `git init` writes (format 0, not bare, the
 * filesystem probes) and HubShare's own keys — nothing else.
 */
export function ownConfigText(text: string): string {
  const probed = new Map<string, string>();
  for (const { section, key, value } of configEntries(text)) {
    if (section === 'core' && (PROBED_CORE_KEYS as readonly string[]).includes(key) && /^(true|false)$/i.test(value)) {
      probed.set(key, value.toLowerCase());
    }
  }
  const core = ['repositoryformatversion = 0', `filemode = ${probed.get('filemode') ?? 'true'}`, 'bare = false', 'logallrefupdates = true'];
  for (const key of PROBED_CORE_KEYS.slice(1)) {
    const value = probed.get(key);
    if (value !== undefined) {
      core.push(`${key} = ${value}`);
    }
  }
  const { project, url } = hubShareKeys(text);
  const own = [...(project ? [`project = ${quoteValue(project)}`] : []), ...(url ? [`url = ${quoteValue(url)}`] : [])];
  const lines = ['[core]', ...core.map(line => `\t${line}`)];
  if (own.length > 0) {
    lines.push('[hubshare]', ...own.map(line => `\t${line}`));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Makes a checkout's git directory safe to run git in, before every command:
 *
 * - Its `config` is rewritten from HubShare's own values. git has no switch to ignore a
 *   repository's config, and a config can run commands (`filter.*`, `core.fsmonitor`,
 *   `core.sshCommand`, `diff.*.textconv`…), redirect the token (`url.*.insteadOf`, `http.proxy`)
 *   or pull in other files (`include.path`); GIT_CONFIG_* only overrides keys one knows of. So
 *   whatever a tree, a tool or a person put there, git reads only the keys HubShare writes.
 * - A `.gitignore` holding `*` makes the folder invisible to the user's own git (`git status`,
 *   `git add -A`) without touching their `.git`. HubShare's own history never holds it: the
 *   checkout's excludes keep every `.hubshare` out.
 *
 * Nothing happens before `git init` made the directory. The config is written aside and renamed
 * over, and only when it differs, so a reader never sees half of one.
 */
export function sealGitDir(gitDir: string): void {
  const configPath = join(gitDir, 'config');
  if (!existsSync(configPath)) {
    return;
  }
  const text = readFileSync(configPath, 'utf8');
  const own = ownConfigText(text);
  if (own !== text) {
    const aside = join(gitDir, `config.hubshare-${process.pid}`);
    writeFileSync(aside, own, { mode: 0o600 });
    renameSync(aside, configPath);
  }
  const ignore = join(gitDir, '.gitignore');
  if (!existsSync(ignore)) {
    writeFileSync(ignore, '*\n');
  }
}
