// Validates notebooks with the real nbformat package (the project's .venv), as Jupyter would read
// them: the schema of their own nbformat_minor, and warnings (a 4.5 cell without an id) as errors.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const PYTHON = join(__dirname, '..', '..', '..', '..', '.venv', 'bin', 'python');

const VALIDATE = `
import json, sys, warnings
import nbformat
warnings.simplefilter("error")
for index, text in enumerate(json.load(sys.stdin)):
    notebook = json.loads(text)
    try:
        nbformat.validate(notebook, version=notebook["nbformat"], version_minor=notebook["nbformat_minor"])
    except Exception as error:
        sys.exit(f"notebook {index}: {type(error).__name__}: {error}")
`;

/** Throws, naming the notebook and the rule, unless every text is a valid notebook of its version. */
export function validateNotebooks(texts: readonly string[]): void {
  if (!existsSync(PYTHON)) {
    throw new Error(`${PYTHON} is missing: run bash scripts/ensure-venv.sh`);
  }
  execFileSync(PYTHON, ['-c', VALIDATE], { input: JSON.stringify(texts), stdio: ['pipe', 'inherit', 'pipe'] });
}
