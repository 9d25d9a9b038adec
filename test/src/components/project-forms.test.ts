// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { folderFromUrl, suggestProjectName } from '../../../src/components/project-forms';

vi.mock('@jupyterlab/ui-components', () => import('./ui-components-stub'));

describe('names suggested by the dialogs', () => {
  it('turns a folder into a project name the service accepts', () => {
    expect(suggestProjectName('work/Field Notes 2026')).toBe('field-notes-2026');
    expect(suggestProjectName('_drafts.')).toBe('drafts');
    expect(suggestProjectName('data.git')).toBe('data');
    expect(suggestProjectName('')).toBe('');
  });

  it('takes the folder of a clone from the repository name', () => {
    expect(folderFromUrl('https://example.org/org/survey-tools.git')).toBe('survey-tools');
    expect(folderFromUrl('https://example.org/org/survey-tools/')).toBe('survey-tools');
  });
});
