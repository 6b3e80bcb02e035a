// One YOLO label file → its object count, following what Ultralytics' `verify_image_label` accepts:
// one object per non-empty line, `cls x y w h` (box), `cls x y w h k1x k1y [v1] ...` (pose) or
// `cls x1 y1 x2 y2 ...` (polygon, still ONE object). Bad lines are counted, not fatal; exact duplicate
// lines are dropped as Ultralytics drops duplicate rows (`np.unique(lb, axis=0)`).

export interface LabelLineIssue {
  line: number;
  reason: string;
}

export interface LabelFileResult {
  objects: number;
  /** Lines with exactly 5 values. */
  boxLines: number;
  /** Valid lines with more than 5 values (polygon or keypoints). */
  longLines: number;
  duplicates: number;
  /** Bad lines: all of them counted, the first few kept with a reason. */
  malformed: number;
  issues: LabelLineIssue[];
}

export interface LabelRules {
  /** Classes must be < nc when known (Ultralytics: "Label class exceeds dataset class count"). */
  nc: number | null;
  /** Pose: every line has exactly 5 + k·d values. */
  kptShape: [number, number] | null;
  /** Keep at most this many issue examples per file. */
  maxIssues?: number;
}

// Python's float() syntax for plain decimals (what `np.array(x, dtype=np.float32)` parses).
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Ultralytics asserts `lb.min() >= -0.01` and normalised points `<= 1`. */
const NEGATIVE_TOLERANCE = -0.01;

export function parseLabelText(text: string, rules: LabelRules): LabelFileResult {
  const maxIssues = rules.maxIssues ?? 3;
  const res: LabelFileResult = { objects: 0, boxLines: 0, longLines: 0, duplicates: 0, malformed: 0, issues: [] };
  const bad = (line: number, reason: string) => {
    res.malformed++;
    if (res.issues.length < maxIssues) res.issues.push({ line, reason });
  };
  const seen = new Set<string>();
  const expectLen = rules.kptShape ? 5 + rules.kptShape[0] * rules.kptShape[1] : null;
  let lineNo = 0;
  let start = 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    lineNo++;
    const raw = text.slice(start, end);
    start = end + 1;
    const tokens = raw.trim().split(/\s+/);
    if (tokens.length === 1 && tokens[0] === '') {
      if (end === n) break;
      continue;
    }
    const issue = checkLine(tokens, rules.nc, expectLen, rules.kptShape ? rules.kptShape[1] : null);
    if (issue) bad(lineNo, issue);
    else {
      const key = tokens.join(' ');
      if (seen.has(key)) res.duplicates++;
      else {
        seen.add(key);
        res.objects++;
        if (tokens.length === 5) res.boxLines++;
        else res.longLines++;
      }
    }
    if (end === n) break;
  }
  return res;
}

function checkLine(tokens: string[], nc: number | null, expectLen: number | null, kptDims: number | null): string | null {
  if (tokens.length < 5) return `${tokens.length} value${tokens.length === 1 ? '' : 's'}, need at least 5 (class x y w h)`;
  for (const t of tokens) if (!NUMBER.test(t)) return `not a number: '${t.length > 24 ? t.slice(0, 24) + '…' : t}'`;
  const cls = Number(tokens[0]);
  if (cls < 0) return `negative class ${tokens[0]}`;
  if (nc !== null && cls >= nc) return `class ${tokens[0]} ≥ nc ${nc}`;
  if (expectLen !== null) {
    if (tokens.length !== expectLen) return `${tokens.length} values, kpt_shape needs ${expectLen}`;
  } else if (tokens.length === 6) {
    // Neither a box (5) nor a polygon of ≥ 3 points (≥ 7): Ultralytics rejects "6 columns".
    return '6 values: a box has 5, a polygon at least 7';
  }
  for (let i = 1; i < tokens.length; i++) {
    const v = Number(tokens[i]);
    if (v < NEGATIVE_TOLERANCE) return `negative value ${tokens[i]}`;
    if (v > 1 && isCoordinate(i, kptDims)) return `coordinate ${tokens[i]} > 1 (not normalised)`;
  }
  return null;
}

/**
 * Whether value `i` of a line must be a normalised coordinate (≤ 1), as Ultralytics checks: the box
 * always; with kpt_shape, each keypoint's x and y but not its visibility (0/1/2). Without kpt_shape
 * a long line may be a polygon or keypoints, so only the box is checked.
 */
function isCoordinate(i: number, kptDims: number | null): boolean {
  if (i <= 4) return true;
  if (kptDims === null) return false;
  return (i - 5) % kptDims < 2;
}
