// Parses a human-written memory size ("24GiB", "24 GB", "24576MiB", "16G") into bytes.
// Units: SI suffixes (KB, MB, GB, TB) are powers of 1000; IEC suffixes (KiB, MiB, GiB, TiB) are
// powers of 1024. A bare letter (K, M, G, T) means the binary unit, because that is what
// nvidia-smi prints ("24576MiB") and what people mean by "a 16G card". Case is ignored.

const UNITS: Record<string, number> = {
  b: 1,
  k: 2 ** 10, kib: 2 ** 10, kb: 1e3,
  m: 2 ** 20, mib: 2 ** 20, mb: 1e6,
  g: 2 ** 30, gib: 2 ** 30, gb: 1e9,
  t: 2 ** 40, tib: 2 ** 40, tb: 1e12,
};

const SIZE_RE = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]+)\s*$/i;

/** Bytes in `text`; throws an Error with a one-line message when it is not a size with a unit. */
export function parseMemorySize(text: string): number {
  const m = SIZE_RE.exec(text);
  if (!m) {
    if (/^\s*\d+(?:\.\d+)?\s*$/.test(text)) {
      throw new Error(`memory size "${text.trim()}" has no unit: write e.g. "24GiB", "24GB" or "24576MiB"`);
    }
    throw new Error(`"${text.trim()}" is not a memory size: write e.g. "24GiB", "24GB" or "24576MiB"`);
  }
  const unit = UNITS[m[2].toLowerCase()];
  if (unit === undefined) {
    throw new Error(`unknown memory unit "${m[2]}" in "${text.trim()}": use B, KiB/MiB/GiB/TiB, KB/MB/GB/TB or K/M/G/T`);
  }
  const bytes = Math.round(Number(m[1]) * unit);
  if (!Number.isFinite(bytes) || bytes <= 0) throw new Error(`memory size "${text.trim()}" must be greater than zero`);
  return bytes;
}

/** Formats bytes the way nvidia-smi does when it has to: whole MiB. */
export function formatMiB(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MiB`;
}
