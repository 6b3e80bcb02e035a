// Small, reusable moves in the VS Code workbench for the e2e tests: open a file, wait for the
// extension, run a palette command, hover a word, find a webview by its content. Each waits on
// something visible in the DOM, never on a timer. Selectors follow /work/shared/E2E-RECIPE.md.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { repoRoot } from './harness';

interface Manifest {
  name: string;
  publisher: string;
  contributes?: {
    commands?: { command: string; title: string; category?: string }[];
    viewsContainers?: Record<string, { id: string; title: string }[]>;
  };
}

/** The manifest is the one source of command titles and ids; tests read them from it. */
export function manifest(): Manifest {
  return JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
}

export function extensionId(): string {
  const m = manifest();
  return `${m.publisher}.${m.name}`;
}

/** The palette label of a contributed command ("Category: Title"), found by its title. */
export function commandLabel(title: RegExp): string {
  const cmd = manifest().contributes?.commands?.find((c) => title.test(c.title));
  if (!cmd) throw new Error(`package.json contributes no command whose title matches ${title}`);
  return cmd.category ? `${cmd.category}: ${cmd.title}` : cmd.title;
}

/** Opens a workspace file through Quick Open and waits until its editor is focused. */
export async function openFile(page: Page, name: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  // Ctrl+P is sometimes swallowed while a hover or another widget holds the focus (a fresh-clone run
  // saw the quick input stay hidden): close what is open and press it again, three times at most.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+P');
    try {
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      break;
    } catch (e) {
      if (attempt >= 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`.tab.active[aria-label^="${name}"]`).waitFor();
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
}

/**
 * Waits until the extension has activated, signalled by any status-bar item it creates in
 * `activate()`: VS Code gives those items the DOM id "<extension id>.<item id>".
 * Without this wait, hovers raced provider registration in 3 of 10 recipe trials.
 */
export async function waitForActivation(page: Page, timeoutMs = 60_000): Promise<Locator> {
  const item = page.locator(`.part.statusbar [id^="${extensionId()}."]`).first();
  await item.waitFor({ state: 'attached', timeout: timeoutMs });
  return item;
}

/** Every status-bar entry of our extension, with its text. */
export async function statusItems(page: Page): Promise<{ id: string; text: string }[]> {
  return page.locator(`.part.statusbar [id^="${extensionId()}."]`).evaluateAll((els) =>
    els.map((e) => ({ id: e.id, text: (e.textContent ?? '').trim() })),
  );
}

/** Opens the command palette filtered by `label` and returns the matching rows' texts. */
export async function paletteRows(page: Page, label: string): Promise<string[]> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${label}`);
  const rows = page.locator('.quick-input-list .monaco-list-row');
  await rows.filter({ hasText: label }).first().waitFor({ timeout: 15_000 }).catch(() => undefined);
  return rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
}

export async function closeQuickInput(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Runs a palette command by its exact label. */
export async function runCommand(page: Page, label: string): Promise<void> {
  const rows = await paletteRows(page, label);
  if (!rows.some((r) => r.includes(label))) {
    await closeQuickInput(page);
    throw new Error(`command "${label}" is not in the palette (saw: ${rows.slice(0, 5).join(' | ') || 'nothing'})`);
  }
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click();
  // Done when the palette is gone, or when the command opened a quick pick of its own in the
  // same widget (its input no longer holds the ">command" text).
  await page.waitForFunction(() => {
    const w = document.querySelector<HTMLElement>('.quick-input-widget');
    const input = w?.querySelector<HTMLInputElement>('input');
    return !w || w.style.display === 'none' || !w.offsetParent || (input !== null && input !== undefined && !input.value.startsWith('>'));
  });
}

/** Centre of `word` in the first visible editor line containing `lineText`, or null. */
async function wordBox(page: Page, lineText: string, word: string): Promise<{ x: number; y: number } | null> {
  return page.evaluate(
    ([lineText, word]) => {
      for (const line of Array.from(document.querySelectorAll('.editor-instance .view-line'))) {
        // Monaco renders spaces as U+00A0.
        const text = (line.textContent ?? '').replace(/\u00a0/g, ' ');
        if (!text.includes(lineText)) continue;
        const wordAt = text.indexOf(word, text.indexOf(lineText));
        if (wordAt < 0) continue;
        // Monaco merges same-coloured tokens into one span, so measure a Range over the characters.
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        let offset = 0;
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const len = n.textContent!.length;
          if (wordAt >= offset && wordAt < offset + len) {
            const range = document.createRange();
            const start = wordAt - offset;
            range.setStart(n, start);
            range.setEnd(n, Math.min(len, start + word.length));
            const r = range.getBoundingClientRect();
            return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
          }
          offset += len;
        }
      }
      return null;
    },
    [lineText, word] as const,
  );
}

async function requireWordBox(page: Page, lineText: string, word: string): Promise<{ x: number; y: number }> {
  const box = await wordBox(page, lineText, word);
  if (!box) throw new Error(`"${word}" on a line containing "${lineText}" is not visible in the editor`);
  return box;
}

/**
 * Hovers `word` in the first editor line that contains `lineText` and returns the hover widget.
 * The mouse approaches in steps: a jump straight onto the word sometimes shows no hover.
 */
export async function hoverWord(page: Page, lineText: string, word: string, timeoutMs = 30_000): Promise<Locator> {
  const box = await requireWordBox(page, lineText, word);
  await page.mouse.move(box.x - 40, box.y + 40);
  await page.mouse.move(box.x, box.y, { steps: 8 });
  const hover = page.locator('.monaco-hover-content').filter({ hasText: /\S/ }).last();
  await hover.waitFor({ state: 'visible', timeout: timeoutMs });
  return hover;
}

/**
 * Hovers until the card's text matches `pattern`. A hover computed while the estimate is still
 * running shows a pending card; moving away and back asks the provider again.
 */
export async function hoverUntil(page: Page, lineText: string, word: string, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    // No hover at all (provider not answering yet) counts as another try, not a failure.
    const hover = await hoverWord(page, lineText, word, 10_000).catch(() => undefined);
    last = hover ? await hover.innerText() : '(no hover)';
    if (pattern.test(last)) return last;
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
    await hover?.waitFor({ state: 'hidden' }).catch(() => undefined);
  }
  throw new Error(`the hover over "${word}" never matched ${pattern}; last text:\n${last}`);
}

/** Selects `word` in the first editor line containing `lineText` (a double-click, as a user would),
 *  so that typing replaces it. */
export async function selectWord(page: Page, lineText: string, word: string): Promise<void> {
  const box = await requireWordBox(page, lineText, word);
  await page.mouse.dblclick(box.x, box.y);
  // The status bar's cursor item says "(N selected)" once the selection exists.
  await page.locator('.part.statusbar [id="status.editor.selection"]', { hasText: `(${word.length} selected)` }).waitFor({ timeout: 10_000 });
}

/** Puts the cursor on `word`, opens the quick-fix menu and applies the action titled `title`. */
export async function applyQuickFix(page: Page, lineText: string, word: string, title: string | RegExp): Promise<void> {
  const box = await requireWordBox(page, lineText, word);
  await page.mouse.click(box.x, box.y);
  await page.keyboard.press('Control+.');
  const rows = page.locator('.action-widget .monaco-list-row.action');
  const item = rows.filter({ hasText: title }).first();
  // The menu's rows never count as "stable" to Playwright (they animate in), so choose with the
  // keyboard, as a user would: move the focus to the row, then Enter.
  await item.waitFor({ state: 'attached' });
  const n = await rows.count();
  for (let i = 0; i <= n && !(await item.evaluate((e) => e.classList.contains('focused'))); i++) await page.keyboard.press('ArrowDown');
  if (!(await item.evaluate((e) => e.classList.contains('focused')))) throw new Error(`could not focus the quick fix "${title}"`);
  await page.keyboard.press('Enter');
  await page.locator('.action-widget').waitFor({ state: 'hidden' });
}

/** The text of the first editor line containing `lineText` (spaces normalised). */
export async function editorLine(page: Page, lineText: string): Promise<string | undefined> {
  const lines = await page.locator('.editor-instance .view-line').allTextContents();
  return lines.map((l) => l.replace(/\u00a0/g, ' ')).find((l) => l.includes(lineText));
}

/**
 * The inner document of the webview whose content matches `selector` (optionally with text).
 * Webviews are two iframes deep (outer `iframe.webview.ready`, inner `#active-frame`); with more
 * than one open, the right one is chosen by its content, never by position.
 */
export async function webviewFrame(page: Page, selector: string, opts: { hasText?: string | RegExp; timeoutMs?: number } = {}): Promise<FrameLocator> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  const outer = page.locator('iframe.webview.ready');
  for (;;) {
    const n = await outer.count();
    for (let i = 0; i < n; i++) {
      const inner = outer.nth(i).contentFrame().locator('iframe#active-frame').contentFrame();
      const hit = inner.locator(selector, opts.hasText ? { hasText: opts.hasText } : {});
      if ((await hit.count().catch(() => 0)) > 0) return inner;
    }
    if (Date.now() > deadline) throw new Error(`no webview shows ${selector}${opts.hasText ? ` with text ${opts.hasText}` : ''}`);
    // Poll the DOM: webview frames appear and load asynchronously and Playwright cannot wait
    // on "any of N frames" directly.
    await page.waitForTimeout(250);
  }
}

/** Clicks an activity-bar container by the start of its title. */
export async function openViewContainer(page: Page, title: string): Promise<void> {
  const item = page.locator(`.part.activitybar .action-item a[aria-label^="${title}"]`).first();
  await item.click();
}

/** Notification toasts currently shown, as text. */
export async function notifications(page: Page): Promise<string[]> {
  return page.locator('.notification-toast .notification-list-item-message').allInnerTexts();
}
