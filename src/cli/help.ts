// The CLI's help texts: one for the program (its commands) and one per command, with every option
// explained. `yolo-mem --help`, `yolo-mem help <command>` and `yolo-mem <command> --help` print them.

export const PROGRAM_HELP = `usage: yolo-mem <command> [options]

Estimates how much GPU memory an Ultralytics YOLO training run will take, before you launch it.

commands:
  estimate <model>   training memory of a model: per layer, per term, which batch sizes fit the GPU
  models             every built-in model name, by family and task

\`yolo-mem <command> --help\` explains a command's options.

exit codes: 0 ok, 1 the model could not be analysed (one line on stderr), 2 bad usage`;

export const ESTIMATE_HELP = `usage: yolo-mem estimate <model> [--imgsz N] [--batch N[,N...]] [--amp | --no-amp]
                          [--optimizer sgd|adam|adamw|auto] [--gpu-memory SIZE | --gpu NAME] [--gpus N]
                          [--json] [--margin F] [--objects-per-image N] [--prune R] [--layers]
                          [--data DATA.yaml] [--workers N] [--cache ram|disk|false]

Training memory of one model: weights, gradients, optimizer state, EMA, activations saved for
backward, loss and label assigner, workspaces, the CUDA caching allocator and the CUDA context,
against the GPU; and the largest batch that fits.

  <model>                a .onnx export, a model .yaml, or a built-in name (yolov8n, yolov8n.pt,
                         yolo11s-seg, yolov5su, ...; \`yolo-mem models\` lists them). A .pt name means
                         that released model's architecture; no weights are read.
  --imgsz N              training image size (default 640, or the export's own size). Rounded up to a
                         multiple of the model's largest stride (32; 64 for P6 models) with a note, as
                         Ultralytics does.
  --batch N[,N...]       batch size(s) to estimate (default 16); the first one is the headline. With
                         --gpus, the total over all GPUs, as Ultralytics' batch= is.
  --amp, --no-amp        mixed precision on or off (default: on, unless Ultralytics' own check would
                         turn it off for the named GPU).
  --optimizer NAME       sgd, adam, adamw or auto (default auto: Ultralytics' choice from the dataset
                         size and epochs; when those are unknown, the larger of its two choices).
  --gpu-memory SIZE      plan for a GPU of this size (24GiB, 16GB, 12288MiB) instead of asking
                         nvidia-smi.
  --gpu NAME             plan for a known GPU model by its nvidia-smi name or a short one ("NVIDIA
                         GeForce RTX 3060", "GeForce RTX 3060 12GB", "RTX 4090", a100-80gb, t4, h100):
                         its memory, its CUDA context (it grows with the SM count) and its AMP rule.
                         Give --gpu-memory or --gpu, not both; with neither, nvidia-smi is asked.
  --gpus N               GPUs of data-parallel (DDP) training; each holds batch / N images.
  --margin F             fraction of the GPU kept free when judging "fits" (default 0.1).
  --objects-per-image N  boxes per image the label assigner sizes its tensors for (default: from
                         --data, else 8). Not used by classifiers.
  --prune R              channel-pruning ratio to model, 0 to 0.9 (default 0).
  --data DATA.yaml       the dataset: boxes per image for the assigner, and the host RAM that
                         --cache ram, the loader workers and pinned batches take.
  --workers N            data-loader workers, for the host-RAM estimate (default 8, as Ultralytics).
  --cache MODE           ram, disk or false: Ultralytics' cache= (ram adds the decoded images to
                         host RAM).
  --layers               print every layer in the per-module table, not only the largest.
  --json                 print the whole result as JSON (all sizes in integer bytes).
  -h, --help             this text.

exit codes: 0 ok, 1 the model could not be analysed (one line on stderr), 2 bad usage`;

export const MODELS_HELP = `usage: yolo-mem models [--json]

Lists every built-in model name the estimator knows without a file, grouped by family and task,
with its scales (n, s, m, l, x, ...). A name also works with .pt or .yaml appended.

  --json       print the list as JSON: [{ "name", "family", "task", "scale" }, ...]
  -h, --help   this text.`;

/** Help text of a command, or null for a command that has none. */
export function commandHelp(command: string): string | null {
  if (command === 'estimate') return ESTIMATE_HELP;
  if (command === 'models') return MODELS_HELP;
  return null;
}

/** Whether argv asks for help (`--help` / `-h` anywhere, or `help [command]` first). */
export function wantsHelp(argv: string[]): boolean {
  return argv[0] === 'help' || argv.includes('--help') || argv.includes('-h');
}
