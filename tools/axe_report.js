// Accessibility and width check of a report in headless Chromium (by hand, not in CI):
//   cd /tmp/axe && npm install axe-core puppeteer-core   (Chromium: apt-get install chromium)
//   NODE_PATH=/tmp/axe/node_modules node tools/axe_report.js rounds/2026/rapport.html [window width, default 1280]
// Prints axe-core's violations (WCAG 2.x A/AA and best practices, every impact) and every table that
// ends past the browser window.
const puppeteer = require('puppeteer-core');
const fs = require('fs');
const path = require('path');
(async () => {
  const file = path.resolve(process.argv[2]);
  const width = parseInt(process.argv[3] || '1280');
  const browser = await puppeteer.launch({executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu']});
  const page = await browser.newPage();
  await page.setViewport({width, height: 900});
  await page.goto('file://' + file, {waitUntil: 'load'});
  await page.addScriptTag({content: fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')});
  const result = await page.evaluate(async () => await axe.run(document, {resultTypes: ['violations']}));
  const overflow = await page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    return {window: w, page: document.documentElement.scrollWidth,
            tables: [...document.querySelectorAll('table')].map((t, i) => ({i, right: Math.round(t.getBoundingClientRect().right),
              head: (t.querySelector('th') || {}).textContent})).filter(t => t.right > w)};
  });
  const out = result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
    example: v.nodes[0] && v.nodes[0].html.slice(0, 160), summary: v.nodes[0] && v.nodes[0].failureSummary.slice(0, 200)}));
  console.log(JSON.stringify({axe: result.testEngine.version, violations: out, overflow}, null, 1));
  await browser.close();
})();
