// Which files are images, and where an image's label file is: Ultralytics' own rules
// (`ultralytics/data/utils.py`: IMG_FORMATS, img2label_paths).

import { isAbsolute, resolve, sep } from 'node:path';

/** Ultralytics 8.3.x `IMG_FORMATS`: the extensions `get_img_files` keeps. */
export const IMG_FORMATS: ReadonlySet<string> = new Set(['bmp', 'dng', 'jpeg', 'jpg', 'mpo', 'png', 'tif', 'tiff', 'webp', 'pfm', 'heic']);

/** `x.rpartition(".")[-1].lower() in IMG_FORMATS`: the text after the last dot of the path. */
export function isImagePath(p: string): boolean {
  const dot = p.lastIndexOf('.');
  if (dot < 0) return false;
  return IMG_FORMATS.has(p.slice(dot + 1).toLowerCase());
}

/**
 * `img2label_paths`: replace the LAST `/images/` segment by `/labels/`, then the extension by `.txt`
 * (`sb.join(x.rsplit(sa, 1)).rsplit(".", 1)[0] + ".txt"`). With no `/images/` segment the label file
 * sits beside the image.
 */
export function img2labelPath(img: string, separator: string = sep): string {
  const sa = `${separator}images${separator}`;
  const i = img.lastIndexOf(sa);
  const swapped = i < 0 ? img : `${img.slice(0, i)}${separator}labels${separator}${img.slice(i + sa.length)}`;
  const dot = swapped.lastIndexOf('.');
  return (dot < 0 ? swapped : swapped.slice(0, dot)) + '.txt';
}

/** The labels folder that mirrors an images folder (for the cache key's mtime), or null. */
export function labelsDirOf(imagesDir: string, separator: string = sep): string | null {
  const withSep = imagesDir.endsWith(separator) ? imagesDir : imagesDir + separator;
  const sa = `${separator}images${separator}`;
  const i = withSep.lastIndexOf(sa);
  if (i < 0) return null;
  return `${withSep.slice(0, i)}${separator}labels${separator}${withSep.slice(i + sa.length)}`.replace(/[\\/]+$/, '') || null;
}

/** The dataset YAML a `data=` value names: absolute as is, else against the training process's
 *  cwd. One rule for the reader, the worker's cache key and the extension's file watchers. */
export function datasetYamlPath(data: string, cwd: string = process.cwd()): string {
  return isAbsolute(data) ? data : resolve(cwd, data);
}
