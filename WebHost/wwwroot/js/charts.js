// Charts are drawn by Apache ECharts (lib/echarts-6.1.0.min.js, Apache-2.0), loaded on first use and once: the public map
// and the grid workers' inbox never fetch it (phones on weak networks). Canvas renderer and rich-text tooltips, so no
// inline style attribute is written and the strict Content-Security-Policy (style-src 'self') holds.
import { currentLang } from './i18n.js';

const SRC = '/lib/echarts-6.1.0.min.js';
let loading = null;
const observers = new WeakMap();

export function loadECharts() {
  loading ??= new Promise((resolve, reject) => {
    if (window.echarts) { resolve(window.echarts); return; }
    const script = document.createElement('script');
    script.src = SRC;
    script.onload = () => resolve(window.echarts);
    script.onerror = () => { loading = null; reject(new Error(`${SRC} did not load`)); };
    document.head.append(script);
  });
  return loading;
}

/** A colour of app.css (--red, --green, ...): the map and the charts share one palette. */
export const cssColour = name => getComputedStyle(document.documentElement).getPropertyValue(`--${name}`).trim() || '#999';

/**
 * Draws <paramref name="option"/> into <paramref name="el"/>, replacing what was there, and follows the element's size.
 * Marks the element data-drawn (a counter) once drawn: tests and screen readers know the figure is there. Null when
 * the element left the page meanwhile.
 */
export async function chart(el, option) {
  const echarts = await loadECharts();
  if (!el.isConnected) return null; // replaced while the library loaded
  let instance = echarts.getInstanceByDom(el);
  if (!instance) {
    instance = echarts.init(el, null, { renderer: 'canvas', locale: currentLang() === 'zh' ? 'ZH' : 'EN' });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    observers.set(el, observer);
  }
  instance.setOption({
    animation: false,
    textStyle: { fontFamily: getComputedStyle(document.documentElement).fontFamily },
    ...option,
    tooltip: { renderMode: 'richText', confine: true, ...option.tooltip },
  }, true);
  el.dataset.drawn = String(Number(el.dataset.drawn ?? 0) + 1);
  return instance;
}

/** Disposes the charts inside <paramref name="root"/> before their elements are thrown away. */
export function disposeCharts(root) {
  if (!window.echarts) return;
  root.querySelectorAll('[data-chart]').forEach(el => {
    observers.get(el)?.disconnect();
    window.echarts.getInstanceByDom(el)?.dispose();
  });
}
