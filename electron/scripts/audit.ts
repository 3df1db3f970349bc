// Electronegativity (Doyensec's Electron security scanner) over the main process's sources and a
// fresh build of the renderer. The scanner reports findings but does not fail on them, so this reads its result
// and fails on any HIGH or MEDIUM finding. Reviewed exceptions are marked in the source with an
// `eng-disable <CHECK>` comment saying why. `npm run audit:electron`; npm test runs it too.
import { createRequire } from 'node:module';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Finding {
  id: string;
  severity: string;
  confidence: string;
  file: string;
  line: number;
  manualReview: boolean;
}

type Runner = (options: Record<string, unknown>) => Promise<{ issues: RawIssue[]; errors: { file: string; message: string; tolerable?: boolean }[] }>;
interface RawIssue {
  id: string;
  severity: { name: string };
  confidence: { name: string };
  file: string;
  location?: { line: number };
  manualReview?: boolean;
}

/**
 * What ships, as one tree: the main process's sources beside a fresh build of the renderer (the
 * scanner's global checks look for navigation and permission guards across all it is given).
 */
export async function shippedTree(): Promise<string> {
  const tree = mkdtempSync(join(tmpdir(), 'desk-audit-'));
  cpSync(join(root, 'electron'), join(tree, 'electron'), { recursive: true });
  const { build } = await import('vite');
  await build({ configFile: join(root, 'renderer', 'vite.config.ts'), logLevel: 'silent', build: { outDir: join(tree, 'renderer'), emptyOutDir: true } });
  return tree;
}

export async function audit(targets: string[]): Promise<{ findings: Finding[]; parseErrors: string[] }> {
  const run = createRequire(import.meta.url)('@doyensec/electronegativity/dist/runner.js') as Runner;
  const electronVersion = (createRequire(import.meta.url)('electron/package.json') as { version: string }).version;
  const findings: Finding[] = [];
  const parseErrors: string[] = [];
  const log = console.log;
  for (const input of targets) {
    console.log = () => undefined; // it chats about fetching translations and releases (offline here)
    let result: Awaited<ReturnType<Runner>>;
    try {
      result = await run({ input, electronVersionOverride: electronVersion, isRelative: false });
    } finally {
      console.log = log;
    }
    for (const e of result.errors) if (!e.tolerable) parseErrors.push(`${relative(root, e.file)}: ${e.message}`);
    for (const i of result.issues)
      findings.push({
        id: i.id,
        severity: i.severity.name,
        confidence: i.confidence.name,
        file: i.file === 'N/A' ? 'N/A' : relative(root, i.file),
        line: i.location?.line ?? 0,
        manualReview: Boolean(i.manualReview),
      });
  }
  return { findings, parseErrors };
}

export const blocking = (f: Finding) => f.severity === 'HIGH' || f.severity === 'MEDIUM';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { findings, parseErrors } = await audit([await shippedTree()]);
  for (const f of findings) console.log(`${f.severity.padEnd(13)} ${f.confidence.padEnd(9)} ${f.id} ${f.file}:${f.line}${f.manualReview ? ' (review)' : ''}`);
  for (const e of parseErrors) console.log(`PARSE ERROR ${e}`);
  const bad = findings.filter(blocking).length + parseErrors.length;
  console.log(bad === 0 ? `electronegativity: no HIGH or MEDIUM finding (${findings.length} lower)` : `electronegativity: ${bad} blocking finding(s)`);
  process.exit(bad === 0 ? 0 : 1);
}
