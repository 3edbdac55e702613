import "@testing-library/jest-dom/vitest";
import { configure } from "@testing-library/react";

// Fluent's modal dialogs hide everything outside the active dialog (aria-hidden) based on where focus is,
// and jsdom's focus model races with menus and dialogs closing in ways browsers do not. Role queries here
// therefore include aria-hidden elements; what assistive technology really sees is checked in Chromium
// (test/e2e: role queries and axe-core), not in jsdom.
// Generous waits: CI machines are shared and slow; tests assert behaviour, not speed.
configure({ defaultHidden: true, asyncUtilTimeout: 5000 });

// jsdom has no layout: give the virtualised list's scroller a size so it renders rows.
for (const [prop, size] of [["clientHeight", 600], ["clientWidth", 400]] as const) {
  Object.defineProperty(HTMLElement.prototype, prop, {
    configurable: true,
    get(this: HTMLElement) {
      return this.dataset.virtualScroll ? size : 0;
    },
  });
}
Object.defineProperty(HTMLElement.prototype, "offsetHeight", {
  configurable: true,
  get(this: HTMLElement) {
    return this.dataset.virtualScroll ? 600 : 0;
  },
});
Object.defineProperty(HTMLElement.prototype, "offsetWidth", {
  configurable: true,
  get(this: HTMLElement) {
    return this.dataset.virtualScroll ? 400 : 0;
  },
});

// Fluent's positioning uses ResizeObserver, which jsdom lacks.
class NoopResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
(globalThis as unknown as { ResizeObserver: unknown }).ResizeObserver ??= NoopResizeObserver;
