import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Files never ingested when found by walking a folder (stores, VCS, dependencies). */
export function isIgnoredPath(path: string): boolean {
  return (
    /(^|[\\/])(node_modules|\.git)([\\/]|$)/.test(path) ||
    /\.(db|db-wal|db-shm|db-journal|sqlite|sqlite-wal|sqlite-shm)$/i.test(path)
  );
}

export interface WalkedFile {
  path: string;
  /** Named on the command line (not found by walking a folder). */
  explicit: boolean;
}

export interface WalkResult {
  files: WalkedFile[];
  missing: { path: string; message: string }[];
}

async function walkDir(dir: string, out: WalkedFile[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (isIgnoredPath(p)) continue;
    if (e.isDirectory()) await walkDir(p, out);
    else if (e.isFile()) out.push({ path: p, explicit: false });
    else if (e.isSymbolicLink()) {
      // Linked files are followed; linked folders are not (no cycles).
      const target = await stat(p).catch(() => undefined);
      if (target?.isFile()) out.push({ path: p, explicit: false });
    }
  }
}

/** Expands files and folders (recursively, skipping dotfiles) into absolute file paths. */
export async function walkPaths(paths: readonly string[]): Promise<WalkResult> {
  const files: WalkedFile[] = [];
  const missing: WalkResult['missing'] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    const abs = resolve(p);
    try {
      const st = await stat(abs);
      const found: WalkedFile[] = [];
      if (st.isDirectory()) await walkDir(abs, found);
      else found.push({ path: abs, explicit: true });
      for (const f of found) {
        if (seen.has(f.path)) continue;
        seen.add(f.path);
        files.push(f);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      missing.push({
        path: abs,
        message: code === 'ENOENT' ? 'no such file or directory' : String(error),
      });
    }
  }
  return { files, missing };
}
