/**
 * happy-dom rejects a cancelled animation's `finished` promise without marking it handled (the Web
 * Animations spec marks it handled, so browsers report nothing). Fluent's motions (the indeterminate
 * progress bar, accordions, dialogs) cancel their animations on unmount: without this, every such
 * unmount is an "unhandled rejection" that fails the run.
 */
const animate = Element.prototype.animate;
Element.prototype.animate = function (this: Element, ...args: Parameters<Element['animate']>): Animation {
  const animation = animate.apply(this, args);
  animation.finished.catch(() => undefined);
  return animation;
};
