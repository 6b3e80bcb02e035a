// `yolo-mem models`: every built-in model name, grouped by family and then task, each row listing
// the scales that exist. Built on listBuiltins(), so a family added there is listed without changes.
import { listBuiltins, type BuiltinEntry } from '../core/yolo/builtin';

/** The listing as text: one block per family, one line per task with its names. */
export function formatModels(entries: BuiltinEntry[] = listBuiltins()): string {
  const families = new Map<string, Map<string, string[]>>();
  for (const e of entries) {
    const tasks = families.get(e.family) ?? new Map<string, string[]>();
    families.set(e.family, tasks);
    const names = tasks.get(e.task) ?? [];
    tasks.set(e.task, names);
    names.push(e.name);
  }
  const width = Math.max(...entries.map((e) => e.task.length), 4);
  const out: string[] = [`${entries.length} built-in models in ${families.size} families (append .pt or .yaml to any name):`];
  for (const [family, tasks] of families) {
    out.push('', family);
    for (const [task, names] of tasks) out.push(`  ${task.padEnd(width)}  ${names.join(' ')}`);
  }
  return out.join('\n') + '\n';
}

/** `yolo-mem models [--json]`: 0, or 2 for an unknown option. */
export function runModels(args: string[], io: { stdout: (s: string) => void; stderr: (s: string) => void }): number {
  const bad = args.find((a) => a !== '--json');
  if (bad !== undefined) {
    io.stderr(`yolo-mem: models: unknown option ${bad}\nusage: yolo-mem models [--json]\n`);
    return 2;
  }
  io.stdout(args.includes('--json') ? JSON.stringify(listBuiltins()) + '\n' : formatModels());
  return 0;
}
