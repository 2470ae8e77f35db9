import { createCanvas, type Canvas } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import { currencyInfo } from '../../domain/money';
import type { CashPosition, CashSeries } from './cash-position';
import { CHART_FONT_FAMILY, ensureChartFont } from './cjk-font';

Chart.register(...registerables);

/** Text on the chart, already in the reader's language (the command layer owns the wording). */
export interface CashChartLabels {
  title: string;
  subtitle: string;
  history: string;
  forecast: string;
  threshold: string;
  /** Panel heading per currency, e.g. "CNY — all accounts". */
  panel: (currency: string) => string;
  /** Axis tick text for an amount in major units. */
  amount: (currency: string, major: number) => string;
}

const WIDTH = 960;
const PANEL_HEIGHT = 340;
const HEADER = 64;

/**
 * Only for drawing: a chart axis is floating point by nature. The figures in
 * the text beside the chart come from the bigint amounts, never from here.
 */
const toMajor = (minor: bigint, currency: string): number => Number(minor) / 10 ** (currencyInfo(currency)?.decimals ?? 2);

/** The cash-position chart as a PNG: one panel per currency, history solid, forecast dashed, threshold red. */
export function renderCashChart(position: CashPosition, labels: CashChartLabels): Buffer {
  ensureChartFont();
  Chart.defaults.font.family = CHART_FONT_FAMILY;
  const panels = position.series.length || 1;
  const canvas = createCanvas(WIDTH, HEADER + panels * PANEL_HEIGHT);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#1f3a5f';
  ctx.font = `bold 22px "${CHART_FONT_FAMILY}"`;
  ctx.fillText(labels.title, 20, 30);
  ctx.fillStyle = '#555555';
  ctx.font = `14px "${CHART_FONT_FAMILY}"`;
  ctx.fillText(labels.subtitle, 20, 52);
  position.series.forEach((s, i) => drawPanel(s, labels, (panel) => ctx.drawImage(panel, 0, HEADER + i * PANEL_HEIGHT)));
  return canvas.toBuffer('image/png');
}

type Panel = Canvas;

function drawPanel(s: CashSeries, labels: CashChartLabels, place: (panel: Panel) => void): void {
  const canvas = createCanvas(WIDTH, PANEL_HEIGHT);
  const dates = [...s.history.map((p) => p.date), ...s.forecast.map((p) => p.date)];
  const uniq = [...new Set(dates)];
  const at = (points: { date: string; minor: bigint }[]) => {
    const m = new Map(points.map((p) => [p.date, toMajor(p.minor, s.currency)]));
    return uniq.map((d) => m.get(d) ?? null);
  };
  // The history line ends at today's booked balance, where the forecast starts.
  const history = at([...s.history, { date: s.forecast[0]?.date ?? '', minor: s.today }]);
  const config: ChartConfiguration<'line', (number | null)[], string> = {
    type: 'line',
    data: {
      labels: uniq.map((d) => d.slice(5)),
      datasets: [
        { label: labels.history, data: history, borderColor: '#1f77b4', backgroundColor: '#1f77b4', pointRadius: 0, borderWidth: 2, spanGaps: true },
        { label: labels.forecast, data: at(s.forecast), borderColor: '#ff7f0e', backgroundColor: '#ff7f0e', borderDash: [6, 4], pointRadius: 0, borderWidth: 2 },
        ...(s.threshold !== undefined
          ? [{ label: labels.threshold, data: uniq.map(() => toMajor(s.threshold!, s.currency)), borderColor: '#d62728', backgroundColor: '#d62728', borderDash: [2, 3], pointRadius: 0, borderWidth: 1.5 }]
          : []),
      ],
    },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      layout: { padding: { left: 16, right: 20, top: 4 } },
      plugins: {
        title: { display: true, text: labels.panel(s.currency), font: { size: 16, family: CHART_FONT_FAMILY }, align: 'start' },
        legend: { position: 'bottom', labels: { font: { family: CHART_FONT_FAMILY, size: 13 } } },
      },
      scales: {
        x: { ticks: { maxTicksLimit: 16, font: { family: CHART_FONT_FAMILY } } },
        y: { ticks: { callback: (v) => labels.amount(s.currency, Number(v)), font: { family: CHART_FONT_FAMILY } } },
      },
    },
  };
  // chart.js draws on any 2D context; @napi-rs/canvas implements the one it uses.
  const chart = new Chart(canvas.getContext('2d') as unknown as CanvasRenderingContext2D, config);
  chart.draw();
  place(canvas); // before destroy(), which clears the canvas
  chart.destroy();
}

