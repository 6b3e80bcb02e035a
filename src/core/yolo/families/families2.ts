// The families added for issue #19 part 2 (YOLOv9, YOLOv3u, YOLOv6, RT-DETR, YOLO-World v2), whose
// name table and resolver live in builtin-families2.ts, as one entry of the family registry.
import type { BuiltinFamily } from '../builtin';
import { families2Spec, listFamilies2 } from '../builtin-families2';

export const FAMILIES2: BuiltinFamily = {
  family: 'v9-v3u-v6-rtdetr-world',
  entries: () => listFamilies2().map((e) => ({ ...e })),
  resolve: (name) => families2Spec(name),
};
