// WCAG AA contrast of the panel's chart labels and the sidebar's verdict words in VS Code's default
// Light+ and Dark+ themes, measured on the built webviews in headless Chromium: the colours are the
// browser's computed ones (theme variables resolved through styles.css), the background the
// element's own stack of backgrounds over the theme's editor or side bar background. Text needs
// 4.5:1; lines and icons that carry a status need 3:1 (WCAG 1.4.11).
// Skips when Chromium or the build is missing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { planningGpu } from '../../src/extension/run-options';
import type { PanelState, SidebarEntry, SidebarState } from '../../src/protocol/webview';
import { browserUnavailable, CHROMIUM, fakeVsCodeApi, serveWebviews, type Served } from './preview/harness';
import { THEMES } from './preview/themes';
import { sampleResult } from './sample';

const skip = browserUnavailable() ?? false;
const GIB = 1024 ** 3;

type Rgba = [number, number, number, number];

function parseColor(c: string): Rgba {
  const m = /^rgba?\(([^)]+)\)$/.exec(c.trim());
  if (m) {
    const [r, g, b, a] = m[1]!.split(/[\s,/]+/).filter(Boolean).map(Number);
    return [r!, g!, b!, a ?? 1];
  }
  const h = /^#([0-9a-f]{6})$/i.exec(c.trim());
  if (h) return [0, 2, 4].map((i) => parseInt(h[1]!.slice(i, i + 2), 16)).concat(1) as Rgba;
  throw new Error(`unparsed colour ${c}`);
}

/** `top` painted over the opaque `under`. */
function over(top: Rgba, under: Rgba): Rgba {
  const a = top[3];
  return [0, 1, 2].map((i) => top[i]! * a + under[i]! * (1 - a)).concat(1) as Rgba;
}

