// The province map in SVG: one element per county carrying data-county and data-colour. By default a hexagon
// cartogram laid out by the server from the counties' representative points; with Map:BoundaryFile configured,
// the official polygons (GeoJSON or TopoJSON keyed by county code).
import { t, nameOf } from './i18n.js';
import { get } from './api.js';

export const COLOURS = ['red', 'orange', 'yellow', 'blue', 'green'];
/** The enterprise resumption index as a map layer beside the rule sets: the further back at work, the greener. */
export const RESUMPTION_LAYER = 'resumption-index';
export const resumptionColour = index =>
  index == null ? 'none' : index >= 80 ? 'green' : index >= 60 ? 'blue' : index >= 40 ? 'yellow' : index >= 20 ? 'orange' : 'red';
/** The colours each rule set uses, most severe first. */
export const RULE_COLOURS = {
  'zhejiang-5': COLOURS, 'national-3': ['red', 'yellow', 'green'], 'harvard-4': ['red', 'orange', 'yellow', 'green'],
  [RESUMPTION_LAYER]: [...COLOURS, 'none'],
};
export const coloursOf = ruleSet => RULE_COLOURS[ruleSet] ?? COLOURS;

const NS = 'http://www.w3.org/2000/svg';
const el = (name, attrs = {}, parent) => {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  parent?.appendChild(e);
  return e;
};

// Colour is never the only cue: every colour but green also has a pattern (see the legend).
function patterns(svg, size, prefix) {
  const defs = el('defs', {}, svg);
  const p = (id, draw) => { const pat = el('pattern', { id: prefix + id, width: size, height: size, patternUnits: 'userSpaceOnUse' }, defs); draw(pat); };
  const line = (pat, x1, y1, x2, y2) => el('line', { x1, y1, x2, y2, stroke: '#000', 'stroke-opacity': 0.45, 'stroke-width': size / 6 }, pat);
  p('pat-red', pat => { line(pat, 0, 0, size, size); line(pat, size, 0, 0, size); });
  p('pat-orange', pat => line(pat, 0, size, size, 0));
  p('pat-yellow', pat => el('circle', { cx: size / 2, cy: size / 2, r: size / 6, fill: '#000', 'fill-opacity': 0.4 }, pat));
  p('pat-blue', pat => line(pat, 0, size / 2, size, size / 2));
}

/** A small swatch with the colour's fill and pattern, for legends. */
export function swatch(colour) {
  const svg = el('svg', { viewBox: '0 0 10 10', width: 16, height: 16, class: 'swatch', 'aria-hidden': 'true' });
  patterns(svg, 3, 'sw-');
  el('rect', { width: 10, height: 10, class: `fill-${colour}` }, svg);
  if (colour !== 'green' && colour !== 'none') el('rect', { width: 10, height: 10, fill: `url(#sw-pat-${colour})` }, svg);
  return svg;
}

const shortName = c => {
  const zh = c.nameZh.length > 2 ? c.nameZh.replace(/(畲族自治)?[区县市]$/, '') : c.nameZh;
  return document.documentElement.lang === 'en' ? c.nameEn : zh;
};

// Pointy-top hexagons: their vertical sides span ±r·cos 30° across and ±r/2 up and down, so a one-line label no
// taller than r fits when it is narrower than the sides' distance (with a margin for the label's white outline).
const HEX_RADIUS = 0.97, LABEL_WIDTH = 2 * HEX_RADIUS * Math.cos(Math.PI / 6) * 0.88;

/**
 * A label's font size: as large as the shape allows, shrunk so the name, measured as drawn in this font, fits the
 * hexagon's width (English names are longer than the hexagons). Without a width to fit (boundary polygons), or while the
 * map is not rendered and cannot be measured, an estimate from the name's length.
 */
function fontSize(node, name) {
  const estimate = Math.min(node.size, node.size * 5.2 / Math.max(name.length * (/[a-z]/i.test(name) ? 0.6 : 1), 1));
  if (!node.fitWidth) return estimate;
  if (node.fitted?.name === name) return node.fitted.font; // measured once per name: repaints change colours only
  node.label.setAttribute('font-size', node.size);
  const width = node.label.getComputedTextLength();
  if (width === 0) return estimate;
  node.fitted = { name, font: Math.min(node.size, node.size * node.fitWidth / width) };
  return node.fitted.font;
}

function hexPoints(x, y, r) {
  return Array.from({ length: 6 }, (_, i) => {
    const a = Math.PI / 180 * (60 * i - 30);
    return `${(x + r * Math.cos(a)).toFixed(3)},${(y + r * Math.sin(a)).toFixed(3)}`;
  }).join(' ');
}

/** Features of a GeoJSON FeatureCollection or of a TopoJSON topology's first object. */
function featuresOf(data) {
  if (data.type === 'FeatureCollection') return data.features;
  if (data.type !== 'Topology') throw new Error('Boundary file: GeoJSON FeatureCollection or TopoJSON Topology expected');
  const [kx, ky, tx, ty] = data.transform ? [...data.transform.scale, ...data.transform.translate] : [1, 1, 0, 0];
  const arcs = data.arcs.map(arc => {
    let x = 0, y = 0;
    return arc.map(([dx, dy]) => data.transform ? [(x += dx) * kx + tx, (y += dy) * ky + ty] : [dx, dy]);
  });
  const ring = ids => ids.flatMap((id, i) => {
    const a = id < 0 ? [...arcs[~id]].reverse() : arcs[id];
    return i === 0 ? a : a.slice(1);
  });
  const geometry = g => g.type === 'Polygon' ? { type: 'Polygon', coordinates: g.arcs.map(ring) }
    : g.type === 'MultiPolygon' ? { type: 'MultiPolygon', coordinates: g.arcs.map(p => p.map(ring)) } : null;
  const object = Object.values(data.objects)[0];
  return (object.geometries ?? [object]).map(g => ({ type: 'Feature', id: g.id, properties: g.properties ?? {}, geometry: geometry(g) }));
}

