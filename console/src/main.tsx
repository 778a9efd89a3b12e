// The operations console's entry point: bundled by infra/console-bundle.mjs into one script and one stylesheet,
// served by functions/console (GET /console, GET /console/assets/{asset}).
import 'uplot/dist/uPlot.min.css';
import './console.css';
import { render } from 'preact';
import { App } from './shell/app';

const root = document.getElementById('app');
if (root !== null) render(<App />, root);
