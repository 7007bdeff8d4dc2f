import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/detect/loader.js';

// A worktree's `node_modules` is often a symlink; a committed symlink replaces the real node_modules of
// every checkout it is merged into (git treats ignored files as expendable). Keep generated paths untracked.
describe('repository hygiene', () => {
  it('node_modules, dist and .shadowscan are not tracked by git (as files, directories or symlinks)', () => {
    const r = spawnSync('git', ['ls-files', '--', 'node_modules', 'dist', '.shadowscan'], { cwd: projectRoot(), encoding: 'utf8' });
    if (r.status !== 0) {
      console.warn('skipped: not a git checkout');
      return;
    }
    expect(r.stdout.trim(), 'untrack with: git rm --cached -r node_modules (the .gitignore entry has no trailing slash so symlinks are ignored too)').toBe('');
  });
});
