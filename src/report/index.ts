export * from './report-model.js';
export { renderAccuracyChart } from './accuracy-chart.js';
export { renderReportHtml } from './render-html.js';
export { renderPng } from './render-png.js';
export { writeReport, type WrittenReport } from './write-report.js';