const codeOf = f => String(f.id ?? f.properties?.code ?? f.properties?.adcode ?? '');

export async function drawMap(container, counties, { boundaries = null, onSelect = () => {} } = {}) {
  container.textContent = '';
  const svg = el('svg', { class: 'map', role: 'group' }, container);
  const nodes = new Map();
  let shapes = null;
  if (boundaries) {
    try { shapes = featuresOf(await get(boundaries)); } catch (e) { console.warn('Boundary file unusable; drawing the cartogram', e); }
  }

  let box;
  if (shapes) {
    const lat0 = counties.reduce((s, c) => s + c.lat, 0) / counties.length;
    const k = Math.cos(lat0 * Math.PI / 180);
    const project = ([lon, lat]) => [lon * k * 10, -lat * 10];
    const xs = [], ys = [];
    const byCode = new Map(shapes.map(f => [codeOf(f), f]));
    patterns(svg, 0.12, 'map-');
    for (const c of counties) {
      const f = byCode.get(c.code);
      const polys = !f?.geometry ? [] : f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
      const d = polys.flatMap(p => p.map(r => 'M' + r.map(project).map(([x, y]) => { xs.push(x); ys.push(y); return `${x.toFixed(3)},${y.toFixed(3)}`; }).join('L') + 'Z')).join('');
      const [lx, ly] = project([c.lon, c.lat]);
      nodes.set(c.code, county(c, g => { el('path', { d, class: 'shape' }, g); el('path', { d, class: 'hatch' }, g); }, lx, ly, 0.22, null));
    }
    box = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  } else {
    patterns(svg, 0.35, 'map-');
    for (const c of counties) {
      const { x, y } = c.tile;
      nodes.set(c.code, county(c, g => { el('polygon', { points: hexPoints(x, y, HEX_RADIUS), class: 'shape' }, g); el('polygon', { points: hexPoints(x, y, HEX_RADIUS), class: 'hatch' }, g); }, x, y, 0.42, LABEL_WIDTH));
    }
    const xs = counties.map(c => c.tile.x), ys = counties.map(c => c.tile.y);
    box = [Math.min(...xs) - 1, Math.min(...ys) - 1.2, Math.max(...xs) + 1, Math.max(...ys) + 1.2];
  }
  svg.setAttribute('viewBox', `${box[0]} ${box[1]} ${box[2] - box[0]} ${box[3] - box[1]}`);

  function county(c, drawShape, lx, ly, size, fitWidth) {
    const g = el('g', { class: 'county', 'data-county': c.code, 'data-colour': 'green', tabindex: 0, role: 'button' }, svg);
    drawShape(g);
    const label = el('text', { x: lx, y: ly, class: 'label' }, g);
    const title = el('title', {}, g);
    g.addEventListener('click', () => onSelect(c.code));
    g.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onSelect(c.code); } });
    const node = { c, g, label, title, size, fitWidth };
    return node;
  }

  function paint(node) {
    const colour = node.g.getAttribute('data-colour');
    const name = shortName(node.c);
    node.label.textContent = name;
    node.label.setAttribute('font-size', fontSize(node, name).toFixed(3));
    const text = `${nameOf(node.c)} (${node.c.code}): ${t(colour)}`;
    node.title.textContent = text;
    node.g.setAttribute('aria-label', text);
    node.g.querySelector('.hatch').setAttribute('fill', colour === 'green' || colour === 'none' ? 'none' : `url(#map-pat-${colour})`);
  }

  return {
    setColour(code, colour) {
      const node = nodes.get(code);
      if (!node || !colour || node.g.getAttribute('data-colour') === colour) return;
      node.g.setAttribute('data-colour', colour);
      paint(node);
    },
    /** Paints all counties at once: code → colour. */
    setColours(colours) {
      for (const [code, node] of nodes) { if (colours[code]) node.g.setAttribute('data-colour', colours[code]); paint(node); }
    },
    select(code) { for (const [k, n] of nodes) n.g.classList.toggle('selected', k === code); },
    relabel() { nodes.forEach(paint); },
  };
}

/** Legend with each colour's swatch, word and count of counties; returns the counts line "1/12/12/53/12". */
export function legend(container, ruleSet, counts) {
  container.textContent = '';
  const colours = coloursOf(ruleSet);
  for (const colour of colours) {
    const item = document.createElement('span');
    item.className = 'legend-item';
    item.dataset.legendColour = colour;
    item.append(swatch(colour), ` ${t(colour)} `);
    const n = document.createElement('b');
    n.textContent = counts?.[colour] ?? 0;
    item.append(n);
    container.append(item);
  }
  return colours.map(c => counts?.[c] ?? 0).join('/');
}
