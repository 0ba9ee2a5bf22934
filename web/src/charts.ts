// The three trend charts, drawn with Chart.js (only the pieces used are registered, to keep the
// bundle small). Every chart also gets a data table, for screen readers and for anyone who wants
// the exact numbers: the canvas alone says nothing to assistive technology.

import {
  BarController, BarElement, CategoryScale, Chart, Legend, LineController, LineElement, LinearScale,
  PointElement, Tooltip,
} from 'chart.js';
import type { AggregateCounts } from './api';
import { formatRate, h } from './dom';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);
Chart.defaults.font.family = getComputedStyle(document.documentElement).getPropertyValue('--font').trim() || 'system-ui, sans-serif';
Chart.defaults.color = '#3f4753';
Chart.defaults.animation = false;

export const kPresentColor = '#1d6fb8';
export const kAbsentColor = '#e0892b';

export interface ChartHandle { destroy(): void }

function rate(counts: AggregateCounts): number | null {
  return counts.total > 0 ? Math.round((counts.present / counts.total) * 1000) / 10 : null;
}

// A figure holding the canvas (described by a caption) and a collapsible table of the numbers.
function figure(id: string, title: string, summary: string, table: HTMLTableElement): { root: HTMLElement; canvas: HTMLCanvasElement } {
  const canvas = h('canvas', { role: 'img', 'aria-label': `${title}. ${summary}` });
  const root = h('figure', { class: 'chart', id, 'data-chart': id },
    h('figcaption', null, h('h3', null, title)),
    h('div', { class: 'chart-box' }, canvas),
    h('details', null, h('summary', null, 'Show the numbers'), h('div', { class: 'table-scroll' }, table)));
  return { root, canvas };
}

function countsTable(rows: AggregateCounts[], label: (c: AggregateCounts) => string, caption: string): HTMLTableElement {
  return h('table', { class: 'numbers' },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Period'), h('th', { scope: 'col' }, 'School days'), h('th', { scope: 'col' }, 'Present'),
      h('th', { scope: 'col' }, 'Absent'), h('th', { scope: 'col' }, 'Rate'))),
    h('tbody', null, rows.map((c) => h('tr', null,
      h('th', { scope: 'row' }, label(c)), h('td', null, c.school_days), h('td', null, c.present),
      h('td', null, c.absent), h('td', null, formatRate(c.present, c.total))))));
}

// The last 30 days: present and absent stacked per day; days without school are gaps.
export function dailyChart(series: AggregateCounts[], label: (date: string) => string): { root: HTMLElement; draw(): ChartHandle } {
  const schoolDays = series.filter((c) => c.school_days > 0);
  const last = schoolDays[schoolDays.length - 1];
  const summary = last
    ? `${schoolDays.length} school days; latest ${label(last.from)}: ${last.present} present, ${last.absent} absent.`
    : 'No school days in this range.';
  const { root, canvas } = figure('chart-days', 'Last 30 days: present and absent', summary,
    countsTable(series, (c) => label(c.from), 'Present and absent per day, last 30 days'));
  return {
    root,
    draw: () => new Chart(canvas, {
      type: 'bar',
      data: {
        labels: series.map((c) => label(c.from)),
        datasets: [
          { label: 'Present', data: series.map((c) => (c.school_days > 0 ? c.present : null)), backgroundColor: kPresentColor, stack: 's' },
          { label: 'Absent', data: series.map((c) => (c.school_days > 0 ? c.absent : null)), backgroundColor: kAbsentColor, stack: 's' },
        ],
      },
      options: {
        maintainAspectRatio: false,
        responsive: true,
        scales: {
          x: { stacked: true, ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 8 }, grid: { display: false } },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        },
        plugins: { legend: { position: 'bottom' } },
      },
    }),
  };
}

// Weekly or monthly presence rate (present / total of each period), in percent.
export function rateChart(id: string, title: string, series: AggregateCounts[], label: (c: AggregateCounts) => string): { root: HTMLElement; draw(): ChartHandle } {
  const counted = series.filter((c) => c.total > 0);
  const last = counted[counted.length - 1];
  const summary = last ? `Latest ${label(last)}: ${formatRate(last.present, last.total)} present.` : 'No school days in this range.';
  const { root, canvas } = figure(id, title, summary, countsTable(series, label, title));
  return {
    root,
    draw: () => new Chart(canvas, {
      type: 'line',
      data: {
        labels: series.map(label),
        datasets: [{
          label: 'Present (%)',
          data: series.map(rate),
          borderColor: kPresentColor,
          backgroundColor: kPresentColor,
          pointRadius: 3,
          spanGaps: true,
          tension: 0.2,
        }],
      },
      options: {
        maintainAspectRatio: false,
        responsive: true,
        scales: {
          x: { ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 8 }, grid: { display: false } },
          y: { min: 0, max: 100, ticks: { callback: (v) => `${v} %` } },
        },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (item) => `${item.formattedValue} % present` } },
        },
      },
    }),
  };
}
