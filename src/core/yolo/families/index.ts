// Every family of built-in names, in precedence order (a name claimed twice goes to the first).
// To add a family: a new file in this folder exporting a BuiltinFamily, and one line below.

import type { BuiltinFamily } from '../builtin';
import { LEGACY_FAMILIES } from './legacy';
import { YOLO12_FAMILY } from './yolo12';
import { YOLO26_FAMILY } from './yolo26';
import { YOLOV10_FAMILY } from './yolov10';
import { YOLOV8_VARIANTS_FAMILY } from './yolov8-variants';
import { FAMILIES2 } from './families2';

export const ALL_FAMILIES: readonly BuiltinFamily[] = [...LEGACY_FAMILIES, YOLO26_FAMILY, YOLO12_FAMILY, YOLOV10_FAMILY, YOLOV8_VARIANTS_FAMILY, FAMILIES2];
