// The only module that imports @vscode/webview-ui-toolkit (deprecated upstream): replacing the
// toolkit later touches this file and the tag names in the views. Registers just the components
// the views use, so the bundles stay small (the package is side-effect free and tree-shakes).
// Not vscode-badge: its template binds a `style` attribute, which the strict CSP (no
// 'unsafe-inline' styles) reports as a violation; the views draw badges with a CSS class instead.
// Not vscode-progress-ring either: the header's busy indicator is a spinning codicon.

import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDivider,
  vsCodeDropdown,
  vsCodeOption,
  vsCodePanels,
  vsCodePanelTab,
  vsCodePanelView,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

/** Components of the analysis panel. */
export function registerPanelComponents(): void {
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeCheckbox(),
    vsCodeDivider(),
    vsCodeDropdown(),
    vsCodeOption(),
    vsCodePanels(),
    vsCodePanelTab(),
    vsCodePanelView(),
    vsCodeTextField(),
  );
}

/** The sidebar needs only buttons; a separate function lets the bundler drop the rest. */
export function registerSidebarComponents(): void {
  provideVSCodeDesignSystem().register(vsCodeButton());
}

/** The toolkit's text field overwrites its own `aria-label` when it connects (with its text
 *  content — the unit slot's "px" — or "Text field"), and that is the name its inner input gets.
 *  The views write the intended name as `data-aria-label`; this puts it back after the elements
 *  connected, so screen readers hear "Batch", not "Text field". */
export function applyAccessibleNames(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-aria-label]')) el.setAttribute('aria-label', el.dataset.ariaLabel ?? '');
}

/** The value-bearing toolkit elements, typed loosely (their classes live in the toolkit). */
export interface ValueElement extends HTMLElement {
  value: string;
}
export interface CheckedElement extends HTMLElement {
  checked: boolean;
}
