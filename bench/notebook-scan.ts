// Scanning a 3 MB notebook for training launches (issue #14): the notebook reader (JSON spans,
// cells joined, `!` lines as shell, the Python parse) on a Colab-shaped notebook whose size is
// mostly cell outputs (base64 PNGs, logs), as real training notebooks are. Goal: < 50 ms warm.
import { initPythonParser } from '../src/core/scripts/python-parser';
import { scanScript } from '../src/core/scripts/scan';
import { time } from './timing';

/** A training notebook of about `bytes`: code cells with launches and noise, outputs carrying images. */
export function syntheticNotebook(bytes: number): string {
  const cells: unknown[] = [];
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAoAAAAHgCAYAAAA10dzkAAAAOXRFWHRTb2Z0d2FyZQBNYXRwbG90bGliIHZlcnNpb24'.repeat(1100); // ≈ 100 kB
  for (let i = 0; JSON.stringify({ cells }).length < bytes; i++) {
    cells.push({ cell_type: 'markdown', metadata: {}, source: [`## Step ${i}\n`, 'Train, look at the curves, adjust.\n'] });
    cells.push({
      cell_type: 'code',
      execution_count: i,
      metadata: {},
      source: [
        `%cd /content/run${i}\n`,
        `!yolo task=detect mode=train model=yolov8s.pt data=/content/data${i}/data.yaml epochs=25 imgsz=640 batch=${8 + (i % 8)} \\\n`,
        '    plots=True device=0\n',
        'from ultralytics import YOLO\n',
        `model_${i} = YOLO("yolo11n.pt")\n`,
        `results_${i} = model_${i}.train(data="coco8.yaml", epochs=3, imgsz=640, batch=16)\n`,
        `print(results_${i})\n`,
      ],
      outputs: [
        { output_type: 'stream', name: 'stdout', text: Array.from({ length: 40 }, (_, k) => `      ${k + 1}/25      2.1G      1.234      2.345      1.111         45        640: 100% 8/8 [00:02<00:00,  3.1it/s]\n`) },
        { output_type: 'display_data', metadata: {}, data: { 'image/png': png, 'text/plain': ['<Figure size 640x480 with 1 Axes>'] } },
      ],
    });
  }
  return JSON.stringify({ cells, metadata: { kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' } }, nbformat: 4, nbformat_minor: 0 }, null, 1);
}

export async function benchNotebookScan(runs: number): Promise<void> {
  await initPythonParser();
  const text = syntheticNotebook(3 * 1024 * 1024);
  const scan = scanScript(text, 'notebook');
  const ms = time(() => scanScript(text, 'notebook'), runs);
  console.log(`\nnotebook scan: ${(text.length / 2 ** 20).toFixed(2)} MiB .ipynb, ${scan.runs.length} runs found: ${ms.toFixed(1)} ms (median of ${runs}, warm; goal < 50 ms)`);
}

if (process.argv[1]?.endsWith('notebook-scan.ts')) void benchNotebookScan(Number(process.env.BENCH_RUNS ?? 30));
