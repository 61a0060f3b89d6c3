/**
 * Keeps keyboard focus inside an open drawer (or any modal panel): Tab from its last focusable
 * element goes to its first, Shift+Tab from the first to the last. The panel holds web components
 * with their own shadow roots, so focusable elements and the focused one are found through them.
 */

/** The focusable elements inside `root`, in document order, through shadow roots; hidden and disabled ones left out. */
export function focusableWithin(root: Element | ShadowRoot): HTMLElement[] {
  const found: HTMLElement[] = [];
  const visit = (parent: Element | ShadowRoot) => {
    for (const child of parent.children) {
      if (child.hasAttribute('inert')) continue;
      if (child instanceof HTMLElement && child.tabIndex >= 0 && !child.matches(':disabled') && shown(child)) found.push(child);
      if (child.shadowRoot) visit(child.shadowRoot);
      visit(child);
    }
  };
  visit(root);
  return found;
}

/** Rendered and visible: the content of a closed <details> keeps its boxes (content-visibility), so boxes alone do not tell. */
function shown(element: HTMLElement): boolean {
  if (typeof element.checkVisibility === 'function') return element.checkVisibility({ visibilityProperty: true });
  return element.getClientRects().length > 0;
}

/** The element that has focus, looking into shadow roots. */
export function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Call from the panel's keydown: wraps Tab and Shift+Tab around the panel's focusable elements. */
export function trapTab(event: KeyboardEvent, panel: HTMLElement): void {
  if (event.key !== 'Tab') return;
  const focusable = focusableWithin(panel);
  if (focusable.length === 0) return;
  const first = focusable[0]!;
  const last = focusable[focusable.length - 1]!;
  const active = deepActiveElement();
  const inside = focusable.some((el) => el === active);
  if (event.shiftKey && (active === first || !inside)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !inside)) {
    event.preventDefault();
    first.focus();
  }
}
