// Maps torch-exported node names to Ultralytics/YOLOv5 modules. torch.onnx names nodes by module
// scope: `/model.22/cv2.0/cv2.0.0/conv/Conv` is the Conv inside `model.22.cv2.0.0.conv`. Each scope
// segment is the module's name relative to the nearest scope that called it; nested containers
// (ModuleList, Sequential) repeat the prefix (`cv2.0` then `cv2.0.0`), which is collapsed here.
import type { ModuleRef } from './types';

const TOP = /^model\.(\d+)$/;

export function ultralyticsModule(nodeName: string): ModuleRef | null {
  if (!nodeName.startsWith('/')) return null;
  const segs = nodeName.split('/').slice(1, -1); // drop the leading '' and the op's own name
  if (segs.length === 0) return null;
  const top = TOP.exec(segs[0]);
  if (!top) return null;
  const parts: string[] = [];
  let prev = '';
  for (const s of segs.slice(1)) {
    if (prev && s.startsWith(prev + '.')) {
      // `cv2.0.0` after `cv2.0`: the same container, one level deeper.
      parts[parts.length - 1] = s;
    } else parts.push(s);
    prev = s;
  }
  return { index: Number(top[1]), path: ['model', top[1], ...parts].join('.') };
}
