// The three trend charts, drawn with Chart.js (only the pieces used are registered, to keep the
// bundle small). Every chart also gets a data table, for screen readers and for anyone who wants
// the exact numbers: the canvas alone says nothing to assistive technology.

import {
  BarController, BarElement, CategoryScale, Chart, Legend, LineController, LineElement, LinearScale,
  PointElement, Tooltip, type LegendItem, type Plugin,
} from 'chart.js';
import type { AggregateCounts } from './api';
import type { IsoDate } from './dates';
import { formatRate, h } from './dom';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);
Chart.defaults.font.family = getComputedStyle(document.documentElement).getPropertyValue('--font').trim() || 'system-ui, sans-serif';
Chart.defaults.color = '#3f4753';
Chart.defaults.animation = false;

export const kPresentColor = '#1d6fb8';
export const kAbsentColor = '#e0892b';
// The period in progress (today, this week, this month) is drawn in these lighter tones: its
// numbers are real, but today counts the students who have not arrived yet as absent, so it is
// no drop.
const kPresentSoFar = 'rgba(29, 111, 184, 0.4)';
const kAbsentSoFar = 'rgba(224, 137, 43, 0.4)';

export interface ChartHandle { destroy(): void }
export interface BuiltChart { root: HTMLElement; draw(): ChartHandle }

// The period containing today: still in progress.
export function inProgress(c: AggregateCounts, today: IsoDate): boolean {
  return c.from <= today && today <= c.to;
}

function rate(counts: AggregateCounts): number | null {
  return counts.total > 0 ? Math.round((counts.present / counts.total) * 1000) / 10 : null;
}

// The rate axis starts a little below the lowest rate, on a multiple of 10 and at most at 90 %:
// 88 % against 93 % must not look flat on a 0-100 axis, and a 10-point axis at least keeps a
// one-point wobble from looking like a cliff.
export function rateAxisFloor(rates: (number | null)[]): number {
  const shown = rates.filter((r): r is number => r !== null);
  if (shown.length === 0) return 0;
  return Math.max(0, Math.min(90, Math.floor((Math.min(...shown) - 2) / 10) * 10));
}

// Two short slanted strokes across the bottom of the y axis: the conventional sign that the axis
// does not start at zero.
const axisBreak: Plugin<'line'> = {
  id: 'axisBreak',
  afterDraw(chart) {
    const y = chart.scales['y'];
    if (!y || y.min <= 0) return;
    const { ctx } = chart;
    const x = chart.chartArea.left;
    const at = y.bottom - 10;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(x - 6, at - 3, 12, 6);
    ctx.strokeStyle = String(Chart.defaults.color);
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    for (const dy of [-3, 3]) {
      ctx.moveTo(x - 6, at + dy + 3);
      ctx.lineTo(x + 6, at + dy - 3);
    }
    ctx.stroke();
    ctx.restore();
  },
};

// A figure holding the canvas (described by a caption), notes on how to read it, and a
// collapsible table of the numbers.
function figure(id: string, title: string, summary: string, notes: (HTMLElement | false)[], table: HTMLTableElement): { root: HTMLElement; canvas: HTMLCanvasElement } {
  const canvas = h('canvas', { role: 'img', 'aria-label': `${title}. ${summary}` });
  const root = h('figure', { class: 'chart', id, 'data-chart': id },
    h('figcaption', null, h('h3', null, title)),
    h('div', { class: 'chart-box' }, canvas),
    notes,
    h('details', null, h('summary', null, 'Show the numbers'), h('div', { class: 'table-scroll' }, table)));
  return { root, canvas };
}

function note(kind: string, mark: string, text: string): HTMLElement {
  return h('p', { class: 'chart-note', 'data-note': kind }, h('span', { class: `note-mark note-${kind}`, 'aria-hidden': 'true' }, mark), ' ', text);
}

// A note for a row of the numbers table (a closed day's reason), or null.
export type RowNote = (c: AggregateCounts) => string | null;

function countsTable(rows: AggregateCounts[], label: (c: AggregateCounts) => string, caption: string, today: IsoDate, rowNote: RowNote = () => null): HTMLTableElement {
  return h('table', { class: 'numbers' },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Period'), h('th', { scope: 'col' }, 'School days'), h('th', { scope: 'col' }, 'Present'),
      h('th', { scope: 'col' }, 'Absent'), h('th', { scope: 'col' }, 'Rate'))),
    h('tbody', null, rows.map((c) => {
      const open = inProgress(c, today);
      const why = rowNote(c);
      return h('tr', { class: open ? 'in-progress' : null, 'data-in-progress': open ? 'true' : null },
        h('th', { scope: 'row' }, label(c)), h('td', null, c.school_days, why && h('span', { class: 'muted', 'data-closure': why }, ` · ${why}`)),
        h('td', null, c.present), h('td', null, c.absent), h('td', null, formatRate(c.present, c.total), open && c.total > 0 && ' so far'));
    })));
}