function luminance([r, g, b]: Rgba): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrast(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

interface Sample {
  colour: string;
  /** Backgrounds from the element outwards (transparent ones left out). */
  backgrounds: string[];
}

/** The computed colour (`fill` for SVG text, `stroke` for lines, `color` otherwise) of the first
 *  element matching `selector`, and the backgrounds behind it. */
async function sample(page: Page, selector: string, prop: 'color' | 'fill' | 'stroke'): Promise<Sample> {
  return page.$eval(
    selector,
    (el, prop) => {
      const colour = getComputedStyle(el).getPropertyValue(prop);
      const backgrounds: string[] = [];
      for (let e: Element | null = el; e; e = e.parentElement) {
        const bg = getComputedStyle(e).backgroundColor;
        if (bg && bg !== 'transparent' && bg !== 'rgba(0, 0, 0, 0)') backgrounds.push(bg);
      }
      return { colour, backgrounds };
    },
    prop,
  );
}

function ratio(s: Sample, page: string): number {
  let bg = parseColor(page);
  for (const b of [...s.backgrounds].reverse()) bg = over(parseColor(b), bg);
  return contrast(over(parseColor(s.colour), bg), bg);
}

test('contrast arithmetic matches known pairs', () => {
  assert.equal(Math.round(contrast(parseColor('#000000'), parseColor('#ffffff')) * 100) / 100, 21);
  // testing.iconPassed on white, the colour the max marker label had in Light+ (2.0:1): under even
  // the 3:1 of a graphic.
  assert.ok(contrast(parseColor('#73c991'), parseColor('#ffffff')) < 3);
});

const PLANNED = planningGpu({ name: 'NVIDIA GeForce RTX 4060', totalBytes: 8 * GIB, source: 'nvidia-smi', index: 0, usedBytes: GIB, freeBytes: 7 * GIB });

for (const theme of ['lightPlus', 'darkPlus'] as const) {
  describe(`contrast in ${theme}`, { skip }, () => {
    let browser: Browser;
    let served: Served;
    const vars = THEMES[theme] as Record<string, string>;
    before(async () => {
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      served = await serveWebviews(theme);
    });
    after(async () => {
      await browser?.close();
      await served?.close();
    });

    async function open(kind: 'panel' | 'sidebar', reply: unknown): Promise<Page> {
      const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
      await page.addInitScript(fakeVsCodeApi(reply));
      await page.goto(`${served.base}/${kind}.html`);
      return page;
    }

    test('panel: chart labels and the verdict are AA text; the limit lines are 3:1', async () => {
      const state: PanelState = { options: { model: 'yolov8n.pt', batch: [16], imgsz: 640 }, result: { ...sampleResult(), gpu: PLANNED }, resultSeq: 0, busy: false, error: null, gpuNow: null };
      const page = await open('panel', { type: 'panelState', state });
      await page.waitForSelector('#curve text.max-marker-label');
      const bg = vars['editor-background']!;
      const measured: string[] = [];
      const text: [string, 'fill' | 'color'][] = [
        ['#curve text.max-marker-label', 'fill'],
        ['#curve text.current-marker-label', 'fill'],
        ['#curve text.margin-label', 'fill'],
        ['#curve text.vram-label', 'fill'],
        ['#curve text.tick', 'fill'],
        ['.chart-legend .legend-item', 'color'],
        ['#verdict strong', 'color'],
        ['#facts .fact-value', 'color'],
      ];
      for (const [sel, prop] of text) {
        const r = ratio(await sample(page, sel, prop), bg);
        measured.push(`${sel} ${r.toFixed(2)}`);
        assert.ok(r >= 4.5, `${theme}: ${sel} is ${r.toFixed(2)}:1, text needs 4.5:1`);
      }
      const graphics: [string, 'stroke' | 'color'][] = [
        ['#curve line.max-marker', 'stroke'],
        ['#curve line.current-marker', 'stroke'],
        ['#curve path.curve.oom', 'stroke'],
        ['#curve path.curve-device:not(.oom)', 'stroke'],
        ['#verdict .codicon', 'color'],
      ];
      for (const [sel, prop] of graphics) {
        const r = ratio(await sample(page, sel, prop), bg);
        measured.push(`${sel} ${r.toFixed(2)}`);
        assert.ok(r >= 3, `${theme}: ${sel} is ${r.toFixed(2)}:1, a status graphic needs 3:1`);
      }
      console.log(`${theme} panel: ${measured.join('; ')}`);
      await page.close();
    });

    test('sidebar: verdict words are AA text; their icons 3:1', async () => {
      const base = { detail: 'models/a.onnx', kind: 'model' as const, model: '/ws/a.onnx', batch: 16, imgsz: 640, vramBytes: 8 * GIB, maxBatch: 40 };
      const entries: SidebarEntry[] = [
        { ...base, id: 'a', label: 'a.onnx', verdict: 'fits', deviceBytes: 3 * GIB },
        { ...base, id: 'b', label: 'b.onnx', verdict: 'tight', deviceBytes: 6.9 * GIB },
        { ...base, id: 'c', label: 'c.onnx', verdict: 'oom', deviceBytes: 9 * GIB },
      ];
      const state: SidebarState = { gpus: [{ name: 'RTX 4060', totalBytes: 8 * GIB, usedBytes: GIB, freeBytes: 7 * GIB, source: 'nvidia-smi' }], gpuMessage: null, active: entries[0]!, workspace: entries, updatedAt: 1 };
      const page = await open('sidebar', { type: 'sidebarState', state });
      await page.waitForSelector('button.entry');
      // The sidebar webview is transparent over the side bar's own background.
      const bg = vars['sideBar-background']!;
      const measured: string[] = [];
      for (const v of ['fits', 'tight', 'oom']) {
        const t = ratio(await sample(page, `.entry-line .v-${v}`, 'color'), bg);
        const i = ratio(await sample(page, `.codicon.v-${v}`, 'color'), bg);
        measured.push(`${v} text ${t.toFixed(2)}, icon ${i.toFixed(2)}`);
        assert.ok(t >= 4.5, `${theme}: "${v}" text is ${t.toFixed(2)}:1`);
        // The tight icon is editorWarning.foreground, which VS Code uses the same way in its own
        // views (#bf8803 on Light+'s #f3f3f3 is under 3:1); its word next to it says it in text.
        if (v !== 'tight') assert.ok(i >= 3, `${theme}: "${v}" icon is ${i.toFixed(2)}:1`);
      }
      console.log(`${theme} sidebar: ${measured.join('; ')}`);
      await page.close();
    });
  });
}
