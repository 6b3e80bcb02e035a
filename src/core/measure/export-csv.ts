// One measurement as a row of the calibration set's CSV (test/data/public-runs/, issue #21), so a
// measured run can join the public rows. gpu_mem_epoch1 / gpu_mem_max hold what Ultralytics' GPU_mem
// column would have printed: torch.cuda.memory_reserved, in GiB (Ultralytics >= 8.3.86 prints GiB),
// first step and the largest of all phases. gpu_memory is the card's total in GiB.
import type { BatchMeasurement, ProbeSettings } from './run-probe';

export const CALIBRATION_CSV_HEADER =
  'id,source_url,source_group,kind,ultralytics_version,torch_version,cuda_version,gpu_name,gpu_memory,model,task,imgsz,batch,amp,workers,cache,rect,dataset,objects_per_image,gpu_mem_epoch1,gpu_mem_max,gpu_mem_unit,outcome,oom_phase,notes';

const GIB = 2 ** 30;

function cell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function taskOf(model: string): string {
  const m = /-(seg|pose|obb|cls)\b/i.exec(model);
  return m ? { seg: 'segment', pose: 'pose', obb: 'obb', cls: 'classify' }[m[1].toLowerCase() as 'seg'] : 'detect';
}

/** Maps the probe's phase to the CSV's oom_phase vocabulary (first step, later epoch, validation). */
const OOM_PHASE: Record<string, string> = { setup: 'first_step', first_step: 'first_step', steady: 'later_step', validation: 'validation' };

export function measurementCsvRow(m: BatchMeasurement, s: ProbeSettings, id: string): string {
  if (m.outcome !== 'fits' && m.outcome !== 'oom') throw new Error(`only a finished measurement can be exported (this one: ${m.outcome})`);
  const reserved = (['first_step', 'steady', 'validation'] as const).map((p) => m.phases[p]?.reservedBytes).filter((b): b is number => b !== undefined);
  const gib = (b: number | undefined) => (b === undefined ? '' : (b / GIB).toFixed(3));
  const first = m.phases.first_step?.reservedBytes;
  const cpu = m.device?.type !== 'cuda';
  const row = [
    id,
    '',
    'local-measure',
    'measured',
    m.versions?.ultralytics,
    m.versions?.torch,
    m.versions?.cuda ?? '',
    m.device?.name,
    m.device?.totalBytes !== undefined ? (m.device.totalBytes / GIB).toFixed(1) : '',
    s.model,
    taskOf(s.model),
    s.imgsz,
    m.batch,
    s.amp,
    0,
    false,
    false,
    s.data ?? 'synthetic',
    s.data ? '' : s.objectsPerImage ?? 8,
    gib(first),
    reserved.length ? gib(Math.max(...reserved)) : '',
    'GiB',
    m.outcome === 'fits' ? 'ok' : 'oom',
    m.outcome === 'oom' ? OOM_PHASE[m.oomPhase ?? 'setup'] ?? m.oomPhase : '',
    cpu ? 'yolo-mem measure on CPU: no GPU figures' : `yolo-mem measure, driver ${m.device?.driver ?? 'unknown'}; reserved per phase (first step, steady, validation)`,
  ];
  return row.map(cell).join(',');
}