// The last 30 days: present and absent stacked per day; days without school are gaps. Today's
// bar (in progress) is lighter. `rowNote` tells a closed day's reason in the table.
export function dailyChart(series: AggregateCounts[], label: (date: string) => string, today: IsoDate, rowNote?: RowNote): BuiltChart {
  const schoolDays = series.filter((c) => c.school_days > 0);
  const last = schoolDays[schoolDays.length - 1];
  const lastOpen = last !== undefined && inProgress(last, today);
  const summary = last
    ? `${schoolDays.length} school days; latest ${label(last.from)}: ${last.present} present, ${last.absent} absent${lastOpen ? ' so far (today is in progress: students not in yet count as absent)' : ''}.`
    : 'No school days in this range.';
  const { root, canvas } = figure('chart-days', 'Last 30 days: present and absent', summary,
    [lastOpen && note('in-progress', '▮', 'The lighter last bar is today so far: students who have not arrived yet count as absent.')],
    countsTable(series, (c) => label(c.from), 'Present and absent per day, last 30 days', today, rowNote));
  const open = series.findIndex((c) => inProgress(c, today));
  const tone = (solid: string, soFar: string): string[] => series.map((_, i) => (i === open ? soFar : solid));
  return {
    root,
    draw: () => new Chart(canvas, {
      type: 'bar',
      data: {
        labels: series.map((c) => label(c.from)),
        datasets: [
          { label: 'Present', data: series.map((c) => (c.school_days > 0 ? c.present : null)), backgroundColor: tone(kPresentColor, kPresentSoFar), stack: 's' },
          { label: 'Absent', data: series.map((c) => (c.school_days > 0 ? c.absent : null)), backgroundColor: tone(kAbsentColor, kAbsentSoFar), stack: 's' },
        ],
      },
      options: {
        maintainAspectRatio: false,
        responsive: true,
        scales: {
          x: { stacked: true, ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 8 }, grid: { display: false } },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        },
        plugins: {
          legend: { position: 'bottom', labels: { generateLabels: solidLegend } },
          tooltip: { callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${item.formattedValue}${item.dataIndex === open ? ' so far' : ''}` } },
        },
      },
    }),
  };
}

// The legend shows each dataset in its full colour (Chart.js would take the first bar's).
function solidLegend(chart: Chart): LegendItem[] {
  return Chart.defaults.plugins.legend.labels.generateLabels(chart).map((item, i) => {
    const color = [kPresentColor, kAbsentColor][i] ?? item.fillStyle;
    return { ...item, fillStyle: color, strokeStyle: color };
  });
}

// Weekly or monthly presence rate (present / total of each period), in percent. The period in
// progress is a hollow point at the end of a dashed segment; the axis starts near the data
// (rateAxisFloor) and says so.
export function rateChart(id: string, title: string, series: AggregateCounts[], label: (c: AggregateCounts) => string, today: IsoDate, what: string): BuiltChart {
  const rates = series.map(rate);
  const floor = rateAxisFloor(rates);
  const open = series.findIndex((c) => inProgress(c, today));
  const counted = series.filter((c) => c.total > 0);
  const last = counted[counted.length - 1];
  const lastOpen = last !== undefined && inProgress(last, today);
  const complete = counted.filter((c) => !inProgress(c, today));
  const previous = complete[complete.length - 1];
  const summary = [
    last ? `Latest ${label(last)}: ${formatRate(last.present, last.total)} present${lastOpen ? ` so far (this ${what} is in progress)` : ''}.` : 'No school days in this range.',
    lastOpen && previous ? `Last complete ${what}, ${label(previous)}: ${formatRate(previous.present, previous.total)}.` : '',
    floor > 0 ? `The axis starts at ${floor} %, not 0.` : '',
  ].filter(Boolean).join(' ');
  const notes = [
    open >= 0 && rates[open] !== null && note('in-progress', '○', `The hollow last point, on a dashed line, is this ${what} so far: today counts students who have not arrived yet as absent.`),
    floor > 0 && note('axis', '≈', `The axis starts at ${floor} %, not 0: differences look larger than on a full scale.`),
  ];
  const { root, canvas } = figure(id, title, summary, notes, countsTable(series, label, title, today));
  root.dataset['axisFloor'] = String(floor);
  return {
    root,
    draw: () => {
      const chart = new Chart(canvas, {
        type: 'line',
        data: {
          labels: series.map(label),
          datasets: [{
            label: 'Present (%)',
            data: rates,
            borderColor: kPresentColor,
            backgroundColor: kPresentColor,
            pointBackgroundColor: series.map((_, i) => (i === open ? '#ffffff' : kPresentColor)),
            pointBorderWidth: series.map((_, i) => (i === open ? 2 : 1)),
            pointRadius: series.map((_, i) => (i === open ? 5 : 3)),
            segment: { borderDash: (ctx) => (ctx.p1DataIndex === open ? [6, 4] : undefined) },
            spanGaps: true,
            tension: 0.2,
          }],
        },
        options: {
          maintainAspectRatio: false,
          responsive: true,
          scales: {
            x: { ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 8 }, grid: { display: false } },
            y: {
              min: floor, max: 100, ticks: { callback: (v) => `${v} %` },
              title: { display: floor > 0, text: `from ${floor} %` },
            },
          },
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: { label: (item) => `${item.formattedValue} % present${item.dataIndex === open ? ` so far (this ${what} is in progress)` : ''}` } },
          },
        },
        plugins: [axisBreak],
      });
      // What the chart really drew, for the tests (and anyone inspecting the page).
      root.dataset['axisMin'] = String(chart.scales['y']?.min ?? '');
      return chart;
    },
  };
}
