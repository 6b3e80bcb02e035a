// The only module that imports @vscode/webview-ui-toolkit (deprecated upstream): replacing the
// toolkit later touches this file and the tag names in the views. Registers just the components
// the views use, so the bundles stay small (the package is side-effect free and tree-shakes).
// Not vscode-badge: its template binds a `style` attribute, which the strict CSP (no
// 'unsafe-inline' styles) reports as a violation; the views draw badges with a CSS class instead.

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
  vsCodeProgressRing,
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
    vsCodeProgressRing(),
    vsCodeTextField(),
  );
}

/** The sidebar needs only buttons; a separate function lets the bundler drop the rest. */
export function registerSidebarComponents(): void {
  provideVSCodeDesignSystem().register(vsCodeButton());
}

/** The value-bearing toolkit elements, typed loosely (their classes live in the toolkit). */
export interface ValueElement extends HTMLElement {
  value: string;
}
export interface CheckedElement extends HTMLElement {
  checked: boolean;
}
